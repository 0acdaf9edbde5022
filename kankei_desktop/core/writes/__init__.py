"""The write gateway: the one place where a synced row is stamped, keyed and written.

Every writer goes through it — the services (one ORM row at a time), the spreadsheet and Zoom
imports (many new rows at once) and the bundle merge (rows as they arrive): ids and natural
ids (:mod:`.natural_ids`), derived search and sort keys (:mod:`.keys`), stamps and per-field
clocks (:mod:`.gateway`, :mod:`.field_clocks`) and the engine-specific bulk statements
(:mod:`.bulk`). See docs/ARCHITECTURE.md.
"""

"""Reading a file without SQLAlchemy: what ``kankei stats`` needs, at interpreter speed.

Loading SQLAlchemy and the models takes most of a second, many times what reading a year's
figures from the kept tables costs. :func:`.reader.open_quick` opens an up-to-date file with
the standard library's sqlite3 (the same checks and locks as :func:`open_database`), and
:class:`.reader.QuickServices` answers the few questions ``stats`` asks with the same figure
code (:mod:`kankei_desktop.core.figures.compute`). A file that must be created or upgraded
goes the full way.
"""

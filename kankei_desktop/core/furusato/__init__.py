"""ふるさと住民登録 (issue 20): designated activities, registrations and who qualifies.

The rules as this package applies them (the numbers are settings, :mod:`.settings`):

- A **designated activity** (担い手活動) is a session marked ``designated`` of a club hosted by
  the municipality. It counts for a person when the figures' counting rule counts the
  person's attendance row (出席 on a held, live session of a live club, a live person:
  :mod:`kankei_desktop.core.figures.rule`), each session once.
- **The municipality** is the body with the given code; a designated city (政令指定都市)
  includes its wards (行政区 are part of the city), for the clubs' hosts and for residence.
- A **registration holds** in a period when it is not deleted, its status is ``active``, it was
  registered on or before the period's last day and its renewal date is empty or on or after
  the period's first day. Lapsed and withdrawn registrations never hold (the person gave up
  the place, or it was not renewed); an active one whose renewal date passed before the period
  began has expired even if nobody changed its status.
- **Premium is possible** when the person attended at least the minimum of designated
  activities in the period, does not live in the municipality, and holds fewer than the
  maximum of premium registrations in other municipalities in the period. A person whose
  residence is not recorded is not refused for it.
"""

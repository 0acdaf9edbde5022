"""The synthetic programme: organisations, people, clubs, meetings and attendance.

Everything is drawn from one seeded :class:`random.Random`, so a seed and a scale always give
the same file content (apart from the replica id the database assigns). Dates are day ordinals.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from benchmarks import names as words
from benchmarks.people import PERSON_COLUMNS, PeopleMaker, organizations
from benchmarks.rows import (
    FIRST_DAY,
    LAST_CLUB_START,
    LAST_DAY,
    SYNCED_COLUMNS,
    Row,
    Sink,
    Stamper,
    club_keys,
    day_text,
    meeting_key,
    moment_text,
    natural_hex,
    natural_prefix,
    random_uuid,
    time_text,
)
from kankei_desktop.core.japan.fiscal import fiscal_year_of
from kankei_desktop.core.models import (
    Attendance,
    Club,
    ClubPartner,
    KpiTarget,
    Meeting,
    Membership,
    Person,
)
from kankei_desktop.core.vocabulary import ClubStage, MeetingFormat, MeetingKind, MeetingStatus
from kankei_desktop.core.writes.natural_ids import kpi_uuid, partner_uuid

BASE_COUNTS = {"organizations": 2000, "municipalities": 100, "people": 100_000, "clubs": 500,
               "meetings": 50_000, "attendance": 1_000_000}
_MINIMUM = {"organizations": 12, "municipalities": 3, "people": 60, "clubs": 3, "meetings": 30,
            "attendance": 300}
PLANNED_SHARE, CANCELLED_SHARE = 0.10, 0.05
_FORMATS = (MeetingFormat.ONLINE.value,) * 9 + (MeetingFormat.ONSITE.value,) * 7 + (
    MeetingFormat.HYBRID.value,) * 4
_KINDS = (MeetingKind.SESSION.value,) * 12 + (MeetingKind.SEMINAR.value,) * 2 + (
    MeetingKind.FIELDWORK.value,) * 2 + (MeetingKind.EXCHANGE.value,) * 3 + (
    MeetingKind.OTHER.value,)
_STARTS = (600, 810, 840, 1110, 1140, 1170)  # minutes after midnight
_STAGES = [stage.value for stage in ClubStage]


def counts_for(scale: float) -> dict[str, int]:
    """The target counts at ``scale`` (never below a small minimum)."""
    return {name: max(_MINIMUM[name], round(count * scale)) for name, count in BASE_COUNTS.items()}


@dataclass(slots=True)
class _Club:
    id: uuid.UUID
    name: str
    reading: str
    theme: str
    host: tuple[str, str]  # (id hex, short name)
    start: int
    rate: float
    meetings: int = 0
    members: list[tuple[int, int, float]] = field(default_factory=list)  # (joined, person, w)
    people: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)


class Dataset:
    """Builds the rows and hands them to a :class:`Sink` in foreign-key order."""

    def __init__(self, counts: dict[str, int], seed: int, stamps: Stamper, sink: Sink) -> None:
        self.counts = counts
        self.seed = seed
        self.rng = random.Random(seed)
        self.stamps = stamps
        self.sink = sink
        self.clubs: list[_Club] = []
        self.meetings: list[tuple[uuid.UUID, int, int, str]] = []  # (id, club, day, status)
        self.as_of = LAST_DAY

    def load(self) -> None:
        """Generate and insert everything."""
        municipalities, by_kind = organizations(self.rng, self.counts, self.stamps, self.sink)
        others = [row_id for kind, ids in by_kind.items() if kind != "municipality"
                  for row_id in ids]
        self._plan_clubs(municipalities)
        self._plan_meetings()
        people = PeopleMaker(self.rng, by_kind, self.as_of)
        self.sink.insert(Person, PERSON_COLUMNS, people.rows(self.counts["people"], self.stamps))
        self._plan_memberships(people.created, people.categories)
        self._insert_clubs(people.hex, others)
        self._insert_memberships(people.hex, people.text)
        self._insert_meetings()
        self._insert_attendance(people.hex, people.text)
        self._insert_targets()

    def info(self) -> dict[str, Any]:
        """Facts for the marker: the data set's "today" (later meetings are planned) and the
        clubs with the most meetings (for the filtered scenarios)."""
        busiest = sorted(self.clubs, key=lambda club: -club.meetings)[:5]
        return {"as_of": day_text(self.as_of), "club_names": [club.name for club in busiest]}

    # -- planning ----------------------------------------------------------------------------

    def _plan_clubs(self, municipalities: list[tuple[str, str, str]]) -> None:
        rng, used = self.rng, set()
        themes, suffixes = words.CLUB_THEMES, words.CLUB_SUFFIXES
        for index in range(self.counts["clubs"]):
            host_hex, short, short_reading = municipalities[index % len(municipalities)]
            theme, theme_reading = themes[(index // len(municipalities) + index) % len(themes)]
            suffix, suffix_reading = rng.choice(suffixes)
            name, reading = short + theme + suffix, short_reading + theme_reading + suffix_reading
            while name in used:
                name += "2"
            used.add(name)
            start = FIRST_DAY + int((LAST_CLUB_START - FIRST_DAY) * rng.random() ** 1.3)
            self.clubs.append(_Club(random_uuid(rng), name, reading,
                                    f"{theme}を通じた関係人口の創出", (host_hex, short), start,
                                    rng.lognormvariate(0, 0.4)))

    def _plan_meetings(self) -> None:
        rng = self.rng
        weights = [(LAST_DAY - club.start) * club.rate for club in self.clubs]
        per_club = Counter(rng.choices(range(len(self.clubs)), weights, k=self.counts["meetings"]))
        days: list[tuple[int, int]] = []
        for index, club in enumerate(self.clubs):
            club.meetings = per_club[index]
            span = LAST_DAY - club.start + 1
            days.extend((club.start + rng.randrange(span), index) for _ in range(club.meetings))
        days.sort()
        self.as_of = days[int(len(days) * (1 - PLANNED_SHARE))][0]
        cancelled = CANCELLED_SHARE / (1 - PLANNED_SHARE)
        for day, index in days:
            status = (MeetingStatus.PLANNED if day > self.as_of else
                      MeetingStatus.CANCELLED if rng.random() < cancelled else MeetingStatus.HELD)
            self.meetings.append((random_uuid(rng), index, day, status.value))

    def _plan_memberships(self, created: list[int], categories: list[str]) -> None:
        rng, clubs = self.rng, self.clubs
        cumulative = list(itertools.accumulate(club.rate for club in clubs))
        total = cumulative[-1]
        random_ = rng.random
        for person, born in enumerate(created):
            wanted = min(len(clubs), 1 + int(rng.expovariate(1 / 4.5)))
            chosen: set[int] = set()
            for _ in range(wanted * 8):
                chosen.add(bisect.bisect_right(cumulative, random_() * total))
                if len(chosen) == wanted:
                    break
            for index in chosen:
                club = clubs[index]
                joined = min(max(club.start, born) + int(random_() * 45), self.as_of)
                # how keen the member is: a few regulars, many occasional visitors
                club.members.append((joined, person, 0.2 + 4 * random_() ** 3))
        for club in clubs:
            club.members.sort()
            club.joined = [joined for joined, _, _ in club.members]
            club.people = [person for _, person, _ in club.members]
            club.cumulative = list(itertools.accumulate(weight for _, _, weight in club.members))
        self._categories = categories

    # -- inserting ---------------------------------------------------------------------------

    def _insert_clubs(self, person_hex: list[str], others: list[str]) -> None:
        rng, stamps, sink = self.rng, self.stamps, self.sink
        rows: list[Row] = []
        partners: list[Row] = []
        for club in self.clubs:
            search, sort = club_keys(club.name, club.reading, club.theme)
            years = (self.as_of - club.start) / 365
            stage = _STAGES[min(len(_STAGES) - 1, int(years * 1.1 + rng.random() * 1.5))]
            coordinator = person_hex[club.people[0]] if club.people else None
            rows.append((club.name, club.reading, club.host[0], club.theme, day_text(club.start),
                         None, stage, coordinator, "", search, sort,
                         *stamps.synced(club.id.hex, club.start - 20, 36_000)))
            for organization in rng.sample(others, min(len(others), rng.randint(1, 3))):
                link = partner_uuid(club.id, uuid.UUID(hex=organization)).hex
                partners.append((club.id.hex, organization,
                                 *stamps.synced(link, club.start - 20, 36_100)))
        sink.insert(Club, ("name", "reading", "host_municipality_id", "theme", "start_date",
                             "end_date", "stage", "coordinator_id", "notes", "search_key",
                             "sort_key", *SYNCED_COLUMNS), rows)
        sink.insert(ClubPartner, ("club_id", "organization_id", *SYNCED_COLUMNS), partners)

    def _insert_memberships(self, person_hex: list[str], person_text: list[bytes]) -> None:
        stamps, categories, replica = self.stamps, self._categories, self.stamps.replica

        def rows() -> Iterator[Row]:
            # In (club id, person id) order, so the unique index grows at its end.
            for club in sorted(self.clubs, key=lambda club: club.id.hex):
                prefix, club_hex = natural_prefix("membership", club.id), club.id.hex
                contact = next((position for position, person in enumerate(club.people)
                                if position > 2 and categories[person] == "municipal_staff"), -1)
                members = sorted(enumerate(club.members), key=lambda item: person_hex[item[1][1]])
                for position, (joined, person, _) in members:
                    role = ("coordinator" if position == 0 else "leader" if position < 3 else
                            "municipal_contact" if position == contact else "member")
                    second = 32_400 + position % 60 * 60
                    moment = moment_text(joined, second)
                    yield (club_hex, person_hex[person], role, day_text(joined), None,
                           natural_hex(prefix, person_text[person]), moment, moment, replica,
                           stamps.hlc(joined, second, position), None, 1)

        self.sink.insert(Membership, ("club_id", "person_id", "role", "joined_on", "left_on",
                                      *SYNCED_COLUMNS), rows())

    def _insert_meetings(self) -> None:
        rng, stamps = self.rng, self.stamps
        numbers: Counter[int] = Counter()
        rows: list[Row] = []
        for meeting_id, index, day, status in self.meetings:
            club = self.clubs[index]
            numbers[index] += 1
            title = f"{club.name} 第{numbers[index]}回{rng.choice(words.MEETING_TITLES)}"
            form = rng.choice(_FORMATS)
            online = form != MeetingFormat.ONSITE.value
            tool = rng.choice(words.MEETING_TOOLS) if online else ""
            url = f"https://meet.example.jp/{meeting_id.hex[:12]}" if online else ""
            place = "" if form == MeetingFormat.ONLINE.value else f"{club.host[1]}交流センター"
            start = rng.choice(_STARTS)
            created = max(club.start - 19, min(day - rng.randrange(7, 45), self.as_of))
            changed = created if status == MeetingStatus.PLANNED.value else min(day + 1,
                                                                                 self.as_of)
            rows.append((club.id.hex, title, rng.choice(_KINDS), day_text(day), time_text(start),
                         time_text(start + 120), form, status, tool, url, place, "", "", None,
                         meeting_key(title, place),
                         *stamps.synced(meeting_id.hex, changed, 43_200,
                                        moment_text(created, 39_600))))
        self.sink.insert(Meeting, ("club_id", "title", "kind", "date", "start_time", "end_time",
                                "format", "status", "tool", "url", "place", "agenda", "notes",
                                "series_id", "search_key", *SYNCED_COLUMNS), rows)

    def _attendance_sizes(self, rng: random.Random) -> list[tuple[uuid.UUID, _Club, int, int]]:
        """Held meetings (ordered by id) with sizes that add up to about the target."""
        held = [(meeting_id, self.clubs[index], day, rng.lognormvariate(0, 0.5))
                for meeting_id, index, day, status in self.meetings if status == "held"]
        pairs = [(raw, bisect.bisect_right(club.joined, day)) for _, club, day, raw in held]
        low, high = 0.0, 20.0 * self.counts["attendance"] / max(1, len(held))
        for _ in range(16):  # bisect the scale factor so the sizes sum to the target
            middle = (low + high) / 2
            total = sum(min(max(2, round(middle * raw)), size) for raw, size in pairs)
            low, high = (middle, high) if total < self.counts["attendance"] else (low, middle)
        sized = [(meeting_id, club, day, min(max(2, round(high * raw)), size))
                 for (meeting_id, club, day, _), (raw, size) in zip(held, pairs, strict=True)]
        return sorted(sized, key=lambda item: item[0].hex)

    @staticmethod
    def _pick(rng: random.Random, club: _Club, eligible: int, size: int) -> list[int]:
        if size >= eligible:
            return club.people[:eligible]
        random_, chosen = rng.random, set()
        total, cumulative, people = club.cumulative[eligible - 1], club.cumulative, club.people
        for _ in range(size * 20):
            chosen.add(people[bisect.bisect_right(cumulative, random_() * total, 0, eligible)])
            if len(chosen) == size:
                return list(chosen)
        spare = [person for person in people[:eligible] if person not in chosen]
        return [*chosen, *rng.sample(spare, size - len(chosen))]

    def _insert_attendance(self, person_hex: list[str], person_text: list[bytes]) -> None:
        stamps, replica = self.stamps, self.stamps.replica

        def rows() -> Iterator[Row]:
            rng = random.Random(f"{self.seed}-attendance")
            random_, counter = rng.random, 0
            for meeting_id, club, day, size in self._attendance_sizes(rng):
                eligible = bisect.bisect_right(club.joined, day)
                prefix, meeting_hex = natural_prefix("attendance", meeting_id), meeting_id.hex
                recorded = moment_text(day + 1, 36_000)
                people = sorted(self._pick(rng, club, eligible, size), key=person_hex.__getitem__)
                hlcs = stamps.hlcs(day + 1, 36_000, counter, len(people))
                counter += len(people)
                for person, stamp in zip(people, hlcs, strict=True):
                    draw = random_()
                    status = "attended" if draw < 0.85 else "absent" if draw < 0.95 else "excused"
                    yield (meeting_hex, person_hex[person], status, "",
                           natural_hex(prefix, person_text[person]), recorded, recorded,
                           replica, stamp, None, 1)

        self.sink.insert(Attendance, ("meeting_id", "person_id", "status", "note",
                                      *SYNCED_COLUMNS), rows())

    def _insert_targets(self) -> None:
        rng, rows = self.rng, []
        average = self.counts["attendance"] / max(1, len(self.meetings))
        for club in self.clubs:
            first = fiscal_year_of(date.fromordinal(club.start))
            per_year = club.meetings / max(1, (LAST_DAY - club.start) / 365)
            for year in range(first, fiscal_year_of(date.fromordinal(LAST_DAY)) + 1):
                meetings = max(1, round(per_year * rng.uniform(0.9, 1.3)))
                person_times = round(meetings * average * rng.uniform(0.9, 1.2))
                day = max(club.start, date(year, 4, 1).toordinal()) - 10
                rows.append((club.id.hex, year, meetings, person_times,
                             round(person_times * rng.uniform(0.25, 0.45)), "",
                             *self.stamps.synced(kpi_uuid(club.id, year).hex, day, 36_000)))
        self.sink.insert(KpiTarget, ("club_id", "fiscal_year", "target_meetings",
                                       "target_person_times", "target_unique_persons", "notes",
                                       *SYNCED_COLUMNS), rows)

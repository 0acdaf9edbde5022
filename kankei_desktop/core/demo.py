"""The demo data set: ``resources/demo/demo.json`` loaded through the services.

The file describes two programmes from the seeds — the Iwate 関係人口 programme of 令和元年度
(一関市・釜石市) and two 放課後企業クラブ coordinated by an intermediary — with invented people.
Records refer to each other by local keys (``"org:pasona"``, ``"person:nakamura-aya"``,
``"club:takasu"``, ``"meeting:takasu-2021-06-17"``); the loader creates every record with the
ordinary services, so the demo passes the same validation as data typed in by a user, and
resolves the keys to the ids the services hand back.

Layout of the file (dates ISO ``YYYY-MM-DD``, times ``HH:MM``): ``organizations`` (a record with
``lgcode`` is a public body taken from the municipality master, its other fields added),
``people``, ``clubs`` (with ``partners``, ``members`` and KPI ``targets``), ``meetings`` (with
the people ``attended``, ``excused`` and ``absent``) and ``interactions``; the outcomes of
issue 17: ``matchings``, ``stages`` (a club's dated moves with their outputs), ``kpis`` (per
programme or ``club`` and 年度) and ``tags`` (a name and the records it is ``on``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, time
from pathlib import Path
from typing import Any

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.models import Meta
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft, KpiValues
from kankei_desktop.core.services.interactions import InteractionDraft
from kankei_desktop.core.services.kpis import KpiDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.stages import StageMove
from kankei_desktop.core.storage.paths import resources_dir
from kankei_desktop.core.vocabulary import AttendanceStatus

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after each record the loader creates."""

DEMO_FORMAT = "kankei-demo"
ATTENDANCE_LISTS = tuple(status.value for status in AttendanceStatus)
_ORGANIZATION_FIELDS = {f.name for f in fields(OrganizationDraft)} - {"municipality_id"}
_PERSON_FIELDS = {f.name for f in fields(PersonDraft)} - {"organization_id", "consent_date"}


@dataclass(frozen=True)
class DemoSummary:
    """How many records the loader created."""

    organizations: int = 0
    people: int = 0
    clubs: int = 0
    meetings: int = 0
    attendance: int = 0
    interactions: int = 0


def demo_path() -> Path:
    """The shipped demo data file."""
    return resources_dir() / "demo" / "demo.json"


def read_demo(path: Path | None = None) -> dict[str, Any]:
    """The parsed demo file, or a :class:`KankeiError` when it is missing or damaged."""
    source = path or demo_path()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KankeiError(
            _("The demo data file '{path}' cannot be read ({reason}). Reinstall the "
              "application.").format(path=source, reason=exc)
        ) from exc
    if not isinstance(data, dict) or data.get("format") != DEMO_FORMAT:
        raise KankeiError(
            _("'{path}' is not a demo data file. Reinstall the application.").format(path=source)
        )
    return data


def load_demo(
    services: Services, *, progress: Progress | None = None, path: Path | None = None
) -> DemoSummary:
    """Create the demo records in an empty file; refuse a file that already holds data."""
    if services.organizations.count() or services.people.count():
        raise KankeiError(
            _("The demo data can only be loaded into an empty file. Create a new file first.")
        )
    data = read_demo(path)
    _check_codes(data)
    return _Loader(services, data, progress).run()


def _check_codes(data: dict[str, Any]) -> None:
    """Refuse before writing anything if a public body is missing from the master."""
    for record in data["organizations"]:
        code = record.get("lgcode")
        if code and municipalities.by_code(code) is None:
            raise KankeiError(
                _("The municipality master has no code '{code}'. Reinstall the "
                  "application.").format(code=code)
            )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


class _Loader:
    """Creates the records in dependency order and keeps the key → id map."""

    def __init__(self, services: Services, data: dict[str, Any], progress: Progress | None
                 ) -> None:
        self.services = services
        self.data = data
        self.progress = progress
        self.ids: dict[str, uuid.UUID] = {}
        self.done = 0
        clubs = data["clubs"]
        self.total = (
            len(data["organizations"]) + len(data["people"]) + len(data["meetings"])
            + len(data["interactions"])
            + sum(1 + len(c.get("members", ())) + len(c.get("targets", ())) for c in clubs)
            + sum(len(m.get(s, ())) for m in data["meetings"] for s in ATTENDANCE_LISTS)
            + sum(len(data.get(name, ())) for name in ("matchings", "stages", "kpis", "tags"))
        )

    def ref(self, key: str | None) -> uuid.UUID | None:
        """The id created for ``key`` (None for no key)."""
        if key is None:
            return None
        try:
            return self.ids[key]
        except KeyError:
            raise KankeiError(
                _("The demo data refers to '{key}', which it does not define. Reinstall the "
                  "application.").format(key=key)
            ) from None

    def need(self, key: str) -> uuid.UUID:
        """The id created for ``key``, which must be given."""
        found = self.ref(key)
        assert found is not None
        return found

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def run(self) -> DemoSummary:
        data = self.data
        for record in data["organizations"]:
            self.ids[record["key"]] = self.organization(record)
            self.step()
        for record in data["people"]:
            self.ids[record["key"]] = self.services.people.create(PersonDraft(
                **{k: v for k, v in record.items() if k in _PERSON_FIELDS},
                organization_id=self.ref(record.get("organization")),
                consent_date=_date(record.get("consent_date")),
            )).id
            self.step()
        for record in data["clubs"]:
            self.club(record)
        attendance = sum(self.meeting(record) for record in data["meetings"])
        self.settings(data.get("meta", {}))
        for record in data["interactions"]:
            self.services.interactions.create(InteractionDraft(
                date=_date(record["date"]), channel=record["channel"],
                person_ids=[self.need(key) for key in record["people"]],
                club_id=self.ref(record.get("club")), meeting_id=self.ref(record.get("meeting")),
                summary=record.get("summary", ""), note=record.get("note", ""),
            ))
            self.step()
        self.outcomes()
        return DemoSummary(
            organizations=len(data["organizations"]), people=len(data["people"]),
            clubs=len(data["clubs"]), meetings=len(data["meetings"]), attendance=attendance,
            interactions=len(data["interactions"]),
        )

    def settings(self, values: dict[str, Any]) -> None:
        """The file's settings the demo ships (the reports' cover letter and per-year texts,
        so the demo's annual reports are complete), stored as JSON under their keys."""
        if not values:
            return
        with self.services.context.transaction() as session:
            for key, value in values.items():
                row = session.get(Meta, key)
                text = json.dumps(value, ensure_ascii=False, sort_keys=True)
                if row is None:
                    session.add(Meta(key=key, value=text))
                else:
                    row.value = text

    def organization(self, record: dict[str, Any]) -> uuid.UUID:
        values = {k: v for k, v in record.items() if k in _ORGANIZATION_FIELDS}
        municipality_id = self.ref(record.get("municipality"))
        organizations = self.services.organizations
        if "lgcode" not in record:
            return organizations.create(
                OrganizationDraft(**values, municipality_id=municipality_id)
            ).id
        row = organizations.ensure_municipality(record["lgcode"])
        extra = {k: v for k, v in values.items() if k not in ("kind", "name", "reading", "lgcode")}
        if extra or municipality_id is not None:
            draft = replace(OrganizationDraft.of(row), **extra)
            draft.municipality_id = municipality_id or draft.municipality_id
            organizations.update(row.id, draft)
        return row.id

    def club(self, record: dict[str, Any]) -> None:
        clubs = self.services.clubs
        club_id = clubs.create(ClubDraft(
            name=record["name"], reading=record.get("reading", ""),
            host_municipality_id=self.ref(record.get("host")), theme=record.get("theme", ""),
            start_date=_date(record.get("start_date")), end_date=_date(record.get("end_date")),
            stage=record.get("stage", "visualise"),
            coordinator_id=self.ref(record.get("coordinator")), notes=record.get("notes", ""),
            partner_ids=[self.need(key) for key in record.get("partners", ())],
        )).id
        self.ids[record["key"]] = club_id
        self.step()
        for member in record.get("members", ()):
            clubs.add_member(club_id, self.need(member["person"]), member.get("role", "member"),
                             _date(member.get("joined_on")))
            self.step()
        for target in record.get("targets", ()):
            clubs.set_targets(club_id, int(target["fiscal_year"]), KpiValues(
                meetings=target.get("meetings"), person_times=target.get("person_times"),
                unique_persons=target.get("unique_persons"), notes=target.get("notes", ""),
            ))
            self.step()

    def outcomes(self) -> None:
        """Matchings, stage moves, KPIs and tags (issue 17)."""
        services, data = self.services, self.data
        for record in data.get("matchings", ()):
            services.matchings.create(MatchingDraft(
                kind=record["kind"], status=record["status"],
                person_id=self.ref(record.get("person")),
                organization_id=self.ref(record.get("organization")),
                host_id=self.ref(record.get("host")), club_id=self.ref(record.get("club")),
                theme=record.get("theme", ""), made_on=_date(record.get("made_on")),
                ended_on=_date(record.get("ended_on")), note=record.get("note", "")))
            self.step()
        for record in data.get("stages", ()):
            services.stages.move(self.need(record["club"]), StageMove(
                record["stage"], _date(record["entered_on"]), record.get("output", "")))
            self.step()
        for record in data.get("kpis", ()):
            services.kpis.create(KpiDraft(
                record["measure"], int(record["fiscal_year"]), club_id=self.ref(record.get("club")),
                parameter=record.get("parameter", ""), label=record.get("label", ""),
                unit=record.get("unit", ""), target=record.get("target", ""),
                actual=record.get("actual", ""), notes=record.get("notes", "")))
            self.step()
        kinds = {"person": "person", "org": "organization", "club": "club", "meeting": "meeting"}
        wanted: dict[str, list[str]] = {}
        for record in data.get("tags", ()):
            for key in record["on"]:
                wanted.setdefault(key, []).append(record["name"])
            self.step()
        for key, names in wanted.items():
            services.tags.set_tags(kinds[key.split(":", 1)[0]], self.need(key), names)

    def meeting(self, record: dict[str, Any]) -> int:
        """Create one session and its attendance; return the number of attendance rows."""
        meetings = self.services.meetings
        meeting_id = meetings.create(MeetingDraft(
            club_id=self.need(record["club"]), title=record["title"],
            date=_date(record["date"]), kind=record.get("kind", "session"),
            start_time=_time(record.get("start_time")), end_time=_time(record.get("end_time")),
            format=record.get("format", "online"), status=record.get("status", "planned"),
            tool=record.get("tool", ""), url=record.get("url", ""),
            place=record.get("place", ""), agenda=record.get("agenda", ""),
            notes=record.get("notes", ""),
        )).id
        self.ids[record["key"]] = meeting_id
        self.step()
        rows = 0
        for status in ATTENDANCE_LISTS:
            for key in record.get(status, ()):
                self.services.attendance.set(meeting_id, self.need(key), status)
                rows += 1
                self.step()
        return rows


__all__ = ["DemoSummary", "Progress", "demo_path", "load_demo", "read_demo"]

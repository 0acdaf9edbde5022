"""Building ふるさと住民 data through the real services."""

from __future__ import annotations

import csv
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.registrations import RegistrationDraft

TAKASU = "014524"  # 北海道鷹栖町
HIGASHIKAWA = "014583"  # 北海道東川町
BIEI = "014591"  # 北海道美瑛町
TOMA = "014541"  # 北海道当麻町
PIPPU = "014559"  # 北海道比布町
SAPPORO = "011002"  # 北海道札幌市 (a designated city)
SAPPORO_CHUO = "011011"  # 北海道札幌市中央区 (one of its wards)


def town(services: Services, code: str) -> uuid.UUID:
    """The organisation of a municipality from the master list."""
    return services.organizations.ensure_municipality(code).id


def club(services: Services, name: str, host: str | None = TAKASU, *,
         designates: bool = False) -> uuid.UUID:
    """A club hosted by ``host`` (a code)."""
    host_id = town(services, host) if host is not None else None
    return services.clubs.create(ClubDraft(name=name, host_municipality_id=host_id,
                                           designates_activities=designates)).id


def session(services: Services, club_id: uuid.UUID, day: date, *, status: str = "held",
            designated: bool | None = True, title: str = "", place: str = "") -> uuid.UUID:
    """A session of ``club_id`` on ``day``."""
    return services.meetings.create(MeetingDraft(
        club_id=club_id, title=title or f"{day:%m月%d日}の活動", date=day, status=status,
        designated=designated, place=place, format="onsite" if place else "online")).id


def person(services: Services, family: str, given: str = "", *, lives_in: str | None = None,
           reading: tuple[str, str] = ("", "")) -> uuid.UUID:
    """A person, living in ``lives_in`` (a code) when given."""
    residence = town(services, lives_in) if lives_in is not None else None
    return services.people.create(PersonDraft(
        family_name=family, given_name=given, family_reading=reading[0],
        given_reading=reading[1], residence_id=residence)).id


def attend(services: Services, meeting_id: uuid.UUID, person_id: uuid.UUID,
           status: str = "attended") -> None:
    services.attendance.set(meeting_id, person_id, status)


def register(services: Services, person_id: uuid.UUID, code: str, *, tier: str = "basic",
             on: date = date(2027, 1, 10), status: str = "active",
             renewal: date | None = None) -> uuid.UUID:
    """A registration of ``person_id`` with the municipality ``code``."""
    return services.registrations.create(RegistrationDraft(
        person_id=person_id, municipality_id=town(services, code), registered_on=on,
        tier=tier, renewal_due=renewal, status=status)).id


def write_csv(path: Path, headers: Sequence[object], rows: Sequence[Sequence[object]],
              encoding: str = "cp932") -> Path:
    """A CSV as Japanese Excel writes it (cp932 by default)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def table(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query on the file (read-only)."""
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        return list(connection.execute(sql))
    finally:
        connection.close()

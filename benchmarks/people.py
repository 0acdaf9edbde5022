"""Organisations and people of the synthetic data set."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import jaconv

from benchmarks import names as words
from benchmarks.rows import (
    FIRST_DAY,
    LAST_CLUB_START,
    SYNCED_COLUMNS,
    Row,
    Sink,
    Stamper,
    day_text,
    joined_keys,
    organization_keys,
    person_keys,
    random_uuid,
)
from kankei_desktop.core.japan.codes import corporate_number_check_digit, lgcode_check_digit
from kankei_desktop.core.japan.text import display_name, search_key
from kankei_desktop.core.models import Organization
from kankei_desktop.core.vocabulary import PersonCategory
from kankei_desktop.core.writes.natural_ids import municipality_uuid

Municipality = tuple[str, str, str]
"""(organisation id hex, short name 「森町」, its reading in hiragana)."""

ORGANIZATION_COLUMNS = (
    "kind", "name", "reading", "lgcode", "corporate_number", "postal_code", "address", "phone",
    "email", "website", "contact_person", "municipality_id", "notes", "search_key", "sort_key",
    *SYNCED_COLUMNS,
)
PERSON_COLUMNS = (
    "family_name", "given_name", "family_reading", "given_reading", "category",
    "organization_id", "job_title", "email", "phone", "consent_date", "notes", "search_key",
    "sort_key", *SYNCED_COLUMNS,
)
_CATEGORY_WEIGHTS = {
    PersonCategory.COMPANY_STAFF.value: 35, PersonCategory.MUNICIPAL_STAFF.value: 15,
    PersonCategory.RESIDENT.value: 25, PersonCategory.STUDENT.value: 10,
    PersonCategory.OTHER.value: 15,
}
# category → (share with an organisation, kinds it is drawn from): about 60 % overall
_AFFILIATION = {
    PersonCategory.COMPANY_STAFF.value: (0.9, ("company",)),
    PersonCategory.MUNICIPAL_STAFF.value: (0.95, ("municipality",)),
    PersonCategory.RESIDENT.value: (0.2, ("npo",)),
    PersonCategory.STUDENT.value: (0.7, ("school",)),
    PersonCategory.OTHER.value: (0.4, ("intermediary", "npo", "other")),
}


# (katakana, hiragana) spellings of the readings, indexed by "written in hiragana"
def _hiragana(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(word, jaconv.kata2hira(reading)) for word, reading in pairs]


_FAMILY = (words.FAMILY_NAMES, _hiragana(words.FAMILY_NAMES))
_GIVEN = (words.GIVEN_NAMES, _hiragana(words.GIVEN_NAMES))


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def municipality_entries(rng: random.Random, count: int) -> list[tuple[str, str, str, str, str]]:
    """``count`` municipalities (code, name, reading, full name, full reading).

    Drawn from the master list when it is available, else made up with valid codes.
    """
    try:
        from kankei_desktop.core.japan import municipalities
    except ImportError:  # pragma: no cover - the master list ships with the application
        pass
    else:
        entries = [entry for entry in municipalities.all_entries()
                   if entry.kind == municipalities.KIND_MUNICIPALITY]
        if len(entries) >= count:
            return [(entry.code, entry.name, entry.reading, entry.full_name, entry.full_reading)
                    for entry in rng.sample(entries, count)]
    made: list[tuple[str, str, str, str, str]] = []
    prefectures, towns = words.FALLBACK_PREFECTURES, words.FALLBACK_TOWNS
    for index in range(count):
        prefecture, prefecture_reading, prefix = prefectures[index % len(prefectures)]
        town, town_reading = towns[index // len(prefectures) % len(towns)]
        body = f"{prefix}{200 + index % 800:03d}"
        made.append((body + lgcode_check_digit(body), town, town_reading, prefecture + town,
                     prefecture_reading + town_reading))
    return made


def organizations(rng: random.Random, counts: dict[str, int], stamps: Stamper, sink: Sink
                  ) -> tuple[list[Municipality], dict[str, list[str]]]:
    """Insert the organisations; return the municipalities and the ids of every kind."""
    rows: list[Row] = []
    municipalities: list[Municipality] = []
    for code, short, reading, full_name, full_reading in municipality_entries(
            rng, counts["municipalities"]):
        row_id = municipality_uuid(code).hex
        search, sort = organization_keys(full_name, full_reading, code)
        rows.append(("municipality", full_name, full_reading, code, None, "", "", _phone(rng), "",
                     "", "", None, "", search, sort,
                     *stamps.synced(row_id, FIRST_DAY - rng.randrange(30, 90), 36_000)))
        municipalities.append((row_id, short, reading))
    by_kind: dict[str, list[str]] = {"municipality": [row_id for row_id, _, _ in municipalities]}
    local_stems = [(short, jaconv.hira2kata(reading)) for _, short, reading in municipalities]
    used: set[str] = set()
    kinds = rng.choices(list(words.ORG_KIND_WEIGHTS), list(words.ORG_KIND_WEIGHTS.values()),
                        k=max(0, counts["organizations"] - len(municipalities)))
    for index, kind in enumerate(kinds):
        forms, suffixes = words.ORG_PARTS[kind]
        stems = words.ORG_STEMS if kind == "company" else words.ORG_STEMS + local_stems
        for _ in range(20):
            (stem, stem_reading), (suffix, suffix_reading) = rng.choice(stems), rng.choice(suffixes)
            name, reading = rng.choice(forms) + stem + suffix, stem_reading + suffix_reading
            if name not in used:
                break
        else:
            name, reading = f"{name}{index}", f"{reading}{index}"
        used.add(name)
        body = f"{rng.randrange(10**12):012d}"
        corporate = corporate_number_check_digit(body) + body if kind != "school" else None
        home = rng.choice(municipalities)
        row_id = random_uuid(rng).hex
        search, sort = organization_keys(name, reading, None)
        day = FIRST_DAY - 60 + rng.randrange(LAST_CLUB_START - FIRST_DAY)
        family, _ = rng.choice(words.FAMILY_NAMES)
        given, _ = rng.choice(words.GIVEN_NAMES)
        rows.append((kind, name, reading, None, corporate,
                     f"{rng.randint(10, 999):03d}-{rng.randint(0, 9999):04d}",
                     f"{home[1]}{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
                     _phone(rng), f"info@org{index:05d}.example.jp",
                     f"https://org{index:05d}.example.jp", display_name(family, given), home[0], "",
                     search, sort, *stamps.synced(row_id, day, 36_000)))
        by_kind.setdefault(kind, []).append(row_id)
    sink.insert(Organization, ORGANIZATION_COLUMNS, rows)
    return municipalities, by_kind


class PeopleMaker:
    """Makes the people rows and remembers what the later tables need about each person."""

    def __init__(self, rng: random.Random, by_kind: dict[str, list[str]], as_of: int) -> None:
        self.rng = rng
        self.by_kind = by_kind
        self.as_of = as_of
        self.hex: list[str] = []
        self.text: list[bytes] = []  # str(uuid) as natural_uuid() spells it
        self.created: list[int] = []
        self.categories: list[str] = []
        self._keys: dict[tuple[int, int, bool], tuple[str, str]] = {}

    def rows(self, count: int, stamps: Stamper) -> Iterator[Row]:
        """The people rows (lazily: the side lists fill as they are consumed)."""
        rng = self.rng
        family_weights = list(itertools.accumulate(1 / (rank + 5) for rank in range(
            1, len(words.FAMILY_NAMES) + 1)))
        families = rng.choices(range(len(words.FAMILY_NAMES)), cum_weights=family_weights,
                               k=count)
        categories = rng.choices(list(_CATEGORY_WEIGHTS), list(_CATEGORY_WEIGHTS.values()),
                                 k=count)
        # Ids in ascending order: the primary-key index then grows at its end.
        ids = sorted((random_uuid(rng) for _ in range(count)), key=lambda value: value.hex)
        span, random_, given_count = self.as_of - FIRST_DAY + 29, rng.random, len(words.GIVEN_NAMES)
        for index, (family_index, category) in enumerate(zip(families, categories, strict=True)):
            given_index, hiragana = int(random_() * given_count), random_() < 0.25
            family, family_reading = _FAMILY[hiragana][family_index]
            given, given_reading = _GIVEN[hiragana][given_index]
            cache_key = (family_index, given_index, hiragana)
            keys = self._keys.get(cache_key)
            if keys is None:
                keys = self._keys[cache_key] = person_keys(family, given, family_reading,
                                                           given_reading)
            share, kinds = _AFFILIATION[category]
            organization = None
            if random_() < share:
                pool = self.by_kind.get(rng.choice(kinds)) or self.by_kind["municipality"]
                organization = rng.choice(pool)
            email = f"p{index:06d}@mail.example.jp" if random_() < 0.7 else ""
            phone = _phone(rng) if random_() < 0.5 else ""
            staff = category in ("company_staff", "municipal_staff")
            job = rng.choice(words.JOB_TITLES) if staff else ""
            created = FIRST_DAY - 30 + int(random_() * span)
            consent = day_text(created) if random_() < 0.85 else None
            person_id = ids[index]
            self.hex.append(person_id.hex)
            self.text.append(str(person_id).encode())
            self.created.append(created)
            self.categories.append(category)
            yield (family, given, family_reading, given_reading, category, organization, job,
                   email, phone, consent, "", joined_keys(keys[0], search_key(email)), keys[1],
                   *stamps.synced(person_id.hex, created, 30_000 + index % 30_000))

"""Twenty processes edit overlapping records of one shared database at once: no update is
lost, and every save that lost the race is told so (a conflict), never silently dropped."""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid
from typing import Any

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.writes.versions import EditConflictError
from tests.postgres_server import TemporaryPostgres

WORKERS = 20
ATTEMPTS = 6


def _worker(url: str, people: list[str], number: int, start: float,
            results: Any) -> None:
    """Save new e-mail addresses, each from the version just read."""
    database = open_database(url)
    services = Services(database)
    rng = random.Random(number)
    outcomes = []
    while time.time() < start:
        time.sleep(0.005)
    for attempt in range(ATTEMPTS):
        person = uuid.UUID(people[rng.randrange(len(people))])
        base = services.people.version(person)
        draft = PersonDraft.of(services.people.get(person))
        draft.email = f"w{number}-{attempt}@example.jp"
        try:
            row = services.people.update(person, draft, expected=base)
            outcomes.append(("saved", person.hex, base, row.hlc, draft.email))
        except EditConflictError as exc:
            outcomes.append(("conflict", person.hex, base, exc.current_version, exc.changed_by))
        except Exception as exc:  # reported, so the test fails with it
            outcomes.append(("error", person.hex, base, repr(exc), ""))
    database.close()
    results.put(outcomes)


def test_twenty_processes_lose_no_update(postgres_server: TemporaryPostgres) -> None:
    url = postgres_server.lend()
    try:
        database = open_database(url)
        services = Services(database)
        people = [services.people.create(PersonDraft(family_name=f"共有{i}")) for i in range(4)]
        initial = {person.id.hex: person.hlc for person in people}
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        start = time.time() + 2.0
        processes = [context.Process(target=_worker, args=(
            url, list(initial), number, start, results)) for number in range(WORKERS)]
        for process in processes:
            process.start()
        outcomes = [item for _ in processes for item in results.get(timeout=300)]
        for process in processes:
            process.join(timeout=60)
        assert len(outcomes) == WORKERS * ATTEMPTS
        assert [item for item in outcomes if item[0] == "error"] == []
        conflicts = [item for item in outcomes if item[0] == "conflict"]
        assert conflicts, "the workers never raced"
        for _kind, _person, base, current, who in conflicts:
            assert current != base  # the loser is told the version that won
            assert who  # and who saved it
        for person_hex, version in initial.items():
            saves = sorted((item for item in outcomes
                            if item[0] == "saved" and item[1] == person_hex),
                           key=lambda item: item[3])
            # every save was made from the version the previous save left: none was lost
            for save in saves:
                assert save[2] == version, "a save overwrote a version it had not read"
                version = save[3]
            final = services.people.get(uuid.UUID(person_hex))
            assert final.hlc == version
            if saves:
                assert final.email == saves[-1][4]
        database.close()
    finally:
        postgres_server.give_back(url)

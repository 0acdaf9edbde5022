"""Checking a large bundle in a second process while this one writes it.

A full bundle for a new colleague carries more than a million rows. Checking them (types,
formats, natural-key ids, duplicates) and writing them are both CPU work, and Python runs
one of them at a time per process: one after the other they took about 15 s + 55 s on the
large data set. With the check in a child process, the import takes the longer of the two.

Nothing is committed before the check has passed: the rows are written inside the import's
transaction, which is rolled back when the check refuses the bundle, so the file ends with
all of the bundle or none of it, exactly as when the check runs first. Where no second
process can be started, the check runs here after the writing, still before the commit.

The child never outlives its parent: it holds the reading end of a pipe the parent never
writes to (the lifeline), and a thread in the child ends the process as soon as that pipe
reports the other end closed, which the operating system does when the parent exits for
any reason, a kill or a crash included (on Windows as on POSIX).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import current_language, set_language
from kankei_desktop.sync.bundle import Bundle, BundleError, damaged
from kankei_desktop.sync.validate import Verified, verify_rows


@dataclass(frozen=True)
class Verdict:
    """What the check of a whole bundle found (it raises ``BundleError`` instead when the
    bundle is refused): rows per table, the highest clock, and the references that point
    outside the bundle (to be looked up in the file)."""

    counts: dict[str, int]
    highest: str
    outside: dict[str, list[str]]


def summary(verified: Verified) -> Verdict:
    """The part of a check's result the import needs (small enough to send between
    processes: the ids themselves stay where they were collected)."""
    outside = {target: sorted(wanted - verified.ids.get(target, set()))
               for target, wanted in verified.references.items()}
    return Verdict(dict(verified.counts), verified.highest,
                   {target: ids for target, ids in outside.items() if ids})


def check_bundle(manifest: dict[str, Any], payload: bytes, now_ms: int,
                 accept_future: bool, language: str | None = None) -> Verdict:
    """Check every row of a bundle; raise ``BundleError`` with a sentence if one is wrong."""
    if language is not None:
        set_language(language)  # the refusal is read by the user in their language
    return summary(verify_rows(Bundle(manifest, payload), now_ms, accept_future))


def _child(connection: Connection, lifeline: Connection, arguments: tuple[Any, ...]) -> None:
    """The child process: send back the verdict or the refusal; end with the parent."""
    watch_parent(lifeline)
    try:
        result: tuple[str, object] = ("verdict", check_bundle(*arguments))
    except Exception as exc:  # BundleError above all; anything else is reported as damage
        result = ("error", exc if isinstance(exc, KankeiError) else BundleError(damaged()))
    connection.send(result)
    connection.close()


def watch_parent(lifeline: Connection) -> None:
    """End this process at once when the parent holding the other end of ``lifeline`` is
    gone (the parent never sends on it, so a read returns only at its end)."""
    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os._exit(0)  # nobody is waiting for the verdict any more
    threading.Thread(target=watch, name="kankei-parent-watch", daemon=True).start()


class BackgroundCheck:
    """:func:`check_bundle` in a child process started at once; :meth:`verdict` waits for it.

    With ``in_child=False``, or where no process can be started, or when the child dies,
    :meth:`verdict` runs the check in this process instead (same verdict, only later).
    """

    def __init__(self, bundle: Bundle, now_ms: int, accept_future: bool, *,
                 in_child: bool = True) -> None:
        self._arguments = (bundle.manifest, bundle.payload, now_ms, accept_future)
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._lifeline: Connection | None = None
        #: Whether the verdict came from the child process (the self-test asks).
        self.ran_in_child = False
        # Starting hands the payload to the child, which reads it only once its own Python
        # is up (about a second): that wait happens beside the import, not before it.
        self._starter: threading.Thread | None = None
        if in_child:
            self._starter = threading.Thread(target=self._start, name="kankei-check-start",
                                             daemon=True)
            self._starter.start()

    def _started(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None

    def _start(self) -> None:
        # spawn everywhere: a fork of a process running Qt or SQLite threads is unsafe
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        watched, lifeline = context.Pipe(duplex=False)
        try:
            process = context.Process(
                target=_child, args=(sending, watched, (*self._arguments, current_language())),
                name="kankei-bundle-check", daemon=True)
            process.start()
        except (OSError, RuntimeError, pickle.PicklingError):
            receiving.close()
            lifeline.close()
        else:
            self._process, self._connection = process, receiving
            self._lifeline = lifeline
        finally:
            sending.close()
            watched.close()

    def verdict(self) -> Verdict:
        """The check's result; raises the check's ``BundleError`` when it refused."""
        self._started()
        if self._connection is not None:
            try:
                kind, value = self._connection.recv()
            except (EOFError, OSError):
                pass  # the child died (killed, out of memory): check here instead
            else:
                self.close()
                self.ran_in_child = True
                if kind == "error":
                    assert isinstance(value, Exception)
                    raise value
                assert isinstance(value, Verdict)
                return value
            self.close()
        return check_bundle(*self._arguments)

    def close(self) -> None:
        """Stop the child (at once when the import ends before asking for the verdict)."""
        self._started()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._lifeline is not None:
            self._lifeline.close()  # the child ends by itself now, even if it is still busy
            self._lifeline = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None

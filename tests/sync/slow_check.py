"""A background check that never finishes (imported by the spawned child in
``test_child_processes``): the real child entry point, with the check itself stalled."""

from __future__ import annotations

import time
from typing import Any

from kankei_desktop.sync import background_check

REAL_CHILD = background_check._child


def _stalled(*_arguments: Any) -> Any:
    while True:
        time.sleep(60)


def slow_child(*arguments: Any) -> None:
    """The real ``_child``, its check stalled forever."""
    background_check.check_bundle = _stalled  # type: ignore[assignment]
    REAL_CHILD(*arguments)

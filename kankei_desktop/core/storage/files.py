"""Files the application writes for the user (reports, exports)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(output: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all (a temporary file beside it, then a rename), so a
    full disk or a crash never leaves half a document under the user's file name."""
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".kankei-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""The Qt binding in the lock file must not lose references to ``None``.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` per call of a ``void`` Qt
method; after a few thousand calls (typing in a search box) the interpreter aborts with
"none_dealloc". The run happens in a child process so a crash fails this test, not the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(20000):
        label.setText("x")
    print(sys.getrefcount(None) - before)
    """
)


def test_void_qt_calls_keep_the_reference_count_of_none() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert int(result.stdout.strip().splitlines()[-1]) >= -10

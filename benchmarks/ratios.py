"""Issue 25's ratios: each path timed as a whole process beside its floor, in the same run.

    python -m benchmarks.ratios [--runs 5] [--demo FILE] [--full-import FOLDER]

A and its floor B run in turn (A B A B …) and the ratio is taken pair by pair, so a machine
whose speed drifts during the run moves both; the median ratio is reported with its range.

- ``kankei --help`` against ``python -c pass``: ≤ 5
- ``kankei stats`` on the demo file against ``python -c pass``: ≤ 8
- the window's first paint (:mod:`benchmarks.first_paint`) against
  ``import PySide6.QtWidgets``: ≤ 3; and, for information, the window until the dashboard has
  painted its figures against the same floor
- a full bundle into an empty file (:mod:`benchmarks.full_import`, with ``--full-import``)
  against ``ATTACH`` + ``INSERT … SELECT`` of the same rows: ≤ 1.2
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass
class Ratio:
    """One path against its floor: the seconds of each run and the ratio per pair."""

    name: str
    target: float | None
    """None: reported for information."""
    a: list[float]
    b: list[float]

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.a, self.b, strict=True)]

    def line(self) -> str:
        ratios = self.ratios
        median = statistics.median(ratios)
        if self.target is None:
            goal = "info"
        else:
            goal = f"target ≤ {self.target:g}  " + ("PASS" if self.slow is False else "SLOW")
        return (f"{self.name:<44} A {statistics.median(self.a):7.3f} s  floor "
                f"{statistics.median(self.b):7.3f} s  ratio {median:5.2f} "
                f"({min(ratios):.2f}–{max(ratios):.2f})  {goal}")

    @property
    def slow(self) -> bool:
        """Above its target (never for one reported for information)."""
        return self.target is not None and statistics.median(self.ratios) > self.target


def _seconds(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(list(command), cwd=REPO, env=env, capture_output=True, check=False,
                          timeout=900)  # e.g. a dialog waiting offscreen: a file to upgrade
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode(errors='replace')}")
    return seconds


def paired(name: str, target: float | None, a: Sequence[str], b: Sequence[str], runs: int,
           extra_env: dict[str, str] | None = None) -> Ratio:
    """Time ``a`` and ``b`` in turn, once each untimed first."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           **(extra_env or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed application runs compiled bytecode
    _seconds(a, env)
    _seconds(b, env)
    result = Ratio(name, target, [], [])
    for _run in range(runs):
        result.a.append(_seconds(a, env))
        result.b.append(_seconds(b, env))
    return result


def _kankei() -> list[str]:
    return [PYTHON, "-m", "kankei_desktop.commands.cli"]


def measure(runs: int, demo: Path | None, full_import: Path | None) -> list[Ratio]:
    """Every ratio (the full import only with its prepared folder)."""
    bare = [PYTHON, "-c", "pass"]
    results: list[Ratio] = []
    with tempfile.TemporaryDirectory(prefix="kankei-ratios-") as folder:
        if demo is None:
            demo = Path(folder) / "demo.sqlite3"
            subprocess.run([*_kankei(), "--db", str(demo), "demo"], cwd=REPO, check=True,
                           capture_output=True)
        results.append(paired("kankei --help", 5.0, [*_kankei(), "--help"], bare, runs))
        results.append(paired("kankei stats (demo file)", 8.0,
                              [*_kankei(), "--db", str(demo), "stats", "--fy", "2025"], bare, runs))
        # the window's own settings folder: it opens on the dashboard, at its default size
        window_env = {"KANKEI_DATA_DIR": str(Path(folder) / "window")}
        results.append(paired("window first paint (demo file)", 3.0,
                              [PYTHON, "-m", "benchmarks.first_paint", str(demo)],
                              [PYTHON, "-c", "import PySide6.QtWidgets"], runs, window_env))
        results.append(paired("window until the dashboard's figures (demo)", None,
                              [PYTHON, "-m", "benchmarks.first_paint", str(demo), "--figures"],
                              [PYTHON, "-c", "import PySide6.QtWidgets"], runs, window_env))
    if full_import is not None:
        module = [PYTHON, "-m", "benchmarks.full_import"]
        results.append(paired("full bundle into an empty file", 1.2,
                              [*module, "import", str(full_import)],
                              [*module, "floor", str(full_import)], min(runs, 3)))
    return results


def main(argv: list[str] | None = None) -> int:
    """Print every ratio; exit 1 when one is above its target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ratios", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo", type=Path, help="the demo file (default: made anew)")
    parser.add_argument("--full-import", type=Path, metavar="FOLDER",
                        help="a folder made by python -m benchmarks.full_import prepare")
    args = parser.parse_args(argv)
    results = measure(args.runs, args.demo, args.full_import)
    for result in results:
        print(result.line(), flush=True)
    return 1 if any(result.slow for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())

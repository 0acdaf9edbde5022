"""Render the screenshots of the 操作マニュアル into resources/manual/images (small PNGs).

    .venv/bin/python tools/manual_images.py

Loads the demo data into a temporary file, runs ``kankei-desktop --screenshots`` on it in
Japanese at 1280×800, and keeps the pages the manual shows, scaled down and reduced to a small
palette so the installer stays small.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "manual" / "images"
#: screenshot → width in the manual (pixels)
WANTED = {"welcome": 560, "dashboard": 960, "people": 960, "calendar": 960,
          "calendar-attendance": 640, "reports": 960, "sync": 960}


def main() -> int:
    """Render, scale, write."""
    with tempfile.TemporaryDirectory(prefix="kankei-manual-") as folder:
        work = Path(folder)
        env = {**os.environ, "KANKEI_DATA_DIR": str(work / "KankeiDesktop"), "KANKEI_LANG": "ja",
               "QT_QPA_PLATFORM": "offscreen"}
        env.pop("QT_SCALE_FACTOR", None)
        database = work / "demo.sqlite3"
        subprocess.run([sys.executable, "-c", (
            "import sys; from kankei_desktop.core.storage.database import open_database; "
            "from kankei_desktop.core.services import Services; "
            "from kankei_desktop.core.demo import load_demo; "
            "db = open_database(sys.argv[1]); load_demo(Services(db)); db.close()"),
            str(database)], env=env, check=True)
        shots = work / "shots"
        subprocess.run([sys.executable, "-m", "kankei_desktop.app", "--db", str(database),
                        "--lang", "ja", "--screenshots", str(shots)], env=env, check=True)
        TARGET.mkdir(parents=True, exist_ok=True)
        for name, width in WANTED.items():
            image = Image.open(shots / f"{name}.png").convert("RGB")
            if image.width > width:
                image = image.resize((width, round(image.height * width / image.width)),
                                     Image.Resampling.LANCZOS)
            small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT)
            path = TARGET / f"{name}.png"
            small.save(path, optimize=True)
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

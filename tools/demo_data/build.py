"""Build the bundled demo data set: app/demo_data/*.csv.

Run from the repository root:  .venv/bin/python tools/demo_data/build.py
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import common  # noqa: E402

MODULES = (
    "regions",
    "chain_copper",
    "chain_rare_earth",
    "chain_lithium",
    "chain_pv",
    "chain_electronics",
    "chain_aviation",
    "chain_tcm",
    "chain_vr",
)


def main() -> None:
    here = Path(__file__).resolve().parent
    for name in MODULES:
        if not (here / f"{name}.py").exists():
            continue
        module = importlib.import_module(name)
        if name.startswith("chain_"):
            common.add_chain(module)
        else:
            module.add()
    counts = common.write(ROOT / "app" / "demo_data")
    for sheet, n in counts.items():
        print(f"{sheet}: {n}")


if __name__ == "__main__":
    main()

"""Runs every benchmark in this folder (files named bench_*.py) and prints their figures."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

here = Path(__file__).parent
sys.path.insert(0, str(here.parent))
for script in sorted(here.glob("bench_*.py")):
    print(f"== {script.stem}")
    runpy.run_path(str(script), run_name="__main__")

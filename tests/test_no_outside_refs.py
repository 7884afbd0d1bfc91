"""No tracked file relies on a file outside the repository.

The design notes and the seed documents a previous session worked from are not shipped; the
repository documents itself in docs/. The one exception is the optional evaluation over the seed
documents (bench/eval_documents.py and what describes or tests it), which reads them where they
are present: there, a line may name the seeds' folder, and nothing else.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"DESIGN\.md|TEMPLATE\.md|\.\./shared|/work/shared")
# the seed evaluation: files that may name the seeds' folder (and only on a line about seeds)
SEED_EVALUATION = {
    "bench/eval_documents.py",
    "bench/README.md",
    "bench/gold/README.md",
    "tests/test_seed_extraction.py",
}
THIS_FILE = "tests/test_no_outside_refs.py"


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [name for name in out.decode("utf-8").split("\0") if name]


def outside_references() -> list[str]:
    found = []
    for name in tracked_files():
        path = ROOT / name
        if name == THIS_FILE or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file (a docx fixture, the favicon's bitmap, …)
        for number, line in enumerate(text.splitlines(), 1):
            if not OUTSIDE.search(line):
                continue
            if name in SEED_EVALUATION and "seeds" in line and "DESIGN" not in line:
                continue
            found.append(f"{name}:{number}: {line.strip()[:120]}")
    return found


def test_no_tracked_file_points_outside_the_repository() -> None:
    assert outside_references() == []


def test_the_check_sees_a_reference(tmp_path: Path) -> None:
    """The pattern catches each form a reference took."""
    # The samples are assembled, so this file is not itself a reference the check reports.
    design, template, shared = "DESIGN" + ".md", "TEMPLATE" + ".md", "shared" + "/"
    samples = (f"see {design}", f"{template}'s columns", f"../{shared}design", f"/work/{shared}x")
    for text in samples:
        assert OUTSIDE.search(text), text
    assert not OUTSIDE.search("docs/analyses.md and docs/reference/workbook.md")


def test_the_seed_evaluation_still_reads_the_seeds_where_present() -> None:
    """The exception is used: the evaluation names where the seeds are looked for."""
    text = (ROOT / "bench" / "eval_documents.py").read_text(encoding="utf-8")
    assert "seeds" in text

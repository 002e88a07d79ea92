"""Every corpus PDF still reads exactly as the golden files say: the same table rows, figures and pages.

The golden files were written by `python -m tests.golden_files` from the pdfplumber readers before any change of PDF
library; a reader change that moves one figure or one page reference fails here."""

import pytest

from tests.golden_files import GOLDEN, disclosures, snapshot

FOLDERS = disclosures()


@pytest.mark.skipif(not FOLDERS, reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_corpus_reads_as_golden(folder):
    expected = (GOLDEN / f"{folder.name}.csv").read_text(encoding="utf-8")
    actual = snapshot(folder)
    if actual != expected:
        gone = sorted(set(expected.splitlines()) - set(actual.splitlines()))[:5]
        new = sorted(set(actual.splitlines()) - set(expected.splitlines()))[:5]
        pytest.fail(f"{folder.name} reads differently\n  lost: {gone}\n  new:  {new}")


def test_every_corpus_folder_has_a_golden_file():
    assert {f.name for f in FOLDERS} <= {p.stem for p in GOLDEN.glob("*.csv")}

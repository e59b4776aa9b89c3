"""The matcher against the labelled pairs built from ../shared/realdata (skipped when the files are absent)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dedup_eval.py"


def load_script():
    spec = importlib.util.spec_from_file_location("dedup_eval", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_pairs_file_is_well_formed():
    labels = load_script().read_labels()
    assert set(labels.values()) == {"duplicate", "distinct"}
    assert sum(1 for v in labels.values() if v == "distinct") >= 30
    assert all(len(pair) == 2 for pair in labels)


@pytest.mark.django_db
def test_precision_on_real_partner_files(realdata):
    result = load_script().run(realdata)
    assert result["overall"]["unlabelled"] == 0
    assert result["overall"]["precision"] >= 0.95
    assert result["auto_merge"]["precision"] == 1.0
    assert result["overall"]["recall"] >= 0.8  # measured 0.86 when written

"""The synthetic generator used by the benchmark: deterministic, valid, realistically mixed."""

from dashboard.dataset.model import build_model
from dashboard.dataset.synthetic import generate, write_dataset
from dashboard.dataset.validation import check_dataset


def test_same_seed_same_dataset_other_seed_other_dataset():
    assert generate(500, seed=7) == generate(500, seed=7)
    assert generate(500, seed=7)[0] != generate(500, seed=8)[0]


def test_a_generated_dataset_passes_every_check(tmp_path):
    path = write_dataset(tmp_path, 2000, seed=3)
    dataset = check_dataset(path)
    assert [str(p) for p in dataset.problems] == []
    assert len(dataset.frame) == 2000


def test_mixes_are_realistic(tmp_path):
    model = build_model(check_dataset(write_dataset(tmp_path, 3000, seed=1)).frame)
    statements = model.statements
    assert 250 <= len(model.entities) <= 350, "about one entity per ten statements"
    precision = statements["precision"].value_counts(normalize=True)
    assert all(precision.get(p, 0) > 0.05 for p in ("day", "month", "year", "unknown"))
    certainty = statements["certainty"].value_counts(normalize=True)
    assert all(certainty.get(c, 0) > 0.02 for c in ("stated", "alleged", "denied", "inferred"))
    assert statements["date_inferred"].any() and (statements["status"] != "").any()
    assert len(model.memberships) > 0 and model.entities["side"].nunique() >= 5

"""The static reading of which annlab objects a page imports (tools/annlab_names.py)."""

from __future__ import annotations

import doctest
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import annlab_names


def test_examples_in_the_docstrings() -> None:
    assert doctest.testmod(annlab_names).failed == 0


def test_names_resolve_to_where_they_are_documented() -> None:
    names = annlab_names.imported_names(
        "from annlab.many_runs.experiments import slope_challenge, SlopeChallenge\n"
        "from annlab.plots.colors import COLORS\n"
        "from annlab.data import no_such_thing\n"
        "import torch\n"
    )
    assert names["slope_challenge"] == "annlab.many_runs.experiments.slope_challenge"
    assert names["SlopeChallenge"] == "annlab.many_runs.experiments.SlopeChallenge"
    assert names["COLORS"] == "annlab.plots.colors.COLORS"
    assert "no_such_thing" not in names and "torch" not in names
    # a name a module imports from another annlab module resolves to its definition
    reexported = annlab_names._module_names("annlab.many_runs.experiments")
    assert reexported["train_many"] == "annlab.many_runs.trainer.train_many"

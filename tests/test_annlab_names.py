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
        "from annlab.experiments import slope_challenge, SlopeChallenge\n"
        "from annlab.palette import COLORS\n"
        "from annlab.data import no_such_thing\n"
        "import torch\n"
    )
    assert names["slope_challenge"] == "annlab.experiments.slope_challenge"
    assert names["SlopeChallenge"] == "annlab.experiments.SlopeChallenge"
    assert names["COLORS"] == "annlab.palette.COLORS"
    assert "no_such_thing" not in names and "torch" not in names
    # a name a module imports from another annlab module resolves to its definition
    reexported = annlab_names._module_names("annlab.experiments")
    assert reexported["train_batched"] == "annlab.batched.train_batched"

"""The static reading of which annlab objects a page imports (annlab_site/annlab_names.py),
and the API pages generated from the package (annlab_site/api_pages.py)."""

from __future__ import annotations

import doctest
from pathlib import Path

from annlab_site import annlab_names, api_pages
from annlab_site.annlab_names import api_url, imported_names

from tests.conftest import ROOT

LIBRARY = ROOT / "annlab"


def test_examples_in_the_docstrings() -> None:
    assert doctest.testmod(annlab_names).failed == 0
    assert doctest.testmod(api_pages).failed == 0


def test_names_resolve_to_where_they_are_documented() -> None:
    names = imported_names(
        "from annlab.many_runs.experiments import slope_challenge, SlopeChallenge\n"
        "from annlab.plots.colors import COLORS\n"
        "from annlab.data import no_such_thing\n"
        "import torch\n",
        LIBRARY,
    )
    assert names["slope_challenge"] == "annlab.many_runs.experiments.slope_challenge"
    assert names["SlopeChallenge"] == "annlab.many_runs.experiments.SlopeChallenge"
    assert names["COLORS"] == "annlab.plots.colors.COLORS"
    assert "no_such_thing" not in names and "torch" not in names
    # a name a module imports from another annlab module resolves to its definition
    reexported = annlab_names.module_names("annlab.many_runs.experiments", LIBRARY)
    assert reexported["train_many"] == "annlab.many_runs.trainer.train_many"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "annlab" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "annlab"


# The layout annlab is moving to: subpackages, private modules, re-exports.
FAKE = {
    "__init__.py": '"""annlab: the first steps."""\n',
    "_checks.py": '"""Checks."""\ndef check_positive(x): ...\n',
    "data.py": '"""Seeded toy data sets: clusters."""\ndef qwerties(): ...\n',
    "by_hand/__init__.py": '"""The neuron\'s math, by hand: no autograd."""\n',
    "by_hand/activations.py": '"""Activation functions, written out by hand."""\n'
    "def sigmoid(x): ...\nSLOPE = 1\n_hidden = 2\n",
    "many_runs/__init__.py": (
        '"""Many runs at once."""\nfrom annlab.many_runs.trainer import train_many\n'
    ),
    "many_runs/_math.py": '"""Private math."""\ndef backward(): ...\n',
    "many_runs/trainer.py": '"""Train many networks: R runs."""\n'
    "from ._math import backward\nfrom annlab._checks import check_positive\n"
    "def train_many(): ...\nclass ManyRuns: ...\n",
    "many_runs/experiments.py": '"""The experiments."""\n'
    "from .trainer import train_many as trainer\n",
    "plots/surfaces.py": '"""Figures over the plane: heatmaps."""\ndef heatmap(): ...\n',
}


def test_subpackage_modules_resolve_and_link(tmp_path: Path) -> None:
    library = _write(tmp_path, FAKE)
    names = imported_names(
        "from annlab.by_hand.activations import sigmoid, SLOPE\n"
        "from annlab.many_runs import train_many\n"
        "from annlab.many_runs.experiments import trainer\n"
        "from annlab.plots.surfaces import heatmap as hm\n"
        "from annlab.many_runs.trainer import backward, check_positive\n",
        library,
    )
    assert names["sigmoid"] == "annlab.by_hand.activations.sigmoid"
    assert names["SLOPE"] == "annlab.by_hand.activations.SLOPE"
    assert names["train_many"] == "annlab.many_runs.trainer.train_many"  # package re-export
    assert names["trainer"] == "annlab.many_runs.trainer.train_many"  # relative import
    assert names["hm"] == "annlab.plots.surfaces.heatmap"
    assert "backward" not in names and "check_positive" not in names, "private: no page"
    assert api_url("annlab.by_hand.activations.sigmoid", library) == (
        "api/by_hand/activations/#annlab.by_hand.activations.sigmoid"
    )
    assert api_url("annlab.by_hand.activations", library) == "api/by_hand/activations/"
    assert api_url("annlab.data.qwerties", library, "reference") == (
        "reference/data/#annlab.data.qwerties"
    )


def test_api_pages_and_nav_follow_the_package(tmp_path: Path) -> None:
    package = api_pages.walk(_write(tmp_path, FAKE))
    modules = {m.name: m for m in package.all_modules()}
    assert sorted(modules) == [
        "annlab.by_hand.activations",
        "annlab.data",
        "annlab.many_runs.experiments",
        "annlab.many_runs.trainer",
        "annlab.plots.surfaces",
    ], "one page per public module, private ones and packages' __init__ left out"
    surfaces = modules["annlab.plots.surfaces"]
    assert surfaces.src_uri("api") == "api/plots/surfaces.md"
    assert surfaces.markdown() == "# Figures over the plane\n\n::: annlab.plots.surfaces\n"
    assert package.nav("api") == [
        {"Seeded toy data sets": "api/data.md"},
        {
            "The neuron's math, by hand": [
                {"Activation functions, written out by hand": "api/by_hand/activations.md"},
            ]
        },
        {
            "Many runs at once": [
                {"The experiments": "api/many_runs/experiments.md"},
                {"Train many networks": "api/many_runs/trainer.md"},
            ]
        },
        {"Plots": [{"Figures over the plane": "api/plots/surfaces.md"}]},
    ]
    documented = api_pages.documented_paths(package, tmp_path / "annlab")
    assert "annlab.many_runs.trainer.ManyRuns" in documented
    assert "annlab.many_runs.experiments.trainer" not in documented, "documented elsewhere"


def test_an_import_cycle_and_an_edited_source_read_right(tmp_path: Path) -> None:
    library = _write(
        tmp_path,
        {
            "a.py": "from annlab.b import g\ndef f(): ...\n",
            "b.py": "from annlab.a import f\ndef g(): ...\n",
        },
    )
    assert imported_names("from annlab.a import f, g", library) == {
        "annlab.a": "annlab.a",
        "f": "annlab.a.f",
        "g": "annlab.b.g",
    }
    (library / "a.py").write_text("def f(): ...\ndef h(): ...\n")
    assert "h" in imported_names("from annlab.a import h", library), "nothing read is kept"

"""Running a page (annlab_site/page_run.py): numeric profiles and numbers in the prose."""

from __future__ import annotations

from pathlib import Path

import pytest
from annlab_site import page_run

from tests.site.conftest import removed_cell_tags

PAGE = """\
# %% [markdown]
# # A page

# %%
rate = 0.4567
runs = 150
# %% [markdown]
# {{ runs }} runs, {{ 100 * rate:.1f }} % of them, {{runs}} again.

# %%
rate = 0.9
# %% [markdown]
# Later: {{ rate:.0% }}, and braces in math stay: $x^{2}$, $\\frac{a}{b}$.
"""


def _page(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "01_page.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_prose_numbers_are_what_the_code_above_them_computed(tmp_path: Path) -> None:
    executed = page_run.run_page(_page(tmp_path, PAGE), page_run.PROFILES["native"])
    markdown = [c.source for c in executed.notebook.cells if c.cell_type == "markdown"]
    assert markdown[1] == "150 runs, 45.7 % of them, 150 again."
    assert markdown[2].startswith("Later: 90%, and braces in math stay: $x^{2}$")
    # The helper cells that computed the values are gone, and defined no names.
    assert [c.cell_type for c in executed.notebook.cells] == ["markdown", "code"] * 2 + [
        "markdown"
    ]
    assert all(
        page_run.VALUES_TAG not in c.metadata.get("tags", []) for c in executed.notebook.cells
    )


def test_an_unknown_name_in_the_prose_names_the_page_and_the_cell(tmp_path: Path) -> None:
    text = PAGE.replace("{{ rate:.0% }}", "{{ rates:.0% }}")
    with pytest.raises(page_run.PageError) as failure:
        page_run.run_page(_page(tmp_path, text), page_run.PROFILES["native"])
    assert failure.value.where.startswith("markdown cell 3")
    assert "NameError" in failure.value.error and "rates" in failure.value.error
    assert str(failure.value).startswith("01_page.py failed in markdown cell 3")


@pytest.mark.parametrize(
    "placeholder", ["{{ spread['adam'][1] }}", '{{ f"{rate}" }}', "{{ 100 *\n rate }}"]
)
def test_a_placeholder_the_build_cannot_read_fails_instead_of_reaching_the_page(
    tmp_path: Path, placeholder: str
) -> None:
    # It used to be left as typed: "{{ spread['adam'][1] }} epochs" reached page 6.
    text = PAGE.replace("{{ rate:.0% }}", placeholder.replace("\n", "\n# "))
    with pytest.raises(page_run.PageError) as failure:
        page_run.run_page(_page(tmp_path, text), page_run.PROFILES["native"])
    assert failure.value.where == "markdown cell 3"
    assert "cannot read" in failure.value.error


def test_a_failing_code_cell_is_named_by_its_number_and_first_line(tmp_path: Path) -> None:
    text = PAGE.replace("rate = 0.9", "rate = 1 / 0")
    with pytest.raises(page_run.PageError) as failure:
        page_run.run_page(_page(tmp_path, text), page_run.PROFILES["native"])
    assert failure.value.where == "code cell 2 (starting 'rate = 1 / 0')"
    assert "ZeroDivisionError" in failure.value.error


def test_the_profile_reaches_the_kernel(tmp_path: Path) -> None:
    page = "# %%\nimport os\nprint(os.environ['ATEN_CPU_CAPABILITY'], os.environ['MKL_CBWR'])\n"
    executed = page_run.run_page(_page(tmp_path, page), page_run.PROFILES["scalar"])
    assert page_run.printed_outputs(executed.notebook, removed_cell_tags()) == ["default AUTO\n"]


def test_the_profile_is_chosen_by_the_cpu_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ANNLAB_NUMERIC_PROFILE", raising=False)
    chosen = page_run.numeric_profile()
    if page_run.cpu_has_avx2():
        assert chosen == page_run.PROFILES["avx2"]
    else:
        assert chosen.env == {} and "no AVX2" in chosen.name
    monkeypatch.setenv("ANNLAB_NUMERIC_PROFILE", "scalar")
    assert page_run.numeric_profile() == page_run.PROFILES["scalar"]
    monkeypatch.setenv("ANNLAB_NUMERIC_PROFILE", "fast")
    with pytest.raises(ValueError, match="ANNLAB_NUMERIC_PROFILE"):
        page_run.numeric_profile()


def test_page_env_replaces_inherited_kernel_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MKL_CBWR", "AVX512")
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx512")
    native = page_run.page_env(page_run.PROFILES["native"])
    assert "MKL_CBWR" not in native and "ATEN_CPU_CAPABILITY" not in native
    assert native["OMP_NUM_THREADS"] == "1"
    assert page_run.page_env(page_run.PROFILES["avx2"])["MKL_CBWR"] == "COMPATIBLE"
    monkeypatch.setenv("NUMBA_CPU_FEATURES", "+avx512f")
    assert "NUMBA_CPU_FEATURES" not in page_run.page_env(page_run.PROFILES["native"])


NUMBA_VECTORS = """
import numba, numpy as np

@numba.njit(fastmath=True, cache=False)
def dot(a, b):
    total = np.float32(0)
    for i in range(a.size):
        total += a[i] * b[i]
    return total

ones = np.ones(1024, np.float32)
dot(ones, ones)
code = next(iter(dot.inspect_asm().values()))
print("zmm" in code, "ymm" in code)
"""


@pytest.mark.skipif(not page_run.cpu_has_avx2(), reason="the AVX2 profile needs an AVX2 CPU")
def test_under_the_avx2_profile_numba_compiles_avx2_code_even_on_an_avx512_cpu() -> None:
    """With NUMBA_CPU_NAME=haswell alone, numba added this machine's AVX-512 features and
    the pages' fused kernel ran on 512-bit vectors, summing in another order than on an
    AVX2 machine."""
    import subprocess
    import sys

    env = page_run.page_env(page_run.PROFILES["avx2"], backend="Agg")
    found = subprocess.run(
        [sys.executable, "-c", NUMBA_VECTORS], env=env, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.split() == ["False", "True"], "256-bit vectors, never 512-bit"


def test_alt_text_quotes_values_computed_by_its_own_cell(tmp_path: Path) -> None:
    page = (
        '# %% alt="a line rising to {{ top:.1f }}"\ntop = 2.25\n\n'
        '# %% alt="a plain figure"\nprint(top)\n'
    )
    executed = page_run.run_page(_page(tmp_path, page), page_run.PROFILES["native"])
    assert page_run.alt_texts(executed.notebook, removed_cell_tags()) == [
        "a line rising to 2.2",
        "a plain figure",
    ]
    with pytest.raises(page_run.PageError, match=r"code cell 1 \(the .* alt text\)"):
        page_run.run_page(
            _page(tmp_path, page.replace("top:", "peak:")), page_run.PROFILES["native"]
        )


def test_running_pages_needs_no_mkdocs() -> None:
    """The execution code stays free of MkDocs, so a move off MkDocs 1.x stays cheap."""
    import subprocess
    import sys

    code = "import sys, annlab_site.page_run; print([m for m in sys.modules if 'mkdocs' in m])"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


NUMPY_TARGETS = """
from numpy._core._multiarray_umath import __cpu_features__ as found
print(found["X86_V3"], found.get("X86_V4", False), found.get("AVX512_ICL", False))
"""


@pytest.mark.skipif(not page_run.cpu_has_avx2(), reason="the AVX2 profile needs an AVX2 CPU")
def test_under_the_avx2_profile_numpy_takes_its_avx2_paths_even_on_an_avx512_cpu() -> None:
    """numpy has AVX-512 versions of many of its loops: on an Intel Xeon they changed a
    digit page 4 prints (0.0220 with them, 0.0218 without, as on an AVX2 CPU)."""
    import subprocess
    import sys

    env = page_run.page_env(page_run.PROFILES["avx2"], backend="Agg")
    found = subprocess.run(
        [sys.executable, "-c", NUMPY_TARGETS], env=env, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.split() == ["True", "False", "False"], "AVX2, never AVX-512"

"""The Python examples in README.md and on the home page run and print what they claim."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    found = []
    for name in ("README.md", "docs/index.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        found += [(f"{name}#{i}", block) for i, block in enumerate(BLOCK.findall(text))]
    return found


@pytest.mark.parametrize(("where", "code"), _examples(), ids=[w for w, _ in _examples()])
def test_example_prints_what_its_comment_says(where: str, code: str) -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, where, "exec"), {})
    claims = [line[2:].split(":")[0] for line in code.splitlines() if line.startswith("# ")]
    assert claims, f"{where}: say in a comment what the example prints"
    for claim in claims:
        assert claim.strip() in output.getvalue(), f"{where}: printed {output.getvalue()!r}"

"""Run one tutorial page: its cells in a fresh kernel, its prose numbers filled in.

Nothing here knows about MkDocs: the plugin (``plugin.py``) calls :func:`run_page` and
turns the executed notebook into HTML; the tests and ``snapshot.py`` call it too.

**Numeric profile.** The same float32 code can print different last digits on
different CPUs: PyTorch picks vectorised kernels for the CPU it finds
(``ATEN_CPU_CAPABILITY``), MKL picks CPU-specific code paths (``MKL_CBWR``), numba
compiles for the CPU it runs on (``NUMBA_CPU_NAME``, ``NUMBA_CPU_FEATURES``), numpy
dispatches to the widest vectors it finds (``NPY_DISABLE_CPU_FEATURES``), and each sums
in its own order.
Pages run under one fixed profile, so that every x86-64 machine with AVX2 (Intel and
AMD alike) prints the same numbers, except in cells tagged ``cpu-sensitive``, whose long
training runs magnify the last bits (``snapshot.py``). A machine without AVX2 (or not
x86) runs natively, and its pages' stamps say so.

**Prose numbers.** A markdown cell may quote a value the code above it computed:
``{{ name }}`` or ``{{ expression:format }}``, with f-string semantics, e.g.
``{{ 100 * rate:.1f }} %``. Just before such a cell runs, a hidden cell evaluates its
placeholders in the page's namespace; the markdown then carries the text, and the
hidden cell is removed. A figure's alt text (``# %% alt="..."``) may hold placeholders
too, evaluated just after its cell ran. A name that does not exist fails the run,
naming the page and the cell.

**A prose edit without a re-run.** What a run computes depends on the code cells and on
the placeholders' expressions (and where they sit between the code cells), not on the
words around them. :func:`run_skeleton` is that part of a page; a page whose skeleton
is unchanged takes the outputs and placeholder values of its earlier run
(:func:`reuse_run`) and only its new prose.
"""

from __future__ import annotations

import json
import os
import platform
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

# {{ expression }} or {{ expression:format }}; no braces, quotes or line breaks inside,
# so the expression can be pasted into an f-string as it is.
PLACEHOLDER = re.compile(r"\{\{\s*(?P<expression>[^{}\"'\n]+?)\s*\}\}")
VALUES_TAG = "annlab-prose-values"
VALUES_MARKER = "annlab-prose-values:"
THREADS = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
PRINT_EXTENSION = "annlab_site.print_figures"


@dataclass(frozen=True)
class NumericProfile:
    """Environment variables that fix how torch and MKL compute, and a name for them."""

    name: str
    env: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        settings = " ".join(f"{key}={value}" for key, value in sorted(self.env.items()))
        return f"{self.name} ({settings})" if settings else self.name


# numpy's dispatch targets above AVX2 (numpy 2.x names; one the CPU lacks is ignored).
_NUMPY_AVX512 = "X86_V4,AVX512_ICL,AVX512_SPR"
PROFILES = {
    # The published pages: ATen's AVX2 kernels, numpy's AVX2 paths and numba code
    # compiled for Haswell (the first AVX2 CPU), on any CPU that has AVX2; so an AVX-512
    # machine computes as an AVX2 one does. numba needs both names: with the CPU name
    # alone it adds the host's own features, and on an AVX-512 machine it compiled the
    # "Haswell" kernel with 512-bit vectors (and sums in another order) all the same.
    # MKL runs its COMPATIBLE branch, the one Intel documents as giving the same results
    # on Intel and non-Intel CPUs: its AVX2 branch, asked for on an AMD CPU, silently
    # falls back to MKL's own choice, and page 4 printed other digits on an AMD EPYC
    # than on an Intel Xeon (a training cost 1.549 against 1.581).
    "avx2": NumericProfile(
        "x86-64 AVX2",
        {
            "ATEN_CPU_CAPABILITY": "avx2",
            "MKL_CBWR": "COMPATIBLE",
            "NUMBA_CPU_NAME": "haswell",
            "NUMBA_CPU_FEATURES": "+avx2,+fma",
            "NPY_DISABLE_CPU_FEATURES": _NUMPY_AVX512,
        },
    ),
    # A deliberately different one: ATen's scalar kernels, numpy's baseline (SSE) paths,
    # numba for a generic x86-64 and MKL's own choice for this CPU. The tests run every
    # page under it, so an assert that holds on one CPU only is caught.
    "scalar": NumericProfile(
        "scalar ATen and numpy, generic numba, MKL's own branch",
        {
            "ATEN_CPU_CAPABILITY": "default",
            "MKL_CBWR": "AUTO",
            "NUMBA_CPU_NAME": "generic",
            "NPY_DISABLE_CPU_FEATURES": f"X86_V3,{_NUMPY_AVX512}",
        },
    ),
    "native": NumericProfile("native (this CPU's own kernels)"),
}


# Every variable a profile sets: a page's kernel never inherits them from the caller,
# so a profile left without one runs that library natively, not as the caller chose.
PROFILE_SETTINGS = frozenset(key for profile in PROFILES.values() for key in profile.env)


def cpu_has_avx2() -> bool:
    """True on an x86-64 CPU with AVX2 (read from /proc/cpuinfo, or sysctl on macOS)."""
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return False
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        flags = re.search(r"^flags\s*:(.*)$", cpuinfo.read_text(), re.MULTILINE)
        return flags is not None and "avx2" in flags.group(1).split()
    try:
        import subprocess

        found = subprocess.run(
            ["sysctl", "-n", "machdep.cpu.leaf7_features"], capture_output=True, text=True
        )
    except OSError:
        return False
    return "AVX2" in found.stdout.split()


def numeric_profile() -> NumericProfile:
    """The profile pages run under: ``$ANNLAB_NUMERIC_PROFILE``, else AVX2 where the CPU
    has it, else native."""
    requested = os.environ.get("ANNLAB_NUMERIC_PROFILE")
    if requested:
        if requested not in PROFILES:
            raise ValueError(
                f"ANNLAB_NUMERIC_PROFILE must be one of {sorted(PROFILES)}, got {requested!r}"
            )
        return PROFILES[requested]
    if cpu_has_avx2():
        return PROFILES["avx2"]
    return NumericProfile(f"native: this CPU ({platform.machine()}) has no AVX2")


def page_env(profile: NumericProfile, backend: str = INLINE_BACKEND) -> dict[str, str]:
    """The environment a page's code runs in: one thread, the profile, a figure backend."""
    env = {key: value for key, value in os.environ.items() if key not in PROFILE_SETTINGS}
    # The pages' networks are tiny: a second thread only adds contention on a busy
    # machine, and one thread gives the page, the script and the copied code the same sums.
    env.update(THREADS)
    env.update(profile.env)
    env["MPLBACKEND"] = backend
    return env


class PageError(Exception):
    """A page's cell raised: ``where`` names the cell, ``error`` is what it raised."""

    def __init__(self, page: str, where: str, error: str) -> None:
        super().__init__(f"{page} failed in {where}:\n{error}")
        self.where = where
        self.error = error


@dataclass(frozen=True)
class ExecutedPage:
    """A page's notebook with its outputs and its prose numbers, and how long it ran.

    ``values`` holds the text of every placeholder, one list per text that has any (a
    markdown cell or an alt text), in page order: what :func:`reuse_run` fills a new
    version of the prose with.
    """

    notebook: Any  # nbformat.NotebookNode
    seconds: float
    profile: NumericProfile
    values: list[list[str]] = field(default_factory=list)

    def stored(self) -> dict[str, Any]:
        """The run as the page cache keeps it, as JSON (the profile is in its key)."""
        return {
            "notebook": nbformat.writes(self.notebook),
            "seconds": self.seconds,
            "values": self.values,
        }

    @classmethod
    def from_stored(cls, entry: dict[str, Any], profile: NumericProfile) -> ExecutedPage:
        """A run the page cache kept (:meth:`stored`), which ran under ``profile``."""
        notebook = nbformat.reads(entry["notebook"], as_version=4)
        return cls(notebook, entry["seconds"], profile, entry["values"])


def _values_cell(text: str, kind: str) -> Any:
    """A code cell that prints the values of the placeholders in ``text``, as JSON."""
    expressions = [m["expression"] for m in PLACEHOLDER.finditer(text)]
    texts = ", ".join(f'f"{{{expression}}}"' for expression in expressions)
    # One expression statement: it defines no name in the reader's namespace.
    source = f'print("{VALUES_MARKER}" + __import__("json").dumps([{texts}]))'
    return nbformat.v4.new_code_cell(source, metadata={"tags": [VALUES_TAG], VALUES_TAG: kind})


def _first_line(source: str) -> str:
    stripped = source.strip()
    return stripped.splitlines()[0] if stripped else ""


def _printed(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


def _fill_in(markdown: str, values: list[str]) -> str:
    remaining = iter(values)
    return PLACEHOLDER.sub(lambda _: next(remaining), markdown)


def read_page(path: Path) -> Any:
    """The page as a notebook, with cell ids that are the same every time."""
    notebook = jupytext.read(path)
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
    return notebook


def _check_placeholders(page: str, notebook: Any, removed_tags: frozenset[str]) -> None:
    """Refuse a ``{{`` the build cannot fill: it would reach the page as it is written.
    Code cells are counted as the page shows them: without those tagged ``removed_tags``."""
    markdown_number = code_number = 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            markdown_number += 1
            texts = [(cell.source, f"markdown cell {markdown_number}")]
        elif cell.cell_type == "code":
            code_number += 0 if removed_tags & set(cell.metadata.get("tags", [])) else 1
            alt = cell.metadata.get("alt")
            texts = [(alt, f"code cell {code_number} (its alt text)")] if alt else []
        else:
            continue
        for text, where in texts:
            if text.count("{{") != len(PLACEHOLDER.findall(text)):
                raise PageError(
                    page,
                    where,
                    "a {{ … }} placeholder the build cannot read: it holds "
                    "braces, quotes or a line break; compute the value in a code cell "
                    "and quote its name",
                )


def run_page(
    path: Path,
    profile: NumericProfile | None = None,
    *,
    timeout: int = 900,
    kernel_name: str = "python3",
    backend: str = INLINE_BACKEND,
    removed_tags: frozenset[str] = frozenset(),
    notebook: Any = None,
) -> ExecutedPage:
    """Execute the page at ``path`` in a fresh kernel; raise PageError naming a failing cell
    (counted as the page shows its code cells: without those tagged ``removed_tags``,
    mkdocs-jupyter's ``remove_cell_tags``). ``notebook``: the page as :func:`read_page`
    gives it, if the caller has read it already (it is filled in: pass a copy)."""
    profile = profile or numeric_profile()
    notebook = read_page(path) if notebook is None else notebook
    _check_placeholders(path.name, notebook, removed_tags)
    cells = []  # the page's cells, and a values cell where text quotes computed values:
    for cell in notebook.cells:  # before a markdown cell, after a figure's code cell
        if cell.cell_type == "markdown" and PLACEHOLDER.search(cell.source):
            cells.append(_values_cell(cell.source, "markdown"))
        cells.append(cell)
        alt = cell.metadata.get("alt") if cell.cell_type == "code" else None
        if isinstance(alt, str) and PLACEHOLDER.search(alt):
            cells.append(_values_cell(alt, "alt"))
    notebook.cells = cells
    # The kernel talks to this process over Unix sockets in a private directory, not
    # over TCP on localhost (where ipykernel warns, in every page run, that its
    # messages go unencrypted). Windows has no such sockets: TCP there.
    sockets = tempfile.TemporaryDirectory(prefix="annlab-kernel-")
    ipc = {"transport": "ipc", "ip": os.path.join(sockets.name, "kernel")}
    transport = Config({"KernelManager": ipc if os.name == "posix" else {}})
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel_name,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
        config=transport,
        # Each figure also at print resolution, for the PDF (print_figures.py).
        extra_arguments=[f"--IPKernelApp.extra_extensions={PRINT_EXTENSION}"],
    )
    code_number = 0
    markdown_number = 0
    start = time.perf_counter()
    with sockets, client.setup_kernel(env=page_env(profile, backend)):
        for index, cell in enumerate(notebook.cells):
            tags = set(cell.metadata.get("tags", []))
            if cell.cell_type == "markdown":
                markdown_number += 1
                continue
            if cell.cell_type != "code":
                continue
            if VALUES_TAG in tags and cell.metadata[VALUES_TAG] == "alt":
                where = f"code cell {code_number} (the {{{{ … }}}} values of its alt text)"
            elif VALUES_TAG in tags:
                where = f"markdown cell {markdown_number + 1} (its {{{{ … }}}} values)"
            else:
                code_number += 0 if removed_tags & tags else 1
                where = f"code cell {code_number} (starting {_first_line(cell.source)!r})"
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                raise PageError(path.name, where, str(error)) from None
    seconds = time.perf_counter() - start
    kept: list[Any] = []
    every_value: list[list[str]] = []
    for cell in notebook.cells:
        if VALUES_TAG in cell.metadata.get("tags", []):
            printed = _printed(cell)
            values = json.loads(printed[printed.index(VALUES_MARKER) + len(VALUES_MARKER) :])
            every_value.append(values)
            if cell.metadata[VALUES_TAG] == "alt":  # the figure's cell came just before
                kept[-1].metadata["alt"] = _fill_in(kept[-1].metadata["alt"], values)
            continue
        if cell.cell_type == "markdown" and PLACEHOLDER.search(cell.source):
            cell.source = _fill_in(cell.source, values)
        kept.append(cell)
    notebook.cells = kept
    return ExecutedPage(notebook, seconds, profile, every_value)


def _expressions(text: str) -> list[str]:
    return [m["expression"] for m in PLACEHOLDER.finditer(text)]


def run_skeleton(page: Any) -> str:
    """What a run of the page depends on, as text: every code cell (source and metadata,
    the alt text reduced to its placeholders) and, between them, the placeholders of
    each markdown cell that has any. Prose without placeholders is left out. ``page``:
    the page as :func:`read_page` gives it."""
    parts: list[Any] = []
    for cell in page.cells:
        if cell.cell_type == "code":
            metadata = {k: v for k, v in cell.metadata.items() if k != "alt"}
            alt = cell.metadata.get("alt")
            alt_expressions = _expressions(alt) if isinstance(alt, str) else []
            parts.append(["code", cell.source, metadata, alt_expressions])
        elif cell.cell_type == "markdown" and PLACEHOLDER.search(cell.source):
            parts.append(["text", _expressions(cell.source)])
    return json.dumps(parts, sort_keys=True)


def reuse_run(
    path: Path,
    earlier: ExecutedPage,
    removed_tags: frozenset[str] = frozenset(),
    notebook: Any = None,
) -> ExecutedPage:
    """The page at ``path`` with the outputs and placeholder values of ``earlier``, a run
    of a version with the same :func:`run_skeleton` (so its code cells and placeholders
    match one for one): only the prose is new."""
    notebook = read_page(path) if notebook is None else notebook
    _check_placeholders(path.name, notebook, removed_tags)
    ran = iter(cell for cell in earlier.notebook.cells if cell.cell_type == "code")
    values = iter(earlier.values)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            done = next(ran)
            alt = cell.metadata.get("alt")
            cell.outputs, cell.execution_count = done.outputs, done.execution_count
            cell.metadata = nbformat.NotebookNode(
                {key: value for key, value in done.metadata.items() if key != "alt"}
            )
            if alt is not None:
                cell.metadata["alt"] = alt
            if isinstance(alt, str) and PLACEHOLDER.search(alt):
                cell.metadata["alt"] = _fill_in(alt, next(values))
        elif cell.cell_type == "markdown" and PLACEHOLDER.search(cell.source):
            cell.source = _fill_in(cell.source, next(values))
    return ExecutedPage(notebook, earlier.seconds, earlier.profile, earlier.values)


def alt_texts(notebook: Any, removed_tags: frozenset[str]) -> list[Any]:
    """Each shown code cell's alt text (filled in, for an executed notebook), or None;
    cells tagged ``removed_tags`` are not shown."""
    return [
        cell.metadata.get("alt")
        for cell in notebook.cells
        if cell.cell_type == "code" and not removed_tags & set(cell.metadata.get("tags", []))
    ]


def printed_outputs(notebook: Any, removed_tags: frozenset[str]) -> list[str]:
    """What each shown code cell printed (stdout and stderr text), in order; cells
    tagged ``removed_tags`` are not shown."""
    return [
        _printed(cell)
        for cell in notebook.cells
        if cell.cell_type == "code" and not removed_tags & set(cell.metadata.get("tags", []))
    ]

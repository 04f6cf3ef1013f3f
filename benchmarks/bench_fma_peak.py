"""This core's float32 FMA peak on one thread, measured with a numba loop (issue 16).

``bench_many_runs.py`` quotes a one-thread 4096² ``torch.mm`` as "peak". On an AMD
CPU that GEMM may take a code path narrower than the CPU's widest vectors, so this
script measures the FMA throughput directly: a float32 array that fits in L1, each
element pushed through a chain of dependent FMAs (``v = v * a + b``). Each element's
chain is serial, but elements are independent, so the vectorised loop keeps many
FMA chains in flight (out-of-order across iterations). Chains of 4 to 8 FMAs are
bound by the FMA units; longer chains are bound by the FMA latency (the
out-of-order window no longer holds enough of them), shorter ones by the load and
store per element. The best of the chain lengths tried is the peak.

The loop is compiled for the host CPU, and again for Haswell (AVX2, the site's
``NUMBA_CPU_NAME``) in a child process, to show both vector widths. Timing: CPU time
(``time.process_time``), best of 9, with the 1-minute load average per line.

    .venv/bin/python benchmarks/bench_fma_peak.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import numpy as np
from numba import njit

CHAINS = (4, 8, 16, 32)  # dependent FMAs per element per pass
SIZE = 1024  # float32 elements: 4 KB, in L1
FLOPS = 2.6e8  # per timed call


def fma_passes(chain: int) -> Any:
    """A compiled loop: ``passes`` times over ``x``, each element through ``chain`` FMAs."""

    @njit(fastmath={"contract"}, error_model="numpy")
    def passes_of(x: np.ndarray, a: np.float32, b: np.float32, passes: int) -> None:
        for _ in range(passes):
            for i in range(x.shape[0]):
                v = x[i]
                for _ in range(chain):
                    v = v * a + b
                x[i] = v

    return passes_of


def vector_registers(fn: Any) -> str:
    """Which vector registers the compiled loop's FMAs use (zmm: 16 float32 lanes)."""
    asm = next(iter(fn.inspect_asm().values()))
    lines = [line for line in asm.splitlines() if "vfmadd" in line]
    kinds = {reg for line in lines for reg in ("zmm", "ymm", "xmm") if reg in line}
    return f"{len(lines)} vfmadd, {'/'.join(sorted(kinds))}"


def chain_rate(chain: int, repeats: int = 9) -> tuple[float, float, Any]:
    """GFLOP/s of the loop with ``chain`` FMAs per element: best of ``repeats`` CPU times."""
    fn = fma_passes(chain)
    x = np.full(SIZE, 0.5, np.float32)
    a, b = np.float32(0.999), np.float32(0.0005)
    fn(x, a, b, 1)
    passes = int(FLOPS / (2 * chain * SIZE))
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn(x, a, b, passes)
        best = min(best, time.process_time() - start)
    return 2.0 * chain * SIZE * passes / best / 1e9, best, fn


def peak_gflops() -> float:
    """This core's float32 FMA peak on one thread, GFLOP/s (the best chain length)."""
    return max(chain_rate(chain)[0] for chain in CHAINS)


def measure() -> None:
    cpu = os.environ.get("NUMBA_CPU_NAME", "host")
    rates = []
    for chain in CHAINS:
        rate, best, fn = chain_rate(chain)
        rates.append(rate)
        print(
            f"numba target {cpu}, chain {chain:2d}: {rate:6.1f} GFLOP/s float32 "
            f"(best of 9 CPU times, {best * 1e3:.2f} ms; load {os.getloadavg()[0]:.2f}; "
            f"{vector_registers(fn)})"
        )
    print(f"numba target {cpu}: peak {max(rates):.1f} GFLOP/s float32, one thread")


if __name__ == "__main__":
    measure()
    if "--child" not in sys.argv:
        env = {**os.environ, "NUMBA_CPU_NAME": "haswell"}
        subprocess.run([sys.executable, __file__, "--child"], env=env, check=True)

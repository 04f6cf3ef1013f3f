"""The fused CPU kernel of :func:`annlab.many_runs.trainer.train_many` (numba).

Its driver, :mod:`annlab.many_runs._fused_path`, converts a run spec's tensors into
this module's flat arrays and codes, and chooses numba's target before importing it.

The pure-torch path runs each operation over all R runs at once, so every
layer's activations and deltas stream through memory a dozen times per epoch:
14 passes over the (1000, 16, 200) hidden layer of the 2-16-1-1 experiment,
memory-bound (``benchmarks/RESULTS.md``). Here one compiled loop takes the runs
one by one and does the whole training of a run (every epoch's forward pass,
loss, backward pass and update) while that run's activations, deltas and
parameters sit in the L1 cache: about 28 KB for 2-16-1-1 with 200 points.

Same mathematics as :mod:`annlab.many_runs._math` (feature-major rows of n points,
the same loss, gradient, SGD and Adam formulas, the same float32 arithmetic),
so the results agree with the torch path to float32 rounding; the tests check
1e-5. Deliberate differences in *how* it is computed, all rounding-level:

- Sums over the points (losses, weight gradients) are compiled with LLVM's
  ``reassoc`` (and ``contract``, i.e. FMA) flags so they vectorise; without them
  each sum is one serial chain of additions. No ``nnan``/``ninf``: NaN and inf
  still propagate, so divergence is detected as on the torch path.
- BCE from logits needs ``exp`` and ``log1p`` per point. Scalar libm calls
  cost more than the rest of a 2-1-1 epoch, so they are written out here as
  branch-free polynomials (Cody-Waite ``exp`` with Cephes' coefficients, and
  ``log1p(e) = 2 atanh(e / (2 + e))``, sharing one division with the sigmoid)
  that LLVM vectorises. Both are within a few float32 ulps on the range used
  (``e = exp(-|z|)`` in (0, 1]).
- Constant factors leave the loops over the points: the loss's 2/n or 1/n
  multiplies each gradient once (``_delta_scale``), and on the two special
  routes a hidden unit's outgoing weight multiplies each of its sums once.
  Those routes also get the outgoing weight's gradient from the unit's other
  sums rather than summing it (``_backward_narrow``).

Three routes, chosen by the architecture (``_route``): the generic one, layer
by layer; the narrow one for the notes' 2-16-1 and 2-16-1-1 (``_narrow``); and
one pass over the points per epoch for d-1-1 nets (``_tiny``).

Numba compiles the kernel on first use (tens of seconds) and caches the machine
code with ``cache=True`` in ``annlab/many_runs/__pycache__`` (git-ignored), or under
``NUMBA_CACHE_DIR`` when that is set; later processes load it in well under a
second.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.extending import intrinsic
from numba.misc.special import literally

from annlab.by_hand.activations import ActivationName
from annlab.by_hand.losses import GradientLossName

# The kernel takes names as integer codes (numba compiles one specialisation for all
# their values, and a global int is a constant to it): here is the one map from names.
IDENTITY, RELU, SIGMOID, TANH = 0, 1, 2, 3  # identity and ReLU first: see _narrow, _tiny
MSE, BCE_WITH_LOGITS = 0, 1
GENERIC, NARROW, TINY = 0, 1, 2  # the routes: see _route
ACTIVATION_CODES: dict[ActivationName, int] = {
    "sigmoid": SIGMOID,
    "tanh": TANH,
    "relu": RELU,
    "identity": IDENTITY,
}
LOSS_CODES: dict[GradientLossName, int] = {"mse": MSE, "bce_with_logits": BCE_WITH_LOGITS}


class Settings(NamedTuple):
    """How every run trains, as the kernel takes it (numba passes a named tuple as is)."""

    hidden: int  # ACTIVATION_CODES
    output: int  # ACTIVATION_CODES
    loss: int  # LOSS_CODES
    adam: bool  # else SGD
    epochs: int
    record_every: int
    snap_epochs: Any  # (S,) int64: the epochs of the snapshots, increasing


class Outputs(NamedTuple):
    """What the kernel fills, for R runs, T recorded epochs and S snapshots."""

    history: Any  # (R, T) float32: the loss of every record_every-th epoch
    diverged: Any  # (R,) bool
    snap_loss: Any  # (S, R) float32
    snap_out: Any  # (S, R, k, n) float32: the last layer's output on the unpadded points
    snap_active: Any  # (S, R, hidden units) float32: on how many points a > 0


_F32 = np.float32
_ZERO = _F32(0.0)
_ONE = _F32(1.0)
_HALF = _F32(0.5)
_LOG2E = _F32(1.44269504088896341)
_LN2_HI = _F32(0.693359375)  # Cody-Waite split of ln 2 (Cephes' expf)
_LN2_LO = _F32(-2.12194440e-4)
_EXP_MIN = _F32(-87.0)  # exp(-87) is still a normal float32
_P0 = _F32(1.9875691500e-4)
_P1 = _F32(1.3981999507e-3)
_P2 = _F32(8.3334519073e-3)
_P3 = _F32(4.1665795894e-2)
_P4 = _F32(1.6666665459e-1)
_P5 = _F32(5.0000001201e-1)
_TWO = _F32(2.0)
# 1 / (2k + 1) for the atanh series of log1p, k = 1..7.
_A3, _A5, _A7, _A9 = _F32(1 / 3), _F32(1 / 5), _F32(1 / 7), _F32(1 / 9)
_A11, _A13, _A15 = _F32(1 / 11), _F32(1 / 13), _F32(1 / 15)
_BETA1 = 0.9  # torch.optim.Adam's defaults
_BETA2 = 0.999
_EPS = _F32(1e-8)
_REDUCE = {"reassoc", "contract"}  # see the module docstring


@intrinsic
def _float_from_bits(typingctx: Any, bits: Any) -> Any:
    """Reinterpret an int32's bits as a float32 (to build 2**n in ``_exp_le0``)."""
    sig = types.float32(types.int32)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.FloatType())

    return sig, codegen


@njit(cache=True, nogil=True, error_model="numpy")
def _exp_le0(x: Any) -> Any:  # pragma: no cover - compiled
    """exp(x) for x <= 0 in float32, branch-free so that loops over it vectorise.

    Below -87 it returns exp(-87) ~ 1.6e-38 instead of a subnormal or 0: as a
    term of ``1 + e`` or ``log1p(e)`` that is the same float32 result.
    """
    x = x if x > _EXP_MIN else _EXP_MIN
    n = np.int32(x * _LOG2E - _HALF)  # truncation toward 0 of a negative: rounds
    nf = _F32(n)
    r = (x - nf * _LN2_HI) - nf * _LN2_LO
    p = _P0 * r + _P1
    p = p * r + _P2
    p = p * r + _P3
    p = p * r + _P4
    p = p * r + _P5
    p = p * (r * r) + r + _ONE
    return p * _float_from_bits(np.int32((n + 127) << 23))  # type: ignore[call-arg]


@njit(cache=True, nogil=True, error_model="numpy")
def _log1p_and_sigmoid(e: Any, z: Any) -> Any:  # pragma: no cover - compiled
    """log(1 + e) and sigmoid(z) from ``e = exp(-|z|)`` in (0, 1], with one division.

    log(1 + e) = 2 atanh(s) with s = e / (2 + e) <= 1/3 (8 terms of the series);
    sigmoid(z) = 1 / (1 + e) for z >= 0, e / (1 + e) below. One reciprocal of
    (1 + e)(2 + e) serves both divisions: BCE needs them at every point, and a
    division is the slowest operation there.
    """
    one, two = _ONE + e, _TWO + e
    q = _ONE / (one * two)
    s = e * one * q  # e / (2 + e)
    s2 = s * s
    p = _A15 * s2 + _A13
    p = p * s2 + _A11
    p = p * s2 + _A9
    p = p * s2 + _A7
    p = p * s2 + _A5
    p = p * s2 + _A3
    p = p * s2 + _ONE
    return _TWO * s * p, (_ONE if z >= _ZERO else e) * two * q


@njit(cache=True, nogil=True, error_model="numpy")
def _act(z: Any, code: int) -> Any:  # pragma: no cover - compiled
    """The activation of one value; NaN stays NaN under ReLU, as with torch.relu."""
    if code == RELU:
        return _ZERO if z <= _ZERO else z
    if code == SIGMOID:  # sigmoid, from e = exp(-|z|) to stay exact for large |z|
        e = _exp_le0(-abs(z))
        return (_ONE if z >= _ZERO else e) / (_ONE + e)
    if code == TANH:
        return np.tanh(z)
    return z


@njit(cache=True, nogil=True, error_model="numpy")
def _slope(d: Any, a: float, code: int) -> Any:  # pragma: no cover - compiled
    """``d`` times the activation's derivative, written with its output ``a``."""
    if code == RELU:  # threshold_backward: 0 where a <= 0 (and where a is NaN)
        return d if a > _ZERO else _ZERO
    if code == SIGMOID:
        return d * (a * (_ONE - a))
    if code == TANH:
        return d * (_ONE - a * a)
    return d


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _forward(
    p: Any,
    a: Any,
    sizes: Any,
    row: Any,
    w_off: Any,
    b_off: Any,
    hidden: int,
    output: int,
    start: int,
) -> None:  # pragma: no cover - compiled
    """Layer ``start`` onwards into ``a``, rows ``row[l + 1]`` on (inputs in rows 0..d-1)."""
    layers, n = sizes.shape[0] - 1, a.shape[1]
    for layer in range(start, layers):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        code = output if layer == layers - 1 else hidden
        below, here = row[layer], row[layer + 1]
        for j in range(n_out):
            o, b, w = here + j, p[b_off[layer] + j], w_off[layer] + j * n_in
            if n_in == 1:  # one pass, in registers
                w0 = p[w]
                for i in range(n):
                    a[o, i] = _act(b + w0 * a[below, i], code)
            elif n_in == 2:
                w0, w1 = p[w], p[w + 1]
                for i in range(n):
                    a[o, i] = _act(b + w0 * a[below, i] + w1 * a[below + 1, i], code)
            else:
                for i in range(n):
                    a[o, i] = b
                for k in range(n_in):
                    wk = p[w + k]
                    for i in range(n):
                        a[o, i] += wk * a[below + k, i]
                for i in range(n):
                    a[o, i] = _act(a[o, i], code)


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _loss(
    a: Any, y: Any, d: Any, keeps: Any, first: int, loss: int, output: int, n: int
) -> Any:  # pragma: no cover - compiled
    """The mean loss over outputs and the first ``n`` points (rows ``first`` on).

    Their deltas go into ``d`` without the loss's constant factor (``_delta_scale``),
    which the backward pass carries along and ``_run`` applies to the gradients once:
    with it inside, LLVM turned ``delta * (1/n)`` into a division per point. The
    padding points after them (copies of the last point, see ``train_fused``;
    ``keeps`` is 0 there, 1 elsewhere) get a delta of 0 and no share of the loss.
    """
    units, width = y.shape
    total = _ZERO
    for j in range(units):
        o = first + j
        if loss == MSE:
            for i in range(width):
                z = a[o, i]
                diff = keeps[i] * (z - y[j, i])
                total += diff * diff
                d[o, i] = _slope(diff, z, output)
        else:
            for i in range(width):
                z, t = a[o, i], y[j, i]
                log1p, sigmoid = _log1p_and_sigmoid(_exp_le0(-abs(z)), z)
                # max(z, 0) - z y + log(1 + exp(-|z|)): the stable form torch uses too
                total += keeps[i] * ((z if z > _ZERO else _ZERO) - z * t + log1p)
                d[o, i] = _slope(keeps[i] * (sigmoid - t), z, output)
    return total / _F32(units * n)


@njit(cache=True, nogil=True, error_model="numpy")
def _delta_scale(loss: int, units: int, n: int) -> Any:  # pragma: no cover - compiled
    """The output deltas' factor that ``_loss`` leaves out: 2/(kn) for MSE, 1/(kn) for BCE."""
    return (_TWO if loss == MSE else _ONE) / _F32(units * n)


@njit(cache=True, nogil=True, error_model="numpy")
def _unpadded_loss(a: Any, y: Any, first: int, loss: int, n: int) -> Any:  # pragma: no cover
    """The mean loss over the first ``n`` points only, for a loss that is not finite.

    ``_loss`` multiplies the padding points' terms by 0, and 0 * inf is NaN: a
    diverged run's loss would be NaN where the torch path, which has no padding,
    gives inf. Only its class (inf, -inf or NaN) matters here, and that does not
    depend on the order of the sum. Multiplying by 0 rather than selecting keeps
    the finite losses as they were to the bit (the select changed LLVM's FMA
    contractions). Called from ``_run``, not from ``_loss``: there, the extra code
    made the 1-1-1 epoch about 15 % slower.
    """
    total = _ZERO
    for j in range(y.shape[0]):
        for i in range(n):
            z, t = a[first + j, i], y[j, i]
            if loss == MSE:
                total += (z - t) * (z - t)
            else:
                log1p = _log1p_and_sigmoid(_exp_le0(-abs(z)), z)[0]
                total += (z if z > _ZERO else _ZERO) - z * t + log1p
    return total / _F32(y.shape[0] * n)


@njit(cache=True, nogil=True, error_model="numpy")
def _relu_if(z: Any, code: int) -> Any:  # pragma: no cover - compiled
    """ReLU for code 1, else ``z``: no call in it, so loops over it vectorise.

    A loop over ``_act`` may call tanh and is not vectorised unless LLVM unswitches
    it on the code, which it did not do in ``_forward_narrow`` (34 µs per 2-16-1-1
    epoch against 0.35 µs with this).
    """
    return _ZERO if code == RELU and z <= _ZERO else z


@njit(cache=True, nogil=True, error_model="numpy")
def _floor(code: int) -> Any:  # pragma: no cover - compiled
    """The floor of a narrow net's hidden activation: 0 for ReLU, -inf for identity.

    With it, ReLU and identity are one branch-free select (``_at_least``), so the
    loops over the points hold no test of ``code``: with one, LLVM kept four
    branches on it in every vectorised iteration rather than unswitching the loop.
    """
    return _ZERO if code == RELU else _F32(-np.inf)


@njit(cache=True, nogil=True, error_model="numpy")
def _at_least(z: Any, lo: Any) -> Any:  # pragma: no cover - compiled
    """``z``, or ``lo`` where ``z <= lo``: ReLU for ``lo = 0``; NaN stays NaN."""
    return lo if z <= lo else z


@njit(cache=True, nogil=True, error_model="numpy")
def _narrow(sizes: Any, hidden: int) -> bool:  # pragma: no cover - compiled
    """Whether layers 0 and 1 take ``_forward_narrow`` and ``_backward_narrow``.

    At most 2 inputs, a multiple of 4 hidden units, one unit in layer 1 and a
    ReLU or identity hidden layer: the notes' 2-16-1 and 2-16-1-1. Per 2-16-1-1
    run-epoch (200 points, one thread, interleaved with the generic route on a
    busy machine, best of 7): 1.16-1.6 µs generic, 0.84-0.93 µs this way.
    """
    return (
        sizes.shape[0] >= 3
        and sizes[0] <= 2
        and sizes[1] % 4 == 0
        and sizes[2] == 1
        and hidden <= RELU  # identity or ReLU: see _relu_if
    )


@njit(cache=True, nogil=True, error_model="numpy")
def _tiny(sizes: Any, hidden: int, output: int) -> bool:  # pragma: no cover - compiled
    """Whether a whole epoch takes ``_epoch_tiny``: one pass over the points.

    One or two inputs, one hidden unit (ReLU or identity) and one output unit
    without an activation: the notes' 1-1-1 (slope challenge) and 2-1-1
    (learning-rate sweep). Their epoch is so short that the generic route's five
    passes over the points, each with its own loop set-up and sums, cost more
    than the arithmetic.
    """
    return (
        sizes.shape[0] == 3
        and sizes[0] <= 2
        and sizes[1] == 1
        and sizes[2] == 1
        and hidden <= RELU
        and output == IDENTITY
    )


@njit(cache=True, nogil=True, error_model="numpy")
def _route(sizes: Any, hidden: int, output: int) -> int:  # pragma: no cover - compiled
    """``GENERIC``, ``NARROW`` (see ``_narrow``) or ``TINY`` (see ``_tiny``)."""
    if _tiny(sizes, hidden, output):
        return TINY
    return NARROW if _narrow(sizes, hidden) else GENERIC


@njit(cache=True, nogil=True, error_model="numpy")
def _narrow_offsets(inputs: int, units: int) -> Any:  # pragma: no cover - compiled
    """A narrow net's layout: offsets of layer 0's weights and biases, layer 1's
    weights and bias in the flat parameters, and the rows of the hidden units and
    of layer 1 in ``a`` and ``d`` (as ``train_runs`` lays them out)."""
    w_in = 0
    b_in = units * inputs
    w_out = b_in + units
    b_out = w_out + units
    return w_in, b_in, w_out, b_out, inputs, inputs + units


@njit(cache=True, nogil=True, error_model="numpy")
def _four_units(p: Any, inputs: int, units: int, k: int) -> Any:  # pragma: no cover - compiled
    """The parameters of hidden units ``k`` to ``k + 3`` of a narrow net (one pass's units).

    Returns four 4-tuples: the units' weights on input x0, their weights on input x1
    (0 with one input), their biases, and their outgoing weights (layer 1's). The
    narrow passes unpack them into sixteen scalars that stay in registers through
    the loop over the points. LLVM inlines this call: the compiled passes have the
    same floating-point instructions as with the loads written out in each.
    """
    w_in, b_in, w_out, _, _, _ = _narrow_offsets(inputs, units)
    w = w_in + k * inputs
    step = inputs - 1  # from a unit's weight on x0 to its weight on x1
    p0, p1, p2, p3 = w, w + inputs, w + 2 * inputs, w + 3 * inputs
    z = _ZERO
    weights_x0 = p[p0], p[p1], p[p2], p[p3]
    weights_x1 = (
        p[p0 + step] if inputs == 2 else z,
        p[p1 + step] if inputs == 2 else z,
        p[p2 + step] if inputs == 2 else z,
        p[p3 + step] if inputs == 2 else z,
    )
    bk, vk = b_in + k, w_out + k
    biases = p[bk], p[bk + 1], p[bk + 2], p[bk + 3]
    outgoing = p[vk], p[vk + 1], p[vk + 2], p[vk + 3]
    return weights_x0, weights_x1, biases, outgoing


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _forward_narrow(
    p: Any, a: Any, inputs: int, units: int, hidden: int, code: int, keep: bool
) -> None:  # pragma: no cover - compiled
    """Layers 0 and 1 of a narrow net (see ``_narrow``), four hidden units per pass.

    Each pass reads the inputs and layer 1's row once and adds four hidden units
    into layer 1's row; the generic route writes each hidden row, then reads it
    back and rewrites layer 1's row once per unit. The hidden rows are written only
    when ``keep`` (for a snapshot's active counts): ``_backward_narrow`` computes
    them again, which costs less than storing them (2-16-1 forward pass, 200
    points: 0.29-0.33 µs with the stores, 0.14-0.17 µs without). ``code``: layer 1's
    activation. The layout comes from ``inputs`` and ``units`` (see ``_narrow_offsets``),
    not from the index arrays: every array argument of a call in the epoch loop is
    reference counted on each call.
    """
    n = a.shape[1]
    _, _, _, b_out, first, o = _narrow_offsets(inputs, units)
    second = 1 if inputs == 2 else 0  # one input: row 0 twice, with weight 0
    bias = p[b_out]
    lo = _floor(hidden)
    for i in range(n):
        a[o, i] = bias
    for k in range(0, units, 4):
        weights_x0, weights_x1, biases, outgoing = _four_units(p, inputs, units, k)
        a0, a1, a2, a3 = weights_x0
        c0, c1, c2, c3 = weights_x1
        b0, b1, b2, b3 = biases
        v0, v1, v2, v3 = outgoing
        h = first + k
        if not keep:  # two copies of the loop: a test inside would not be unswitched
            for i in range(n):
                x0, x1 = a[0, i], a[second, i]
                z0 = _at_least(b0 + a0 * x0 + c0 * x1, lo)
                z1 = _at_least(b1 + a1 * x0 + c1 * x1, lo)
                z2 = _at_least(b2 + a2 * x0 + c2 * x1, lo)
                z3 = _at_least(b3 + a3 * x0 + c3 * x1, lo)
                a[o, i] += v0 * z0 + v1 * z1 + v2 * z2 + v3 * z3
            continue
        for i in range(n):
            x0, x1 = a[0, i], a[second, i]
            z0 = _at_least(b0 + a0 * x0 + c0 * x1, lo)
            z1 = _at_least(b1 + a1 * x0 + c1 * x1, lo)
            z2 = _at_least(b2 + a2 * x0 + c2 * x1, lo)
            z3 = _at_least(b3 + a3 * x0 + c3 * x1, lo)
            a[h, i] = z0
            a[h + 1, i] = z1
            a[h + 2, i] = z2
            a[h + 3, i] = z3
            a[o, i] += v0 * z0 + v1 * z1 + v2 * z2 + v3 * z3
    if code <= 1:
        for i in range(n):
            a[o, i] = _relu_if(a[o, i], code)
    else:
        for i in range(n):
            a[o, i] = _act(a[o, i], code)


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _backward_narrow(
    p: Any,
    a: Any,
    d: Any,
    grads: Any,
    inputs: int,
    units: int,
    hidden: int,
) -> None:  # pragma: no cover - compiled
    """Gradients of layers 1 and 0 of a narrow net (see ``_narrow``), four units per pass.

    Each pass reads layer 1's delta and the inputs once, computes the four units'
    pre-activations again (as ``_forward_narrow`` does, which does not store them),
    and keeps the four units' sums (bias and two input weights: 12 in all) in
    registers; the units' deltas are never stored, since no layer lies below. Each
    unit's sums over its active points leave out the unit's outgoing weight, which
    multiplies each sum once at the end. Layer 1's weight gradient needs no sum of
    its own: a unit's output is linear in (1, x0, x1) where it is active, so its sum
    follows from the other three (2-16-1 per run-epoch: 8 % less time).
    """
    n = a.shape[1]
    w_in, b_in, w_out, b_out, _, o = _narrow_offsets(inputs, units)
    total = _ZERO
    for i in range(n):
        total += d[o, i]
    grads[b_out] = total
    second = 1 if inputs == 2 else 0  # one input: row 0 twice, its second sums dropped
    lo = _floor(hidden)
    for k in range(0, units, 4):
        weights_x0, weights_x1, biases, outgoing = _four_units(p, inputs, units, k)
        a0, a1, a2, a3 = weights_x0
        g0, g1, g2, g3 = weights_x1
        b0, b1, b2, b3 = biases
        v0, v1, v2, v3 = outgoing
        w, bk, vk = w_in + k * inputs, b_in + k, w_out + k  # where the gradients go
        c0 = c1 = c2 = c3 = _ZERO  # bias sums
        e0 = e1 = e2 = e3 = f0 = f1 = f2 = f3 = _ZERO  # input-weight sums
        for i in range(n):
            up, x0, x1 = d[o, i], a[0, i], a[second, i]
            z0 = b0 + a0 * x0 + g0 * x1  # as in _forward_narrow, to the bit
            z1 = b1 + a1 * x0 + g1 * x1
            z2 = b2 + a2 * x0 + g2 * x1
            z3 = b3 + a3 * x0 + g3 * x1
            d0 = up if z0 > lo else _ZERO
            d1 = up if z1 > lo else _ZERO
            d2 = up if z2 > lo else _ZERO
            d3 = up if z3 > lo else _ZERO
            c0 += d0
            c1 += d1
            c2 += d2
            c3 += d3
            e0 += d0 * x0
            e1 += d1 * x0
            e2 += d2 * x0
            e3 += d3 * x0
            f0 += d0 * x1
            f1 += d1 * x1
            f2 += d2 * x1
            f3 += d3 * x1
        # Layer 1's weight: up times the unit's output, summed where it is active; that
        # output is b + a x0 + g x1 there, so the sum is b c + a e + g f.
        u0 = b0 * c0 + a0 * e0 + g0 * f0
        u1 = b1 * c1 + a1 * e1 + g1 * f1
        u2 = b2 * c2 + a2 * e2 + g2 * f2
        u3 = b3 * c3 + a3 * e3 + g3 * f3
        c0, c1, c2, c3 = v0 * c0, v1 * c1, v2 * c2, v3 * c3
        e0, e1, e2, e3 = v0 * e0, v1 * e1, v2 * e2, v3 * e3
        f0, f1, f2, f3 = v0 * f0, v1 * f1, v2 * f2, v3 * f3
        grads[vk], grads[vk + 1], grads[vk + 2], grads[vk + 3] = u0, u1, u2, u3
        grads[bk], grads[bk + 1], grads[bk + 2], grads[bk + 3] = c0, c1, c2, c3
        grads[w], grads[w + inputs], grads[w + 2 * inputs], grads[w + 3 * inputs] = e0, e1, e2, e3
        if inputs == 2:
            grads[w + 1], grads[w + 3], grads[w + 5], grads[w + 7] = f0, f1, f2, f3


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _epoch_tiny(
    p: Any,
    a: Any,
    y: Any,
    keeps: Any,
    grads: Any,
    inputs: int,
    hidden: int,
    loss: int,
    n: int,
) -> Any:  # pragma: no cover - compiled
    """Forward pass, loss and gradients of a ``_tiny`` net in one pass; returns the loss.

    Per point the same formulas as ``_forward`` and ``_loss``, with five sums in
    registers (the output weight's follows from them, as in ``_backward_narrow``).
    The output's delta is summed without its constant factor (2/n for MSE, 1/n
    for BCE) and the hidden unit's without its outgoing weight: each sum is
    multiplied by them once, at the end (see ``_loss`` on the factor). The rows
    of ``a`` past the inputs are not written: ``_run`` calls ``_forward`` where a
    snapshot or a diverged loss needs them. Padding points (after the first ``n``)
    add zeros: ``keeps`` is 1 for a point, 0 for padding. (Read from memory rather
    than computed as ``i < n``: that compare of 64-bit indices cost six operations
    per 16 points, and the sweep's epoch 15 % more.)
    """
    width = a.shape[1]
    second = 1 if inputs == 2 else 0  # one input: row 0 twice, with weight 0
    w0 = p[0]
    w1 = p[1] if inputs == 2 else _ZERO
    b, v, c = p[inputs], p[inputs + 1], p[inputs + 2]
    lo = _floor(hidden)
    total = g0 = g1 = gb = gc = _ZERO
    if loss == MSE:
        for i in range(width):
            keep = keeps[i]
            x0, x1 = a[0, i], a[second, i]
            z = b + w0 * x0 + w1 * x1
            h = _at_least(z, lo)
            diff = keep * (c + v * h - y[0, i])
            total += diff * diff
            down = diff if z > lo else _ZERO
            gc += diff
            gb += down
            g0 += down * x0
            g1 += down * x1
        scale = _TWO / _F32(n)
    else:
        for i in range(width):
            keep = keeps[i]
            x0, x1 = a[0, i], a[second, i]
            z = b + w0 * x0 + w1 * x1
            h = _at_least(z, lo)
            o, t = c + v * h, y[0, i]
            log1p, sigmoid = _log1p_and_sigmoid(_exp_le0(-abs(o)), o)
            total += keep * ((o if o > _ZERO else _ZERO) - o * t + log1p)
            up = keep * (sigmoid - t)
            down = up if z > lo else _ZERO
            gc += up
            gb += down
            g0 += down * x0
            g1 += down * x1
        scale = _ONE / _F32(n)
    down_scale = v * scale
    grads[0] = g0 * down_scale
    if inputs == 2:
        grads[1] = g1 * down_scale
    grads[inputs] = gb * down_scale
    # The output weight's sum of up * h: h is b + w0 x0 + w1 x1 where the unit is
    # active (0 elsewhere), so it follows from the other sums.
    grads[inputs + 1] = (b * gb + w0 * g0 + w1 * g1) * scale
    grads[inputs + 2] = gc * scale
    return total / _F32(n)


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _backward(
    p: Any,
    a: Any,
    d: Any,
    grads: Any,
    sizes: Any,
    row: Any,
    w_off: Any,
    b_off: Any,
    hidden: int,
    narrow: bool,
) -> None:  # pragma: no cover - compiled
    """Gradients into ``grads`` from the output layer's deltas in ``d``.

    Down to layer 2 only when ``narrow``: ``_backward_narrow`` does layers 1 and 0.
    """
    n = a.shape[1]
    for layer in range(sizes.shape[0] - 2, 1 if narrow else -1, -1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        below, here = row[layer], row[layer + 1]
        for j in range(n_out):
            o, w = here + j, w_off[layer] + j * n_in
            if n_in <= 2:  # bias and weight gradients in one pass
                g0, g1, gb = _ZERO, _ZERO, _ZERO
                b1 = below + 1 if n_in == 2 else below
                for i in range(n):
                    dj = d[o, i]
                    gb += dj
                    g0 += dj * a[below, i]
                    g1 += dj * a[b1, i]
                grads[w] = g0
                if n_in == 2:
                    grads[w + 1] = g1
            else:
                gb = _ZERO
                for i in range(n):
                    gb += d[o, i]
                for k in range(n_in):
                    g = _ZERO
                    for i in range(n):
                        g += d[o, i] * a[below + k, i]
                    grads[w + k] = g
            grads[b_off[layer] + j] = gb
        if layer == 0:
            break
        for k in range(n_in):  # W^T delta, times the slope of the layer below
            r = below + k
            if n_out == 1:
                wk = p[w_off[layer] + k]
                for i in range(n):
                    d[r, i] = _slope(wk * d[here, i], a[r, i], hidden)
            else:
                for i in range(n):
                    d[r, i] = _ZERO
                for j in range(n_out):
                    wk = p[w_off[layer] + j * n_in + k]
                    for i in range(n):
                        d[r, i] += wk * d[here + j, i]
                for i in range(n):
                    d[r, i] = _slope(d[r, i], a[r, i], hidden)


@njit(cache=True, nogil=True, fastmath=_REDUCE, error_model="numpy")
def _snapshot(
    s: int,
    r: int,
    value: float,
    a: Any,
    sizes: Any,
    row: Any,
    snap_loss: Any,
    snap_out: Any,
    snap_active: Any,
) -> None:  # pragma: no cover - compiled
    layers, n = sizes.shape[0] - 1, snap_out.shape[3]  # the points, without padding
    snap_loss[s, r] = value
    for j in range(sizes[layers]):
        for i in range(n):
            snap_out[s, r, j, i] = a[row[layers] + j, i]
    for h in range(row[layers] - row[1]):  # hidden units: on how many points a > 0
        count = _ZERO
        for i in range(n):
            count += _ONE if a[row[1] + h, i] > _ZERO else _ZERO
        snap_active[s, r, h] = count


@njit(cache=True, nogil=True, error_model="numpy")
def _run(
    r: int,
    route: int,
    params: Any,
    x: Any,
    y: Any,
    sizes: Any,
    rates: Any,
    settings: Settings,
    out: Outputs,
    work: Any,
) -> None:  # pragma: no cover - compiled
    """All epochs of run ``r``: forward pass, loss, snapshot, backward pass, update.

    ``route`` (see ``_route``): ``NARROW`` sends layers 0 and 1 by the narrow route,
    ``TINY`` does the whole epoch in ``_epoch_tiny``. It must be a literal: numba compiles one
    version per value and prunes the others' branches. As a runtime flag, those
    calls in the loop made the 1-1-1 and 2-1-1 epochs 20-30 % slower, presumably
    through LLVM's inlining of the larger function.
    """
    literally(route)
    narrow, tiny = route == NARROW, route == TINY
    hidden, output, loss, adam, epochs, record_every, snap_epochs = settings
    history, diverged, snap_loss, snap_out, snap_active = out
    a, d, grads, m, v, w_off, b_off, row, keeps = work
    n_params, layers = params.shape[1], sizes.shape[0] - 1
    n = snap_out.shape[3]  # the points, without padding
    p = params[r]
    a[: sizes[0]] = x[r if x.shape[0] > 1 else 0]
    yr = y[r if y.shape[0] > 1 else 0]
    rate = _F32(rates[r])
    m[:] = _ZERO
    v[:] = _ZERO
    s = 0
    code = output if layers == 2 else hidden  # a narrow net's layer 1 activation
    scale = _delta_scale(loss, sizes[layers], n)
    inputs, units = sizes[0], sizes[1]
    for epoch in range(epochs + 1):
        snap = s < snap_epochs.shape[0] and snap_epochs[s] == epoch
        if tiny:  # loss and gradients at once; the rows of a only where needed below
            value = _epoch_tiny(p, a, yr, keeps, grads, inputs, hidden, loss, n)
            if snap or not math.isfinite(value):
                _forward(p, a, sizes, row, w_off, b_off, hidden, output, 0)
        else:
            if narrow:
                _forward_narrow(p, a, inputs, units, hidden, code, snap)
                if layers > 2:  # a call costs even with nothing to do: see _forward_narrow
                    _forward(p, a, sizes, row, w_off, b_off, hidden, output, 2)
            else:
                _forward(p, a, sizes, row, w_off, b_off, hidden, output, 0)
            value = _loss(a, yr, d, keeps, row[layers], loss, output, n)
        if not math.isfinite(value) and a.shape[1] > n:  # padded
            value = _unpadded_loss(a, yr, row[layers], loss, n)
        if epoch < epochs and epoch % record_every == 0:
            history[r, epoch // record_every] = value
        if snap:
            _snapshot(s, r, value, a, sizes, row, snap_loss, snap_out, snap_active)
            s += 1
        if epoch == epochs:
            break
        if not math.isfinite(value):
            # Frozen from here on: every later loss and snapshot is this one.
            diverged[r] = True
            if narrow and not snap:  # the hidden rows, for the snapshots below
                _forward_narrow(p, a, inputs, units, hidden, code, True)
            for later in range(epoch + 1, epochs):
                if later % record_every == 0:
                    history[r, later // record_every] = value
            while s < snap_epochs.shape[0]:
                _snapshot(s, r, value, a, sizes, row, snap_loss, snap_out, snap_active)
                s += 1
            break
        if not tiny and (layers > 2 or not narrow):
            _backward(p, a, d, grads, sizes, row, w_off, b_off, hidden, narrow)
        if narrow:
            _backward_narrow(p, a, d, grads, inputs, units, hidden)
        if not tiny:  # the factor _loss left out of the deltas
            for q in range(n_params):
                grads[q] *= scale
        if not adam:
            for q in range(n_params):
                p[q] -= rate * grads[q]
            continue
        step = epoch + 1  # torch.optim.Adam's bias corrections
        step_size = _F32(rates[r] / (1 - _BETA1**step))
        root = _F32(math.sqrt(1 - _BETA2**step))
        for q in range(n_params):
            g = grads[q]
            m[q] += _F32(1 - _BETA1) * (g - m[q])
            v[q] = v[q] * _F32(_BETA2) + _F32(1 - _BETA2) * (g * g)
            p[q] += -step_size * (m[q] / (np.sqrt(v[q]) / root + _EPS))


@njit(cache=True, nogil=True, error_model="numpy")
def train_runs(
    params: Any,
    x: Any,
    y: Any,
    sizes: Any,
    rates: Any,
    settings: Settings,
    out: Outputs,
    first: int,
    stop: int,
) -> None:  # pragma: no cover - compiled
    """Train runs ``first`` to ``stop - 1`` of ``params`` (R, P) in place, one after another.

    (A range rather than slices of the arrays: a slice of ``snap_loss`` is not
    contiguous, which would make numba compile a second specialisation.)

    Parameters per run are flat: layer by layer, weights (out, in) row-major then
    biases. ``x`` is (1 or R, d, n), ``y`` (1 or R, k, n), ``rates`` (R,) float64.
    Fills ``out`` (see :class:`Outputs`). One run's rows (inputs, then every
    layer's outputs; deltas alike) live in ``a`` and ``d``, (d + units, n): reused
    run after run, so they stay in cache.
    """
    n_params = params.shape[1]
    layers = sizes.shape[0] - 1
    n = x.shape[2]
    w_off = np.zeros(layers, np.int64)
    b_off = np.zeros(layers, np.int64)
    row = np.zeros(layers + 1, np.int64)
    offset = 0
    for layer in range(layers):
        w_off[layer] = offset
        offset += sizes[layer] * sizes[layer + 1]
        b_off[layer] = offset
        offset += sizes[layer + 1]
        row[layer + 1] = row[layer] + sizes[layer]
    a = np.empty((row[layers] + sizes[layers], n), np.float32)
    d = np.empty_like(a)
    grads = np.empty(n_params, np.float32)
    m = np.empty(n_params, np.float32)
    v = np.empty(n_params, np.float32)
    keeps = np.zeros(n, np.float32)  # 1 for a point, 0 for a padding point
    keeps[: out.snap_out.shape[3]] = _ONE
    work = (a, d, grads, m, v, w_off, b_off, row, keeps)
    route = _route(sizes, settings.hidden, settings.output)
    for r in range(first, stop):
        if route == TINY:  # a constant for _run: one compiled version each
            _run(r, TINY, params, x, y, sizes, rates, settings, out, work)
        elif route == NARROW:
            _run(r, NARROW, params, x, y, sizes, rates, settings, out, work)
        else:
            _run(r, GENERIC, params, x, y, sizes, rates, settings, out, work)

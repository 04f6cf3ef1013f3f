# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 10. Multilayer networks
#
# The lecture stacks layers: sixteen hidden ReLU units, then **one** more ReLU
# unit, then the output (a 2-16-1-1 network), on the qwerties moved to
# $(1, 1)$ and $(1, 5)$. A deeper network sounds like a stronger one, yet the
# notes observe that the same code "sometimes performs good and sometimes
# performs bad", and that training longer (1000, 2000, then 5000 epochs) makes
# bad runs rarer. This page measures both claims over many runs, then removes
# the one-unit layer (2-16-1) and measures again. The culprit is that single
# unit: when it switches off on every point, it blocks every gradient below
# it, and the run is stuck for good. The page ends with what depth and width
# buy, and what such a *bottleneck* costs.
#
# ## The idea
#
# Write $x \in \mathbb{R}^2$ for a point. The 2-16-1-1 network computes
#
# $$
# h = \max(0,\; W x + b) \in \mathbb{R}^{16}, \qquad
# s = u^\top h + c, \qquad
# g = \max(0,\; s), \qquad
# z = v\,g + d ,
# $$
#
# with $W$ a $16 \times 2$ matrix, $b, u \in \mathbb{R}^{16}$ and $c, v, d$
# numbers. $z$ is the logit and $\hat y = \sigma(z)$ the probability of class
# 1, trained with binary cross-entropy (page 8). The unit $g$ is the
# **bottleneck**: everything the sixteen units know must pass through this one
# number. The 2-16-1 network stops one step earlier: its logit is $z = s$.
#
# Backpropagation (page 5) gives, with $\delta_i = \hat y_i - y_i$ the
# gradient of point $i$'s loss with respect to its logit,
#
# $$
# \frac{\partial C}{\partial d} = \frac1n \sum_i \delta_i, \qquad
# \frac{\partial C}{\partial v} = \frac1n \sum_i \delta_i\, g_i, \qquad
# \frac{\partial C}{\partial u} = \frac1n \sum_i \delta_i\, v\,
#   \mathbb{1}[s_i > 0]\, h_i ,
# $$
#
# and the gradients of $c$, $W$ and $b$ carry the same factor
# $\mathbb{1}[s_i > 0]$, the derivative of the bottleneck's ReLU. If
# $s_i \le 0$ on **every** training point, then every $g_i = 0$ and that
# factor is 0 everywhere: every gradient but $\partial C / \partial d$ is
# exactly zero. Only the output bias $d$ moves, the network gives every point
# the same logit, and nothing can switch the unit back on, because $s$ depends
# only on parameters that no longer move. The unit is *dead*, and the run is
# lost at any number of epochs; with two balanced classes it is right on
# exactly half the points.
#
# Without the bottleneck, the gradient reaches $W$ and $b$ through each of the
# sixteen hidden units separately: a dead hidden unit silences only its own
# path, and the network is stuck only if all sixteen die together.

# %% [markdown]
# ## The data and the two networks
#
# `qwerties` draws the lecture's two
# clouds of 100 points, here around $(1, 1)$ and $(1, 5)$, and
# `plot_points` draws them.

# %%
import math
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from annlab.data import qwerties
from annlab.many_runs.experiments import multilayer_comparison
from annlab.metrics import accuracy, active_fraction
from annlab.models import mlp
from annlab.plots.experiments import (
    plot_active_fractions,
    plot_failure_rates,
    plot_success_rate,
)
from annlab.plots.points import plot_points
from annlab.training import predict, train

centres = ((1, 1), (1, 5))
x, labels = qwerties(centres=centres, n_per_cluster=100, seed=0)
print("x:", tuple(x.shape), " class-1 share:", labels.mean().item())

# %% alt="Scatter plot of {{ len(x) }} points: blue circles of class 0 in a round cloud around (1, 1) and orange squares of class 1 in a cloud around (1, 5), stacked one above the other; the clouds meet around x₂ = 3 with a few points mixed."
fig, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
plot_points(x, labels, ax=ax, feature_names=("x₁", "x₂"))
ax.set_title("the qwerties of lecture 49")
plt.show()

# %% [markdown]
# `mlp` builds both networks from
# their layer sizes. Like the rest of `annlab` they output the logit (no final
# sigmoid) and are trained with binary cross-entropy from logits, the same
# function as the notes' `nn.Sigmoid()` plus `nn.BCELoss()` (page 8 checks
# it). Their sizes, counted rather than guessed:

# %%
deep_net = mlp([2, 16, 1, 1], seed=1)
wide_net = mlp([2, 16, 1], seed=1)
print(deep_net)
n_deep = sum(p.numel() for p in deep_net.parameters())
n_wide = sum(p.numel() for p in wide_net.parameters())
print(f"2-16-1-1: {n_deep} parameters, 2-16-1: {n_wide} parameters")
assert n_deep == (2 * 16 + 16) + (16 + 1) + (1 + 1) == 67
assert n_wide == 65

# %% [markdown]
# The bottleneck adds two parameters ($v$ and $d$), nothing more. From the
# same seed, the two networks even *start* with the same first two layers
# (`mlp` draws the weights layer by layer from one generator), so run $k$ of
# the one and run $k$ of the other differ only by the bottleneck: a paired
# comparison.

# %%
same_start = all(
    torch.equal(p, q)
    for p, q in zip(
        deep_net[:3].parameters(), wide_net.parameters(), strict=True
    )
)
print("same W, b, u, c from the same seed:", same_start)
assert same_start

# %% [markdown]
# ## Many runs, three budgets, one training
#
# `multilayer_comparison`
# trains both architectures on these {{ len(x) }} points (the same `qwerties`
# draw, seed 0) with plain SGD, full batch, `runs` seeds per learning rate,
# run $k$ starting from seed $k + 1$, all runs of one architecture at once on
# the many-run trainer. The notes' three budgets need no three trainings: each
# 5000-epoch run is snapshotted after 1000 and 2000 epochs, and a snapshot
# after 1000 epochs *is* a 1000-epoch training (the first 1000 updates do not
# depend on how many follow). Every budget is then read on the same runs.

# %% tags=["wall-clock"]
rates = torch.linspace(0.001, 0.1, 40)  # the notes' 40 learning rates
runs = 25  # runs per rate: our choice; the notes train one network per rate
start = time.perf_counter()
deep, wide = multilayer_comparison(
    rates, runs=runs, checkpoints=(1000, 2000, 5000), seed=0
)
seconds = time.perf_counter() - start
print(f"trained 2 × {len(rates) * runs} runs × 5000 epochs in {seconds:.0f} s")
print("accuracy array (checkpoints, rates, runs):", tuple(deep.accuracy.shape))

# %% [markdown]
# These are the notes' {{ len(rates) }} learning rates, from
# {{ rates[0]:.3f }} to {{ rates[-1]:.1f }} in equal steps. The notes train
# one network per rate; we train **{{ runs }} per rate** (our choice, not the
# notes'), {{ len(rates) * runs }} runs per architecture and budget: enough
# to count failures at each rate and to test whether they change with it.
# The cell prints how long the training took; on a machine's first build that
# includes compiling the fused kernel, once.
#
# A run **fails** when its accuracy on the training points stays below 90 %.
# [`success_rate`](../../api/many_runs/experiments/#annlab.many_runs.experiments.ClassifierRuns.success_rate)
# counts the runs that reach 90 %, pooled over the learning rates, with a
# 95 % Wilson interval (it stays inside $[0, 1]$, even at 0 failures).

# %%
print("network    budget  failed   rate   95% interval")
failure = {}
for result in (deep, wide):
    name = "-".join(map(str, result.sizes))
    estimate = result.success_rate(0.9, per_rate=False)
    failure[name] = 1 - estimate.rate
    for i, epochs in enumerate(result.checkpoints):
        n_failed = round(estimate.runs * (1 - estimate.rate[i].item()))
        print(
            f"{name:9s} {epochs:6d} {n_failed:4d}/{estimate.runs} "
            f"{1 - estimate.rate[i]:6.0%}   "
            f"[{1 - estimate.high[i]:.0%}, {1 - estimate.low[i]:.0%}]"
        )
deep_failure, wide_failure = failure["2-16-1-1"], failure["2-16-1"]
deep_pooled = deep.success_rate(0.9, per_rate=False)
wide_pooled = wide.success_rate(0.9, per_rate=False)
deep_n_failed = (deep.accuracy < 0.9).sum((1, 2))  # per budget
wide_n_failed = (wide.accuracy < 0.9).sum((1, 2))
assert ((0.2 < deep_failure) & (deep_failure < 0.55)).all()
assert 0.25 < deep_failure[-1] < 0.45  # about a third at 5000 epochs
assert deep_failure[0] - deep_failure[-1] < 0.15  # epochs barely help
assert wide_n_failed[-1] == 0 < wide_n_failed[0]  # none left at 5000
# the intervals at 5000 epochs do not overlap
assert 1 - deep_pooled.high[-1] > 1 - wide_pooled.low[-1]

# %% [markdown]
# `plot_failure_rates`
# draws the same numbers, with the intervals as error bars:

# %% alt="Fraction of failed runs against the training budget of 1000, 2000 and 5000 epochs, with 95% error bars. The 2-16-1-1 network's line stays high and nearly flat, falling only slightly, from {{ deep_failure[0]:.2f }} at 1000 epochs to {{ deep_failure[-1]:.2f }} at 5000. The 2-16-1 network's line starts at {{ wide_failure[0]:.2f }} at 1000 epochs and falls to {{ wide_failure[-1]:.2f }} at 5000; its error bars never reach the other line's."
fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
plot_failure_rates((deep, wide), threshold=0.9, ax=ax)
ax.set_xticks(deep.checkpoints)
ax.set_title(f"{len(rates)} learning rates × {runs} runs each, pooled")
plt.show()

# %% [markdown]
# The notes' observation, made quantitative: with the bottleneck,
# {{ deep_n_failed[-1] }} of the {{ deep_pooled.runs }} runs
# ({{ 100 * deep_failure[-1]:.0f }} %) fail after 5000 epochs and
# {{ deep_n_failed[0] }} after 1000, so five times the epochs rescue only
# {{ deep_n_failed[0] - deep_n_failed[-1] }} runs. Without it, failures are
# rarer at 1000 epochs ({{ wide_n_failed[0] }}) and none remain at 5000.
# Where do they sit?
# `plot_success_rate`
# breaks the success rate down by learning rate, one line per budget.

# %% alt="Two stacked panels of the fraction of runs reaching 90% accuracy against the learning rate, one line per budget with a shaded 95% band. Top, 2-16-1-1: at the smallest learning rate, 0.001, the 1000-, 2000- and 5000-epoch lines start at {{ deep_success[0, 0]:.2f }}, {{ deep_success[1, 0]:.2f }} and {{ deep_success[2, 0]:.2f }}; the 1000-epoch line stays well below the others up to {{ rates[slow][-2]:.4f }}; from {{ rates[~slow][0]:.4f }} on, the three lines nearly coincide, at most {{ deep_gap:.2f }} apart, and zigzag between {{ deep_success[:, ~slow].min():.2f }} and {{ deep_success[:, ~slow].max():.2f }} with wide overlapping bands, neither rising nor falling across the range. Bottom, 2-16-1: the 5000-epoch line sits at 1 at every rate; the 1000-epoch line starts at {{ wide_success[0, 0]:.2f }} at 0.001 and reaches {{ wide_success[0, 1]:.2f }} at {{ rates[1]:.4f }}, the 2000-epoch line starts at {{ wide_success[1, 0]:.2f }}; from {{ rates[2]:.4f }} on every line is at 1, its band reaching down to {{ wide_band_low:.2f }}."
slow = rates < 0.01  # the smallest rates
deep_success = deep.success_rate(0.9).rate  # (budgets, learning rates)
wide_success = wide.success_rate(0.9).rate
deep_spread = deep_success[:, ~slow]  # budgets' spread at each rate:
deep_gap = (deep_spread.max(0).values - deep_spread.min(0).values).max()
wide_band_low = wide.success_rate(0.9).low[-1].min()
fig, axes = plt.subplots(
    2, 1, figsize=(7, 7.5), sharex=True, layout="constrained"
)
for ax, result in zip(axes, (deep, wide), strict=True):
    plot_success_rate(result, threshold=0.9, ax=ax)
    ax.set_title(
        f"{'-'.join(map(str, result.sizes))}: "
        f"{result.runs} runs per learning rate, 95% band"
    )
    ax.legend(loc="lower right")
axes[0].set_xlabel("")
plt.show()

# %% [markdown]
# The failures counted per learning rate, first at the smallest rates, where
# 1000 epochs may be too few, then at the others:

# %%
deep_failed = deep.accuracy < 0.9  # (checkpoints, rates, runs)
wide_failed = wide.accuracy < 0.9
deep_counts = deep_failed.sum(2)  # failed runs, (checkpoints, rates)
wide_counts = wide_failed.sum(2)
print(f"failed runs of {runs}:       2-16-1-1          2-16-1")
print("rate    after epochs  1000 2000 5000    1000 2000 5000")
for i in slow.nonzero().flatten().tolist():
    deep_row = "".join(f"{n:5d}" for n in deep_counts[:, i].tolist())
    wide_row = "".join(f"{n:5d}" for n in wide_counts[:, i].tolist())
    print(f"{rates[i]:.4f}               {deep_row}   {wide_row}")
deep_per_rate = deep_counts[-1]  # after 5000 epochs
print(
    f"the {int((~slow).sum())} rates from 0.01 on: 2-16-1-1 after 5000 "
    f"epochs {int(deep_per_rate[~slow].min())} to "
    f"{int(deep_per_rate[~slow].max())} failed runs per rate; "
    f"2-16-1 {int(wide_counts[:, ~slow].sum())} at any budget"
)
assert not wide_failed[:, ~slow].any()
assert (deep_per_rate > 0).all()  # failures at every rate

# %% [markdown]
# The 2-16-1 network fails only at rates below 0.01, and only for lack of
# time: after 1000 epochs, {{ wide_counts[0, 0] }} of its {{ runs }} runs at
# {{ rates[0]:.3f }} fail and {{ wide_counts[0, 1] }} at
# {{ rates[1]:.4f }}, after 2000 epochs {{ wide_counts[1, 0] }} at
# {{ rates[0]:.3f }}, and after 5000 epochs none: at the smallest rate it is
# still learning after 1000 epochs. The 2-16-1-1 network is slow there too
# ({{ deep_counts[0, 0] }} of {{ runs }} runs failed at {{ rates[0]:.3f }}
# after 1000 epochs, {{ deep_counts[-1, 0] }} after 5000), but it fails at
# every one of the {{ len(rates) }} learning rates, and from 0.01 on,
# {{ deep_per_rate[~slow].min() }} to {{ deep_per_rate[~slow].max() }} runs
# out of {{ runs }} after 5000 epochs. (So the pooled failure rates at 1000
# epochs, above, depend on how many slow rates the grid holds:
# {{ deep_counts[0, slow].sum() }} of the 2-16-1-1 network's
# {{ deep_counts[0].sum() }} failures at 1000 epochs, and
# {{ wide_counts[0, slow].sum() }} of the 2-16-1 network's
# {{ wide_counts[0].sum() }}, sit at the {{ slow.sum() }} rates below 0.01.)
#
# ### A trend test
#
# Counts that wander between {{ deep_per_rate[~slow].min() }} and
# {{ deep_per_rate[~slow].max() }} of {{ runs }} could still hide a drift
# with the rate; the eye cannot tell. The **Cochran–Armitage test for trend**
# can. It gives rate $j$ a score $s_j$, here $\log \eta_j$ (the rates span two
# decades, and with small steps plain SGD follows nearly the same path in
# rate × epochs, so a rate ten times smaller acts like ten times fewer
# epochs). With $k_j$ failed runs out of $n$
# at rate $j$, $\bar p$ the failure share pooled over the rates and $\bar s$
# the mean score,
#
# $$
# z = \frac{\sum_j (s_j - \bar s)\, k_j}
#          {\sqrt{\bar p\,(1 - \bar p)\; n \sum_j (s_j - \bar s)^2}}
# $$
#
# is close to standard normal when every rate has the same failure share.
# $z > 0$ means failures rise with the rate, $z < 0$ that they fall, and the
# two-sided p-value, $\operatorname{erfc}(|z| / \sqrt 2)$, is the chance of a
# $|z|$ at least this large with no trend at all. We test each network at
# each budget, over all {{ len(rates) }} rates and over the
# {{ (~slow).sum() }} from 0.01 on.


# %%
def trend_test(failed, scores):
    """Cochran–Armitage z and two-sided p; failed is (rates, runs)."""
    k = failed.sum(1).double()  # failed runs per rate
    share = k.sum() / failed.numel()  # pooled failure share
    s = scores.double() - scores.double().mean()
    variance = share * (1 - share) * failed.shape[1] * (s**2).sum()
    z = ((s * k).sum() / variance.sqrt()).item()  # nan if none failed
    return z, math.erfc(abs(z) / math.sqrt(2))


def trend_by_budget(result, keep):
    """(z, p) at each budget, over the rates where keep is True."""
    return torch.tensor(
        [
            trend_test(acc[keep] < 0.9, rates[keep].log())
            for acc in result.accuracy
        ],
        dtype=torch.float64,
    )


every_rate = torch.ones_like(slow)
deep_all = trend_by_budget(deep, every_rate)  # (budgets, 2): z, p
deep_fast = trend_by_budget(deep, ~slow)
wide_all = trend_by_budget(wide, every_rate)
print("network   rates      epochs  failed       z         p")
for name, counts, tests, keep, label in (
    ("2-16-1-1", deep_counts, deep_all, every_rate, "all 40"),
    ("2-16-1-1", deep_counts, deep_fast, ~slow, "from 0.01"),
    ("2-16-1", wide_counts, wide_all, every_rate, "all 40"),
):
    for epochs, n, (z, p) in zip(
        deep.checkpoints, counts[:, keep].sum(1), tests.tolist(), strict=True
    ):
        test = f"{z:7.2f} {p:9.2g}" if n > 0 else "  no failure to test"
        print(
            f"{name:9s} {label:10s} {epochs:5d} {n:5d}/{keep.sum() * runs}"
            f" {test}"
        )
assert (deep_all[:2, 1] < 1e-3).all() and (wide_all[:2, 1] < 1e-3).all()
assert deep_all[-1, 1] > 0.05 and (deep_fast[:, 1] > 0.05).all()

# %% [markdown]
# Over all {{ len(rates) }} rates, failures fall with the rate after 1000
# epochs, for both networks (2-16-1-1: $z = {{ deep_all[0, 0]:.2f }}$,
# *p* = {{ deep_all[0, 1]:.2g }}; 2-16-1: $z = {{ wide_all[0, 0]:.2f }}$,
# *p* = {{ wide_all[0, 1]:.2g }}), and after 2000 epochs
# ($z = {{ deep_all[1, 0]:.2f }}$ and $z = {{ wide_all[1, 0]:.2f }}$). A p
# this small means the trend is real: chance alone would almost never make
# one. It comes from the smallest rates, where the runs are slow: without
# them it is gone (below). After 5000 epochs the
# 2-16-1-1 test finds no trend ($z = {{ deep_all[-1, 0]:.2f }}$,
# $p = {{ deep_all[-1, 1]:.2f }}$), and the 2-16-1 network has no failure
# left to test. Without the rates below 0.01, the 2-16-1-1 test finds no
# trend at any budget ($p = {{ deep_fast[0, 1]:.2f }}$,
# {{ deep_fast[1, 1]:.2f }} and {{ deep_fast[2, 1]:.2f }} after 1000, 2000
# and 5000 epochs), and the 2-16-1 network never fails there.
#
# So the runs show two effects. At the smallest rates, 1000 epochs are too
# few: a rate effect, gone by 5000 epochs. Everywhere else, and at every rate
# after 5000 epochs, the bottleneck network fails at a share the test cannot
# tell from constant: whether a run fails depends on its seed (the next
# section shows how), not on its rate. A p-value above 0.05 does not prove
# there is no trend at all; it says that any trend is too small to show in
# these {{ (~slow).sum() * runs }} runs.
#
# ## Why: the dead bottleneck
#
# Each result also records, for every run, the fraction of training points on
# which the last hidden layer is active (its ReLU's input above 0): for the
# 2-16-1-1 network that is the bottleneck unit, for the 2-16-1 network the
# mean over its sixteen units.
# `plot_active_fractions`
# draws it before training against after 5000 epochs, each run marked by
# success or failure.

# %% alt="Two scatter plots of each run's active fraction before training (horizontal) against after 5000 epochs (vertical). Left, 2-16-1-1: the successful runs form a flat band across every starting fraction, the bottleneck active on at least {{ active_end[~failed].min():.0% }} of the points at the end, a few runs higher; {{ int((failed & (active_end == 0)).sum()) }} of the {{ int(failed.sum()) }} failed runs, crosses, lie on the bottom edge at exactly zero, from starting fractions across the whole range, zero included; the few others sit just above it or scattered higher up, some among the successful runs. Right, 2-16-1, where none of the {{ wide_pooled.runs }} runs failed: the runs form a rising diagonal cloud, their sixteen units the more active at the end the more active they were at the start, on {{ wide.active[-1].min():.0% }} to {{ wide.active[-1].max():.0% }} of the points on average after 5000 epochs."
failed = deep.accuracy[-1] < 0.9
active_end = deep.active[-1]
fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), layout="constrained")
for ax, result, unit, corner in zip(
    axes,
    (deep, wide),
    ("the bottleneck", "16 units (mean)"),
    ((0.3, 0.2), "lower right"),  # legends clear of the points
    strict=True,
):
    plot_active_fractions(result, threshold=0.9, ax=ax)
    ax.set_xlabel(f"fraction of points where {unit} is active, start")
    ax.set_ylabel("… after 5000 epochs")
    ax.set_title("-".join(map(str, result.sizes)))
    ax.legend(loc=corner)
plt.show()

# %% [markdown]
# The numbers behind the left panel:

# %%
nearly_dead = failed & (active_end < 0.02)
print(f"failed 2-16-1-1 runs: {int(failed.sum())}")
print(
    f"  bottleneck active on < 2% of the points: "
    f"{int(nearly_dead.sum())} (on none: "
    f"{int((failed & (active_end == 0)).sum())})"
)
print(
    f"successful runs: bottleneck active on at least "
    f"{active_end[~failed].min():.0%} of the points"
)
dead_at_start = deep.active_start == 0
print(f"dead before the first update: {int(dead_at_start.sum())} runs")
print(
    f"failed runs alive at the start: {int((failed & ~dead_at_start).sum())}"
)
dead_1000 = deep.active[0] == 0
print(
    f"dead after 1000 epochs: {int(dead_1000.sum())} runs; still dead "
    f"after 5000: {int((deep.active[-1][dead_1000] == 0).sum())}"
)
print(
    "  their accuracies after 5000 epochs:",
    deep.accuracy[-1][dead_1000].unique().tolist(),
)
twin_ok = failed & (wide.accuracy[-1] >= 0.9)
# Where the bottleneck is off, every point gets one class; at 90 % accuracy
# that region holds one class (half the points) and at most 10 % errors.
max_errors = round(0.1 * len(x))
least_on = len(x) - len(x) // 2 - max_errors
print(
    f"failed runs whose 2-16-1 twin (same seed) succeeded: "
    f"{int(twin_ok.sum())} of {int(failed.sum())}"
)
rescued = deep_failed[0] & ~failed  # failed after 1000 epochs, not 5000
print(
    f"rescued between 1000 and 5000 epochs: {int(rescued.sum())} runs, "
    f"{int(rescued[slow].sum())} at the rates below 0.01"
)
assert nearly_dead.sum() >= 0.8 * failed.sum()
assert active_end[~failed].min() >= 0.4
assert failed[dead_at_start].all()
assert (nearly_dead & ~dead_at_start).sum() > dead_at_start.sum()
assert (deep.active[-1][dead_1000] == 0).all()
assert (deep.accuracy[-1][dead_1000] == 0.5).all()
assert twin_ok.sum() >= 0.9 * failed.sum()
assert (deep.active[0][rescued] > 0).all()

# %% [markdown]
# So nearly every failure is a dead bottleneck: {{ int(nearly_dead.sum()) }}
# of the {{ int(failed.sum()) }} failed runs end with it active on fewer than
# 2 % of the points. Some runs start dead ({{ int(dead_at_start.sum()) }}: the
# unit's input is negative on all {{ len(x) }} points from the first step);
# more die during training ({{ int((nearly_dead & ~dead_at_start).sum()) }}
# started alive), when one update pushes $s$ below 0 everywhere. The
# {{ int(dead_1000.sum()) }} runs dead at 1000 epochs are all still dead at
# 5000, right on exactly half of the points
# ({{ 100 * deep.accuracy[-1][dead_1000].max():.0f }} % accuracy): the
# idea's algebra, observed. The {{ rescued.sum() }} failures that training
# longer does rescue were all alive at 1000 epochs, merely slow;
# {{ rescued[slow].sum() }} of them sit at the {{ slow.sum() }} rates below
# 0.01.
#
# A successful run cannot keep its bottleneck on for few points: where the
# unit is off, every point gets the same logit $d$ and so the same class, and
# 90 % accuracy allows at most {{ max_errors }} points of the other class
# there, so the unit must be on for at least {{ least_on }} of the
# {{ len(x) }} points. The successful runs keep it on for more than that (for
# at least {{ 100 * active_end[~failed].min():.0f }} % of the points, printed
# above).
#
# One backward pass shows the blocking directly. Take the first run that
# started dead, rebuild it with `mlp` from its seed, and look at the gradient
# of each parameter under binary cross-entropy (here PyTorch's autograd, not
# the many-run trainer's hand-written backward pass):

# %%
first_dead = int(dead_at_start.flatten().nonzero()[0])
dead_seed = 1 + first_dead  # run k starts from seed k + 1
dead_net = mlp([2, 16, 1, 1], seed=dead_seed)
print(
    f"seed {dead_seed}: bottleneck active on "
    f"{active_fraction(dead_net, x)[1].item():.0%} of the points"
)
F.binary_cross_entropy_with_logits(dead_net(x), labels).backward()
names = ["W", "b", "u", "c", "v", "d"]
norms = [p.grad.norm().item() for p in dead_net.parameters()]
print(
    "gradient norms:",
    ", ".join(f"{n} {g:.2g}" for n, g in zip(names, norms, strict=True)),
)
assert active_fraction(dead_net, x)[1].item() == 0
assert all(g == 0 for g in norms[:-1]) and norms[-1] > 0

# %% [markdown]
# Every gradient is exactly zero except the output bias's. The second
# exercise trains this network and watches it stay dead.
#
# ## What depth and width buy, what a bottleneck costs
#
# **Depth through one unit buys nothing.** The 2-16-1-1 logit is
# $z = v \max(0, s) + d$, a monotone function of the 2-16-1 logit $s$; its
# decision boundary ($z = 0$) is therefore a level set of $s$ (or empty), one
# of the boundaries the 2-16-1 network can draw by shifting its bias $c$ (and
# flipping the signs of $u$ and $c$ when $v < 0$). The extra layer adds two
# parameters and not a single new boundary. The runs agree: the successful
# runs of both networks reach the same accuracy.

# %%
deep_best = deep.accuracy[-1][~failed].median().item()
wide_best = wide.accuracy[-1][wide.accuracy[-1] >= 0.9].median().item()
print(
    f"median accuracy of the successful runs: 2-16-1-1 {deep_best:.1%}, "
    f"2-16-1 {wide_best:.1%}"
)
assert abs(deep_best - wide_best) <= 0.02

# %% [markdown]
# A layer adds what a network can draw only if it is wide enough to carry
# several features: a wide second layer can combine the sixteen bends of the
# first into new shapes, one unit can only pass one number on.
#
# **Width buys insurance.** A hidden ReLU unit can start dead in the 2-16-1
# network too. We count, over the same {{ len(rates) * runs }} seeds, the
# first-layer units that
# are active on no point before training, with
# `active_fraction`:

# %%
seeds = range(1, 1 + len(rates) * runs)
first_layer = torch.stack(
    [active_fraction(mlp([2, 16, 1], seed=s), x)[0] for s in seeds]
)
dead_units = first_layer == 0  # (seeds, 16)
print(
    f"first-layer units dead at the start: {dead_units.float().mean():.0%}"
    f"; most in one network: {int(dead_units.sum(1).max())} of 16"
)
print(
    f"bottleneck dead at the start: {dead_at_start.float().mean():.0%} "
    "of the 2-16-1-1 runs"
)
assert dead_units.sum(1).max() <= 4
assert dead_units.float().mean() < dead_at_start.float().mean()
print(
    f"2-16-1 after 5000 epochs, least active run: its units are on "
    f"for {wide.active[-1].min():.0%} of the points on average"
)
assert wide.active[-1].min() > 0.15

# %% [markdown]
# Here a first-layer unit starts dead less often than the bottleneck
# ({{ 100 * dead_units.float().mean():.0f }} % of the units against
# {{ 100 * dead_at_start.float().mean():.0f }} % of the bottlenecks), and
# never more than {{ int(dead_units.sum(1).max()) }} of the sixteen in one
# network; and whatever single units did during training, in no 2-16-1 run
# did the layer go silent (in the least active run, its units are on for
# {{ 100 * wide.active[-1].min():.0f }} % of the points on average). The
# survivors carry the gradient and the run learns. The 2-16-1-1 network
# throws that insurance away: its sixteen units all report through one unit,
# so its odds are those of a single unit, with no spare.
#
# **A bottleneck costs** {{ 100 * deep_failure[-1]:.0f }} % of the runs at
# 5000 epochs (95 % interval {{ 100 * (1 - deep_pooled.high[-1]):.0f }} to
# {{ 100 * (1 - deep_pooled.low[-1]):.0f }} %), at every learning rate (with
# no trend the test can detect), and training longer does not buy them back.
# Depth is safe only when every layer is wide enough that no single unit can
# cut the gradient's path; a one-unit layer inside a network is a single
# point of failure, and here it buys nothing in return.

# %% [markdown]
# ## Questions
#
# **"Why is it working very good for certain lr and very poor for others?"**
# Away from the smallest rates, it is not the learning rate. The notes train
# *one* network per learning rate, so each point of their accuracy curve is
# one toss of a coin that comes up "fail" {{ deep_n_failed[-1] }} times in
# {{ deep_pooled.runs }} (at 5000 epochs): a rate looks bad when its one run
# happened to kill its bottleneck. With {{ runs }} runs at each of the
# notes' {{ len(rates) }} rates, the 2-16-1-1 network fails at every one of
# them after 5000 epochs, {{ deep_per_rate.min() }} to
# {{ deep_per_rate.max() }} runs each, and the trend test finds no trend with
# the rate ($p = {{ deep_all[-1, 1]:.2f }}$).
# The rate matters only at the smallest rates and short budgets: after 1000
# epochs, the notes' budget, {{ deep_counts[0, 0] }} of {{ runs }} runs fail
# at {{ rates[0]:.3f }}, against {{ deep_counts[-1, 0] }} after 5000 epochs:
# the others were still learning. The notes' own guess, that a rate bad on
# one attempt may be good on the next, is right: it is the same rate with
# another seed.
#
# **Does training longer make failures rarer?** (The notes: "if I am
# increasing the number of epochs (1000, then 2000, then 5000), the frequency
# of getting bad accuracy is reduced".) Only a little
# ({{ deep_n_failed[0] }}, {{ deep_n_failed[1] }} and {{ deep_n_failed[2] }}
# failed runs of {{ deep_pooled.runs }} after 1000, 2000 and 5000 epochs),
# and for the 2-16-1-1 network never to zero: the runs it rescues were alive
# but slow, and a dead run stays dead (asserted above). The notes show code
# for one budget only (`epochs = 1000`), and one run per rate is too few to
# see a change of {{ deep_n_failed[0] - deep_n_failed[-1] }} runs in
# {{ deep_pooled.runs }}. Here one 5000-epoch training, read at 1000, 2000
# and 5000 epochs, gives all three over the same runs.
#
# **Is the deeper network the bigger one?** By {{ n_deep - n_wide }}
# parameters: {{ n_deep }} against {{ n_wide }} (counted above with
# `sum(p.numel() ...)`). Depth is not size: the extra
# layer holds one unit, and what it adds is risk, not capacity.
#
# **Reading the notes' figure.** Their right panel plots each run's loss
# against the epoch but labels the horizontal axis "Loss" and the vertical one
# "Epochs": the labels are swapped. Their left panel draws one accuracy per
# learning rate, from one run each; our figures plot fractions of runs with
# their intervals, and say how many runs stand behind each point.
#
# ## Try it
#
# **Exercise 1.** Widen the bottleneck: compare 2-16-1-1 with 2-16-2-1 and
# 2-16-4-1 (`architectures=` of `multilayer_comparison`) on learning rates
# from 0.02 to 0.1, 12 runs each, after 1000 epochs. How do the failure rates
# change?

# %% tags=["solution"]
narrow = multilayer_comparison(
    torch.linspace(0.02, 0.1, 3),
    runs=12,
    checkpoints=(1000,),
    architectures=((2, 16, 1, 1), (2, 16, 2, 1), (2, 16, 4, 1)),
    seed=0,
)
for result in narrow:
    estimate = result.success_rate(0.9, per_rate=False)
    print(
        f"{'-'.join(map(str, result.sizes)):9s} failed "
        f"{1 - estimate.rate[0]:4.0%}  "
        f"[{1 - estimate.high[0]:.0%}, {1 - estimate.low[0]:.0%}] "
        f"of {estimate.runs} runs"
    )
fail_1, fail_2, fail_4 = (
    1 - result.success_rate(0.9, per_rate=False).rate[0] for result in narrow
)
assert fail_2 < fail_1 and fail_4 < fail_1

# %% [markdown] tags=["solution"]
# Every extra unit in the narrow layer is another path for the gradient: the
# layer is stuck only when all of its units die together. One spare unit
# already brings the failures down from {{ 100 * fail_1:.0f }} % to
# {{ 100 * fail_2:.0f }} % of the runs, as rare as this sample can tell (the
# intervals of 2-16-2-1 and 2-16-4-1 overlap almost entirely).

# %% [markdown]
# **Exercise 2.** Train the dead network of seed `dead_seed` (above) with
# `train` for 2000 epochs, SGD at
# learning rate 0.05. Which parameters changed? What is its accuracy, and
# what did the output bias $d$ converge to?

# %% tags=["solution"]
dead_net = mlp([2, 16, 1, 1], seed=dead_seed)
before = [p.detach().clone() for p in dead_net.parameters()]
train(
    dead_net,
    x,
    labels,
    epochs=2000,
    loss="bce_with_logits",
    learning_rate=0.05,
    optimizer="sgd",
)
changed = [
    n
    for n, p, q in zip(names, before, dead_net.parameters(), strict=True)
    if not torch.equal(p, q)
]
final_accuracy = accuracy(predict(dead_net, x), labels, threshold=0.0)
d = dead_net[4].bias.item()
print(f"changed: {changed}; accuracy {final_accuracy:.0%}; d = {d:.4f}")
assert changed == ["d"] and final_accuracy == 0.5 and abs(d) < 0.01

# %% [markdown] tags=["solution"]
# Only $d$ moved, towards the log-odds of the class shares,
# $\log(100 / 100) = 0$: the best a constant can do is $\hat y = \tfrac12$ for
# every point. Every point gets the same logit, hence the same class, so the
# network is right on exactly half of them
# ({{ 100 * final_accuracy:.0f }} %), whatever the number of epochs.

# %% [markdown]
# **Exercise 3 (pencil and paper).** Count the parameters of the 2-16-1-1 network and
# of the 2-16-1 network by hand: each layer has one weight per (input, output) pair
# and one bias per output. Which layer holds most of them? Check with
# `sum(p.numel() for p in model.parameters())`.

# %% tags=["solution"]
counts = {}
for sizes in ([2, 16, 1, 1], [2, 16, 1]):
    model = mlp(sizes, seed=0)
    counts["-".join(map(str, sizes))] = sum(
        p.numel() for p in model.parameters()
    )
deep_count, wide_count = counts["2-16-1-1"], counts["2-16-1"]
print(f"2-16-1-1: {deep_count} parameters, 2-16-1: {wide_count}")
assert deep_count == (2 * 16 + 16) + (16 + 1) + (1 + 1)
assert wide_count == (2 * 16 + 16) + (16 + 1)

# %% [markdown] tags=["solution"]
# The first layer has $2 \cdot 16$ weights and 16 biases, $48$ parameters; the
# 16-to-1 layer $16 + 1 = 17$; the last 1-to-1 layer of the deep net $1 + 1 = 2$. So
# 2-16-1-1 has $48 + 17 + 2$ = {{ deep_count }} and 2-16-1
# has $48 + 17$ = {{ wide_count }}: the first layer holds most of them, and the
# bottleneck costs only 2 parameters, yet it decides whether training works.

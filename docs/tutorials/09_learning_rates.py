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
# # 9. Learning rates

# %% [markdown] tags=["header"]
# **Lecture 48** of the course ([the notes' passage](../../notes/#lecture-48)).
# The notes run gradient descent on $x^2$ at two learning rates (one bounces
# between ±0.75, one crawls), then train page 8's qwerties classifier once at
# each of 40 learning rates from 0.001 to 0.1. Some runs come out very good,
# some very poor, and the notes call the reason "very difficult to say".
#
# After this page you can:
#
# - predict from the step factor $1 - 2\eta$ which learning rates make gradient
#   descent on $x^2$ converge, zigzag, bounce or diverge;
# - measure the probability that a training run succeeds, per learning rate,
#   from many runs, with its interval;
# - tell which way a failed run of a network with one hidden ReLU unit
#   failed, from one number: the fraction of points on which that unit is
#   active.

# %% [markdown]
# The **learning rate** $\eta$ ([glossary](../../glossary/#learning-rate)) is
# the number every gradient step multiplies the gradient by: the step is $\eta$
# times the gradient, so for the same slope a larger $\eta$ moves farther. This page first watches what it does on
# the simplest cost there is, $f(x) = x^2$, where every step can be computed
# by hand, then repeats the lecture's experiment with many runs per rate.
#
# ## The idea: gradient descent on $x^2$
#
# Gradient descent ([glossary](../../glossary/#gradient-descent)) moves $x$
# against the derivative: $x_{t+1} = x_t - \eta\, f'(x_t)$. For $f(x) = x^2$ the
# derivative is $f'(x) = 2x$, so one step is
#
# $$
# x_{t+1} = x_t - \eta \cdot 2 x_t = (1 - 2\eta)\, x_t .
# $$
#
# Every step multiplies $x$ by the same factor $1 - 2\eta$. Two steps multiply
# it by $(1 - 2\eta)^2$, and $t$ steps by $(1 - 2\eta)^t$:
#
# $$
# x_t = (1 - 2\eta)^t\, x_0 .
# $$
#
# The size of that factor decides everything:
#
# - $0 < \eta < \tfrac12$: the factor is between 0 and 1, and $x$ shrinks
#   towards the minimum at 0 from one side, slowly when $\eta$ is small (the
#   factor is close to 1);
# - $\eta = \tfrac12$: the factor is 0, and the first step lands exactly on the
#   minimum;
# - $\tfrac12 < \eta < 1$: the factor is between −1 and 0; each step overshoots
#   to the other side, but by less, so $x$ still converges, zigzagging;
# - $\eta = 1$: the factor is −1, and $x$ bounces between $x_0$ and $-x_0$ for
#   ever (the notes' ±0.75, from $x_0 = 0.75$);
# - $\eta > 1$: $|1 - 2\eta| > 1$, every step lands farther out, and $|x|$ grows
#   without bound. That is **divergence**
#   ([glossary](../../glossary/#divergence)); in a network it shows as a loss
#   that grows to infinity or to NaN ("not a number").
#
# So gradient descent on $x^2$ converges exactly for $0 < \eta < 1$.
#
# The same reasoning works for any parabola $f(x) = \tfrac12 L x^2$, whose
# second derivative is $f''(x) = L$ (how sharply it curves): $f'(x) = Lx$, one
# step multiplies $x$ by $1 - \eta L$, and $|1 - \eta L| < 1$ means
# $0 < \eta < 2/L$. For $x^2$, $L = 2$ and the bound is 1. A more sharply
# curved cost needs a smaller learning rate.
#
# ## Gradient descent on a parabola
#
# `descend` runs this on a function of one number with PyTorch's
# `torch.optim.SGD`, the same optimizer that trains the networks below. SGD
# stands for *stochastic gradient descent* ([glossary](../../glossary/#sgd)):
# it usually steps on a random sample of the data; fed all of it, as on this
# whole page, it is plain gradient descent. PyTorch computes each derivative with `backward()` (page 5).
# We start at the notes' $x_0 = 0.75$ and print a few iterates.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.ticker import NullLocator

from annlab.data import qwerties
from annlab.many_runs.experiments import learning_rate_sweep
from annlab.many_runs.statistics import trend_test, wilson_interval
from annlab.many_runs.trainer import train_many
from annlab.metrics import active_fraction
from annlab.models import one_relu_unit
from annlab.plots.colors import COLORS
from annlab.plots.experiments import (
    plot_active_fractions,
    plot_success_rate,
)


def descend(f, learning_rate, x0=0.75, steps=20):
    """Gradient descent on f from x0: the iterates x_0, ..., x_steps."""
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=learning_rate)
    path = [x.item()]
    for _ in range(steps):
        optimizer.zero_grad()  # forget the previous step's derivative
        f(x).backward()  # x.grad = f'(x)
        optimizer.step()  # x = x - learning_rate * f'(x)
        path.append(x.item())
    return torch.tensor(path, dtype=torch.float64)


def parabola(x):
    return x**2


etas = [0.01, 0.1, 0.5, 0.9, 1.0, 1.1]
paths = {eta: descend(parabola, eta) for eta in etas}
for eta, path in paths.items():
    print(
        f"η = {eta:4}: x_1 = {path[1]:+.4f}, x_2 = {path[2]:+.4f}, "
        f"x_20 = {path[20]:+.4g}"
    )
growth = abs(paths[1.1][-1] / paths[1.1][-2])  # distance factor per step
print(f"at η = 1.1, each step multiplies |x| by {growth:.1f}")

# %% tags=["checks"]
# every iterate is the formula's (1 - 2η)^t x_0, to float64 rounding
t = torch.arange(21)
for eta, path in paths.items():
    factor = torch.tensor(1 - 2 * eta, dtype=torch.float64)
    assert torch.allclose(path, factor**t * 0.75, rtol=1e-12)
assert (paths[0.5][1:] == 0).all()  # one step, and it stays there
assert (paths[1.0] == 0.75 * (-1.0) ** t).all()  # ±0.75 for ever
assert torch.allclose(paths[0.1].abs(), paths[0.9].abs(), rtol=1e-12)
assert paths[1.1].abs()[-1] > 10  # diverging

# %% [markdown]
# Every iterate equals the formula's $(1 - 2\eta)^t x_0$ (the checks compare
# them all); $\eta = 1.1$ multiplies the distance by
# {{ growth:.1f }} per step ($|1 - 2.2| = 1.2$). One surprise: $\eta = 0.1$ and
# $\eta = 0.9$ approach the minimum at the same speed, since
# $|1 - 2 \cdot 0.1| = |1 - 2 \cdot 0.9| = 0.8$; the larger rate only zigzags.
# A larger learning rate is not always faster.
#
# The notes' "slow learning" panel, at $\eta = 0.01$, plots 50 points: its
# loop stores $x$ before each update, so they are the start $x_0$ and the
# iterates $x_1, \dots, x_{49}$, 49 steps in all. Each step multiplies $x$ by
# 0.98, removing 2 % of the distance, so shrinking it a hundredfold takes $n$
# steps with $0.98^n = 1/100$, that is $n = \ln 100 / (-\ln 0.98)$.

# %%
panel_steps = 49  # the panel's points are x_0, x_1, ..., x_49
slow = descend(parabola, 0.01, steps=panel_steps)
print(f"x_49 at η = 0.01: {slow[-1]:.3f} (from 0.75)")
left = slow[-1] / slow[0]  # the share of the start left after 49 steps
hundredfold = math.ceil(math.log(100) / -math.log(0.98))
print(
    f"share of the start left after 49 steps: {left:.1%} "
    f"(0.98^49 = {0.98**panel_steps:.4f})"
)
print(f"steps to shrink x a hundredfold at η = 0.01: {hundredfold}")
print(f"that is {hundredfold / panel_steps:.1f} times the panel's 49 steps")

# %% tags=["checks"]
assert 0.25 < slow[-1] < 0.3
assert abs(left - 0.98**panel_steps) < 1e-12

# %% [markdown]
# So the panel's last point, $x_{49}$, is still {{ left:.1% }} of the start,
# and a hundredfold shrinkage would take {{ hundredfold }} steps,
# {{ hundredfold / panel_steps:.1f }} times as many as the panel shows.

# %% alt="Left: the parabola y = x² with the first six steps of three runs from x = 0.75. At learning rate 0.1 the points creep down the right-hand side; at 0.9 they zigzag from side to side, closing in on 0; at 1.0 they jump back and forth between x = 0.75 and x = −0.75 at the same height. Right: the distance |x| from the minimum against the step, on a logarithmic axis: straight lines, falling slowly for rate 0.01, falling fast and on top of each other for 0.1 and 0.9, flat for 1.0 and rising for 1.1."
fig, (ax_path, ax_log) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
grid = torch.linspace(-1, 1, 201)
ax_path.plot(grid, parabola(grid), color=COLORS["grey"], label="f(x) = x²")
styles = {
    0.01: (COLORS["sky"], "v", "-"),
    0.1: (COLORS["blue"], "o", "-"),
    0.9: (COLORS["orange"], "s", "--"),
    1.0: (COLORS["vermillion"], "^", "-"),
    1.1: (COLORS["purple"], "D", "-"),
}
for eta in (0.1, 0.9, 1.0):
    color, marker, line = styles[eta]
    ax_path.plot(
        paths[eta][:7],
        parabola(paths[eta][:7]),
        color=color,
        marker=marker,
        linestyle=line,
        label=f"η = {eta}",
    )
ax_path.set(xlabel="x", ylabel="f(x) = x²", title="six steps from x₀ = 0.75")
ax_path.legend()
for eta in (0.01, 0.1, 0.9, 1.0, 1.1):
    color, marker, line = styles[eta]
    ax_log.semilogy(
        t,
        paths[eta].abs(),
        color=color,
        marker=marker,
        linestyle=line,
        markersize=4,
        label=f"η = {eta}",
    )
ax_log.set(
    xlabel="step t",
    ylabel="distance |xₜ| from the minimum",
    title="|xₜ| shrinks or grows by |1 − 2η| per step",
)
ax_log.set_xticks(range(0, 21, 5))  # steps are whole numbers
ax_log.legend(ncols=2)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** Gradient descent on $x^2$ from $x_0 = 0.75$. Left: the first six
# steps at three learning rates (creeping, zigzagging in, bouncing). Right: the
# distance from the minimum, on a log axis, shrinks or grows by the same factor
# $|1 - 2\eta|$ at every step; $\eta = \tfrac12$ is missing because it reaches
# 0 after one step.

# %% [markdown]
# A network's cost is not a parabola, but near a minimum it often curves like
# one along a line through its parameters (along some lines it is flat), so a
# network meets the same two dangers: bouncing or blowing up when the rate is
# too large, crawling when it is too small.
#
# ## The sweep: 40 learning rates, 50 runs each
#
# The lecture trains the classifier of [page 8](../08_qwerties/) on the
# qwerties, two clouds of 100 points around $(1, 1)$ and $(5, 1)$: two inputs,
# one hidden ReLU unit, one output,
#
# $$
# h = \operatorname{ReLU}(w_1 x_1 + w_2 x_2 + b_1), \qquad
# \operatorname{ReLU}(z) = \max(0, z), \qquad z_{\text{out}} = v\,h + c ,
# $$
#
# predicting class 1 where $z_{\text{out}} > 0$ (ReLU is taught on
# [page 3](../03_forward_pass/#three-activation-functions-and-their-derivatives);
# its slope is 1 where $z > 0$ and 0 elsewhere). It trains once at each of 40
# learning rates from 0.001 to 0.1, for 1000 **epochs**
# ([glossary](../../glossary/#epoch)): an epoch is one pass through all 200
# training points, here one SGD step on the cost of all of them, so 1000
# epochs are 1000 steps. (We train from the [logit](../../glossary/#logit)
# $z_{\text{out}}$ with
# [binary cross-entropy](../../glossary/#binary-cross-entropy): page 8 showed
# it is the same training as the notes' sigmoid and `BCELoss`.)
#
# One run per rate measures the luck of one random start (on page 8, one seed
# succeeds and another fails). So we train **50 runs per rate**, each from its
# own [seed](../../glossary/#seed): 2000 networks on one data set, trained
# at once by `learning_rate_sweep`. Its `seed=0` seeds both the data (it
# builds them with the `qwerties` call below) and the runs: run $i$, counting
# from 0 over all rates in order, starts from seed $0 + 1 + i$. We build `x`
# and `labels` too, to retrain some runs later. It returns each run's final
# [loss](../../glossary/#loss), [accuracy](../../glossary/#accuracy) (the
# fraction of points classified right) and hidden-unit activity, as tables of
# shape (rates, runs).

# %%
# the data the sweep trains on (it builds them with this same call)
x, labels = qwerties(centres=((1, 1), (5, 1)), n_per_cluster=100, seed=0)
rates = torch.linspace(0.001, 0.1, 40)
sweep = learning_rate_sweep(rates, runs=50, epochs=1000, seed=0)

# accuracy and active carry one more index in front, the epoch they were
# measured at (here only 1000, which [-1] picks): (epochs, rates, runs)
final_accuracy = sweep.accuracy[-1]  # (rates, runs), after 1000 epochs
n_runs = final_accuracy.numel()
print(
    f"{n_runs} runs ({sweep.runs} per learning rate), "
    f"{int(sweep.diverged.sum())} diverged"
)
poor = (final_accuracy < 0.6).sum()
middling = ((final_accuracy >= 0.6) & (final_accuracy < 0.9)).sum()
good = (final_accuracy >= 0.9).sum()
by_accuracy = {
    "90 % or more": good,
    "60 to 90 %": middling,
    "below 60 %": poor,
}
band_shares = {}  # each band's share of the runs, with its Wilson interval
for band_name, count in by_accuracy.items():
    band_shares[band_name] = wilson_interval(count, n_runs)
    est = band_shares[band_name]
    print(
        f"final accuracy {band_name:12s} {int(count):4d} of {n_runs} runs, "
        f"{est.rate:.1%} [{est.low:.1%}, {est.high:.1%}]"
    )
good_share = band_shares["90 % or more"]
middling_share = band_shares["60 to 90 %"]
poor_share = band_shares["below 60 %"]
print(f"best accuracy of any run: {final_accuracy.max():.1%}")
print(f"largest final loss of any run: {sweep.final_loss.max():.3f}")

# %% tags=["checks"]
# run i (from 0, over all rates, 50 per rate) starts from seed 0 + 1 + i
assert n_runs == 2000 and not sweep.diverged.any()
assert poor > 5 * middling and good > 5 * middling

# %% [markdown]
# No run diverged: no loss became infinite or NaN (what `diverged` counts)
# within the 1000 epochs, and the largest final loss of any run is
# {{ sweep.final_loss.max():.3f }}, so no rate of the lecture blows up as
# $\eta > 1$ does on $x^2$. And the accuracies split in two: most runs
# ({{ good }} of {{ n_runs }}, {{ good_share.rate:.1% }}
# [{{ good_share.low:.1% }}, {{ good_share.high:.1% }}]) end at 90 % or more,
# many ({{ poor }}, {{ poor_share.rate:.1% }}
# [{{ poor_share.low:.1% }}, {{ poor_share.high:.1% }}]) end below 60 %, and
# few ({{ middling }}, {{ middling_share.rate:.1% }}
# [{{ middling_share.low:.1% }}, {{ middling_share.high:.1% }}]) land in
# between. So we call a run a **success** when its
# accuracy reaches 90 %, and count. `sweep.success_rate(0.9)` gives, for each
# rate, the fraction of the 50 runs that succeeded with its 95 % Wilson interval
# ([page 7's statistics primer](../07_slope_challenge/#a-short-statistics-primer)
# explains it).

# %%
success = sweep.success_rate(0.9)
print(f"{'rate':>7} {'succeeded':>10}   share [95% interval]")
for k in range(0, 40, 6):
    wins = round(success.rate[-1, k].item() * sweep.runs)
    print(
        f"{rates[k]:7.4f} {wins:5d} of {sweep.runs}   "
        f"{success.rate[-1, k]:.1%} "
        f"[{success.low[-1, k]:.1%}, {success.high[-1, k]:.1%}]"
    )
overall = sweep.success_rate(0.9, per_rate=False)
print(
    f"all rates pooled: {overall.rate[-1]:.1%} of {overall.runs} runs "
    f"succeeded [{overall.low[-1]:.1%}, {overall.high[-1]:.1%}]"
)
low_rates = success.rate[-1, :3].mean()
high_rates = success.rate[-1, 20:].mean()
fails = sweep.runs - (final_accuracy >= 0.9).sum(1)  # per rate
low_k, high_k = int(fails[:3].sum()), int(fails[20:].sum())
low_fail = wilson_interval(torch.tensor(low_k), 3 * sweep.runs)
high_fail = wilson_interval(torch.tensor(high_k), 20 * sweep.runs)
for name, k, est in (
    ("3 smallest", low_k, low_fail),
    ("20 largest", high_k, high_fail),
):
    print(
        f"failed at the {name} rates: {k} of {est.runs} = "
        f"{est.rate:.1%} [{est.low:.1%}, {est.high:.1%}]"
    )
top_fails = sweep.runs - round(success.rate[-1, -1].item() * sweep.runs)
top_fail = wilson_interval(torch.tensor(top_fails), sweep.runs)
print(
    f"at the largest rate, {rates[-1]:.1f}: {top_fails} of {sweep.runs} "
    f"runs fail, {top_fail.rate:.1%} [{top_fail.low:.1%}, {top_fail.high:.1%}]"
)

# %% [markdown]
# Does success still change across the 20 largest rates, where the table
# moves little? The Cochran–Armitage trend test of
# [page 7's primer](../07_slope_challenge/#the-trend-test-and-the-p-value) tells
# (`annlab`'s `trend_test` is the primer's function, with its arguments checked).
# The rates are evenly spaced, but the largest is
# {{ rates[-1] / rates[0]:.0f }} times the smallest, and what changes a step
# is the *factor* by which the rate changes. So we score each rate by
# $\log \eta$, which counts every doubling the same; $z > 0$ means a share that
# rises with the rate.


# %%
log_rates = rates.log()
won = final_accuracy >= 0.9  # (rates, runs)
z_top, p_top = trend_test(won[20:], log_rates[20:])
print(f"success, the 20 largest rates: z = {z_top:+.2f}, p = {p_top:.2g}")
tenths = {}  # rates 21-30 and 31-40: the success share of their 500 runs
for name, part in (("21 to 30", slice(20, 30)), ("31 to 40", slice(30, 40))):
    tenths[name] = wilson_interval(won[part].sum(), won[part].numel())
    est = tenths[name]
    print(
        f"success at rates {name} ({rates[part][0]:.4f} to "
        f"{rates[part][-1]:.4f}): {int(won[part].sum())} of {est.runs} = "
        f"{est.rate:.1%} [{est.low:.1%}, {est.high:.1%}]"
    )
mid_tenth, top_tenth = tenths["21 to 30"], tenths["31 to 40"]

# %% tags=["checks"]
assert success.rate[-1, 0] < 0.3 and low_rates < 0.4
assert z_top > 0 and p_top < 0.05
assert 0.65 < high_rates < 0.85  # about one run in four fails
assert 0.25 < 1 - overall.rate[-1] < 0.45

# %% alt="The fraction of runs with accuracy of at least 90 %, against the learning rate from 0.001 to 0.1, with a shaded 95 % band. It starts low, {{ success.rate[-1, 0]:.2f }} at 0.001, climbs steeply over the first few rates, then more slowly; over the 20 largest rates it still rises a little (trend test z = {{ z_top:+.2f }}, p = {{ p_top:.2g }}), its points scattered between {{ plateau.min():.2f }} and {{ plateau.max():.2f }} ({{ high_rates:.2f }} on average), with a band about ±{{ half_band:.2f }} wide. It never reaches 1."
plateau = success.rate[-1, 20:]  # the 20 largest rates
half_band = (success.high - success.low)[-1, 20:].mean() / 2
print(
    f"20 largest rates: success share {plateau.min():.2f} to "
    f"{plateau.max():.2f}, mean {high_rates:.2f}, "
    f"mean half-width of the band ±{half_band:.2f}"
)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
plot_success_rate(sweep, threshold=0.9, ax=ax, label="2-1-1")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The probability of success per learning rate: the share of the
# 50 runs at each rate that reach 90 % accuracy after 1000 epochs (line), with
# its 95 % Wilson interval (band). It starts at
# {{ success.rate[-1, 0]:.2f }} at 0.001, still rises across the 20 largest
# rates ($z = {{ z_top:+.2f }}$, *p* = {{ p_top:.2g }}), from
# {{ mid_tenth.rate:.1% }} [{{ mid_tenth.low:.1% }}, {{ mid_tenth.high:.1% }}]
# in their lower ten to {{ top_tenth.rate:.1% }}
# [{{ top_tenth.low:.1% }}, {{ top_tenth.high:.1% }}] in their upper ten,
# and never reaches 1.

# %% [markdown]
# Two things stand out. The small rates fail most of the time (at the 3
# smallest, {{ low_k }} of {{ low_fail.runs }} runs fail: a share of
# {{ low_fail.rate:.1% }}, 95 % interval
# [{{ low_fail.low:.1% }}, {{ low_fail.high:.1% }}]). And even at the 20
# largest rates,
# {{ high_k }} of {{ high_fail.runs }} runs fail,
# {{ high_fail.rate:.1% }} [{{ high_fail.low:.1% }}, {{ high_fail.high:.1% }}],
# and at the largest, {{ rates[-1]:.1f }}, {{ top_fails }} of {{ sweep.runs }}
# runs still fail, {{ top_fail.rate:.1% }}
# [{{ top_fail.low:.1% }}, {{ top_fail.high:.1% }}].
# Only part of this is "too small crawls", as on the parabola; the Questions
# sort the failures by kind.
#
# **The lecture's loss figure, with its axes the right way round.** The notes
# label the horizontal axis "Loss" and the vertical axis "Epochs"; it is the
# other way round. We redraw the figure from the first run of each rate,
# retrained with `train_many` (the many-run trainer inside the sweep, which
# also records every epoch's loss): the same 40 starts, with the same final
# losses.

# %%
first_runs = train_many(
    [2, 1, 1],
    x,
    labels,
    seeds=[1 + k * sweep.runs for k in range(len(rates))],
    learning_rates=rates,
    epochs=1000,
    loss="bce_with_logits",
)
stuck_curves = first_runs.final_loss > 0.69
print(
    f"{int(stuck_curves.sum())} of these 40 runs end with a loss above "
    f"0.69 (ln 2 = {math.log(2):.4f}), at the rates"
)
print([round(rate, 4) for rate in rates[stuck_curves].tolist()])
stuck_active = sweep.active[-1][stuck_curves, 0]  # their unit, at the end
stuck_accuracy = final_accuracy[stuck_curves, 0]
stuck_loss = first_runs.final_loss[stuck_curves]  # their final losses
last_100 = first_runs.loss_history[stuck_curves, -101:]  # epochs 899-999
stuck_drop = (last_100[:, 0] - last_100[:, -1]).abs().max()
print(
    f"their unit is active on at most {stuck_active.max():.1%} of the "
    f"points; accuracy {stuck_accuracy.min():.1%} to "
    f"{stuck_accuracy.max():.1%}; final loss {stuck_loss.min():.3f} to "
    f"{stuck_loss.max():.3f}; loss change over the last 100 epochs: "
    f"at most {stuck_drop:.4f}"
)

# %% tags=["checks"]
# the first run of each rate is the sweep's (to float32 rounding), so the
# sweep trained on the same data x as this retraining
assert torch.allclose(first_runs.final_loss, sweep.final_loss[:, 0], atol=1e-5)
assert first_runs.recorded_epochs[-101] == 899
# the runs ending above 0.69 have a dead or nearly dead unit and flat curves
assert (stuck_active < 0.1).all() and stuck_drop < 0.001
assert stuck_loss.max() < 0.7  # "just above" ln 2 = 0.6931

# %% alt="Forty loss curves, one per learning rate, coloured from blue (0.001) to orange (0.1): binary cross-entropy loss against the epoch, 0 to 1000. They start between about {{ initial_loss.min():.1f }} and {{ initial_loss.max():.1f }}. Most curves of the larger rates fall fast: at epoch 1000, the median loss of the 20 largest rates is {{ first_runs.final_loss[20:].median():.2f }}. The smallest rates fall slowly and are still high at epoch 1000. {{ int(stuck_curves.sum()) }} curves, of rates across the range, end flat on the dotted line at ln 2 ≈ 0.69, the loss of predicting ½ for every point, or just above it (final losses {{ stuck_loss.min():.3f }} to {{ stuck_loss.max():.3f }})."
initial_loss = first_runs.loss_history[:, 0]  # at epoch 0, one per rate
print(
    f"loss at epoch 0: {initial_loss.min():.1f} to {initial_loss.max():.1f}; "
    f"median final loss of the 20 largest rates: "
    f"{first_runs.final_loss[20:].median():.2f}"
)
fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
norm = Normalize(rates.min().item(), rates.max().item())
# a colour scale from blue (the smallest rate) to orange (the largest)
cmap = LinearSegmentedColormap.from_list(
    "rate", [COLORS["blue"], COLORS["orange"]]
)
for rate, losses in zip(rates, first_runs.loss_history, strict=True):
    ax.plot(
        first_runs.recorded_epochs, losses, color=cmap(norm(rate)), linewidth=1
    )
ax.axhline(
    math.log(2),
    color=COLORS["grey"],
    linestyle=":",
    label="ln 2: the loss of predicting ½ everywhere",
)
fig.colorbar(ScalarMappable(norm, cmap), ax=ax, label="learning rate")
ax.set(
    xlabel="epoch",
    ylabel="loss (binary cross-entropy)",
    title="one run per learning rate, as in the lecture",
)
ax.legend()
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** The notes' loss figure with its axes corrected: the loss of the
# first run at each of the 40 rates against the epoch, coloured by the rate.
# {{ int(stuck_curves.sum()) }} of the 40 curves end flat at or just
# above $\ln 2$ (dotted), with final losses from {{ stuck_loss.min():.3f }}
# to {{ stuck_loss.max():.3f }}.

# %% [markdown]
# Some curves ({{ int(stuck_curves.sum()) }} of {{ len(rates) }}) end at or just
# above $\ln 2 \approx 0.693$ (Figure 3), at rates from
# {{ rates[stuck_curves].min():.4f }} to {{ rates[stuck_curves].max():.4f }},
# and they are flat there: over the last
# 100 epochs their loss moved by at most {{ stuck_drop:.4f }}. That is the loss
# of a network that predicts the same probability, ½, for every point, since
# $-\ln \tfrac12 = \ln 2$ per point; their accuracies, {{ stuck_accuracy.min():.1% }}
# to {{ stuck_accuracy.max():.1% }}, are a coin's. In each of them the hidden
# unit is active on at most {{ stuck_active.max():.1% }} of the points at the
# end.
#
# ## Questions
#
# **"Why is the model either behaving very good or very poor?"** The notes
# answer "It's really very difficult to say". Much can be said: one number per
# run tells which way a failed run failed, the fraction of the
# {{ len(x) }} points on which the hidden unit is **active**, that is where $w_1 x_1 + w_2 x_2 + b_1 > 0$. Where the unit
# is not active, ReLU outputs 0 and its slope is 0, so by the
# [chain rule](../../glossary/#chain-rule) no
# [gradient](../../glossary/#gradient) flows back through it from that point. A unit active on no point is **dead**
# ([glossary](../../glossary/#dead-unit)): its weights get no gradient at all.
# The sweep records this fraction for every run, before training
# (`active_start`) and after (`active`).

# %%
start = sweep.active_start  # (rates, runs)
end = sweep.active[-1]
failed = final_accuracy < 0.9
dead = end == 0
nearly_dead = end < 0.1  # active on fewer than 20 of the 200 points
weak = failed & nearly_dead & ~dead  # failed, active on a few points
alive_failed = failed & ~nearly_dead
n_failed = int(failed.sum())
print(f"failed runs: {n_failed} of {n_runs}, their unit at the end:")
failure_kinds = {
    "exactly dead (active on no point)": dead,
    "nearly dead (on some, but under 10 %)": weak,
    "alive (on 10 % or more), not converged": alive_failed,
    "dead or nearly dead, together": failed & nearly_dead,
}
kind_share = {}  # each kind's share of the failed runs, with its interval
for name, group in failure_kinds.items():
    kind_share[name] = wilson_interval(group.sum(), n_failed)
    est = kind_share[name]
    print(
        f"  {name:39s} {int(group.sum()):3d}, {est.rate:.1%} "
        f"[{est.low:.1%}, {est.high:.1%}]"
    )
dead_kind = kind_share["exactly dead (active on no point)"]
weak_kind = kind_share["nearly dead (on some, but under 10 %)"]
alive_kind = kind_share["alive (on 10 % or more), not converged"]
alive_small = wilson_interval(alive_failed[:3].sum(), 3 * sweep.runs)
alive_large = wilson_interval(alive_failed[20:].sum(), 20 * sweep.runs)
for name, est in (("3 smallest", alive_small), ("20 largest", alive_large)):
    print(
        f"alive but not converged at the {name} rates: "
        f"{round(est.rate.item() * est.runs)} of {est.runs} runs, "
        f"{est.rate:.1%} [{est.low:.1%}, {est.high:.1%}]"
    )
slow_low = wilson_interval(alive_failed[:3].sum(), low_k)
print(
    f"of the {low_k} failed runs at the 3 smallest rates, alive but not "
    f"converged: {int(alive_failed[:3].sum())}, {slow_low.rate:.1%} "
    f"[{slow_low.low:.1%}, {slow_low.high:.1%}]; dead or nearly: "
    f"{int((failed & nearly_dead)[:3].sum())}"
)
print(
    "accuracy of every run whose unit died:",
    final_accuracy[dead].unique().tolist(),
)
print(f"dead runs' final loss: at least {sweep.final_loss[dead].min():.4f}")
# per rate, how far the dead runs' largest final loss is above ln 2
dead_gap = torch.where(dead, sweep.final_loss - math.log(2), 0).amax(1)
settle_tol = 0.0005  # a gap below this counts as settled at ln 2
unsettled = (dead_gap >= settle_tol).nonzero().flatten()  # rates with a gap
settle_k = int(unsettled.max()) + 1  # from this rate on, every gap is small
for k in unsettled.tolist():
    print(
        f"  at {rates[k]:.4f}: the dead runs' largest final loss is "
        f"{math.log(2) + dead_gap[k]:.3f}"
    )
print(
    f"  from {rates[settle_k]:.4f} on: less than {settle_tol} above "
    f"ln 2 = {math.log(2):.4f}"
)
print(
    f"successful runs: unit active on {end[~failed].min():.0%} to "
    f"{end[~failed].max():.0%} of the points"
)
always_on = failed & (start > 0.9) & (end > 0.9)  # Figure 4's top right
always_rates = rates[always_on.any(1)]
print(
    f"failed runs whose unit started and ended active on over 90 % of the "
    f"points: {int(always_on.sum())}, all alive and not converged: "
    f"{bool((always_on <= alive_failed).all())}, at rates "
    f"{always_rates.min():.4f} to {always_rates.max():.4f} "
    f"({int(always_on[:3].sum())} of them at the 3 smallest)"
)

# %% tags=["checks"]
assert (failed[dead]).all() and (final_accuracy[dead] == 0.5).all()
assert (sweep.final_loss[dead] > math.log(2) - 1e-4).all()
# c has not settled at the smallest rate, and has from about 0.01 on
assert dead_gap[0] > 0.01 and 0.005 < rates[settle_k] < 0.02
assert end[~failed].min() > 0.4
assert (failed & nearly_dead).sum() > 0.7 * failed.sum()
assert alive_failed[:3].sum() > (failed & nearly_dead)[:3].sum()
assert alive_failed[20:].sum() < 0.2 * (failed & nearly_dead)[20:].sum()

# %% alt="A scatter plot of the {{ n_runs }} runs: the fraction of points where the hidden unit is active at the start (horizontal, 0 to 1) against after 1000 epochs (vertical). Successful runs, blue circles, form a horizontal band: the middle {{ 100 * (band[1] - band[0]):.0f }} % of them end between {{ success_end[0]:.2f }} and {{ success_end[1]:.2f }}, with a few up to {{ end[~failed].max():.2f }}, from every starting value. Failed runs, orange-red crosses, lie mostly along the bottom edge, at an end activity near 0, and are densest at the left, among runs that started with the unit active on few points; a thinner scatter of failed runs sits higher up, with a cluster at the top right whose unit started and stayed active on nearly every point."
band = torch.tensor([0.1, 0.9])  # leave out the lowest and highest 10 %
success_end = end[~failed].quantile(band)
print(
    f"middle {100 * (band[1] - band[0]):.0f} % of the successful runs: unit "
    f"active on {100 * success_end[0]:.0f} % to {100 * success_end[1]:.0f} % "
    f"of the points at the end (all of them: {end[~failed].max():.2f} at most)"
)
fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
plot_active_fractions(sweep, threshold=0.9, ax=ax)
ax.set_ylabel("fraction of points where it is active, after 1000 epochs")
ax.set_title(f"{n_runs} runs, all 40 learning rates")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 4.** Every run of the sweep: the fraction of the points on which
# its hidden unit is active before training (across) and after 1000 epochs
# (up), marked by success. The middle {{ 100 * (band[1] - band[0]):.0f }} %
# of the successful runs end with the
# unit active on {{ 100 * success_end[0]:.0f }} % to
# {{ 100 * success_end[1]:.0f }} % of the points; most failed runs end at the
# bottom, with the unit active on almost no point.

# %% [markdown]
# The answer, measured. The unit's activity at the end sorts the
# {{ n_failed }} failed runs into three kinds (each a share of the failed
# runs, with its 95 % Wilson interval):
#
# 1. **The hidden unit is exactly dead**: {{ int(dead.sum()) }} runs,
#    {{ dead_kind.rate:.1% }}
#    [{{ dead_kind.low:.1% }}, {{ dead_kind.high:.1% }}]. No gradient reaches
#    its weights, nor $v$ (checked below), so nothing can bring it back. With
#    $h = 0$ everywhere the output is the constant $c$, the same probability
#    $p$ for every point, with cost $-\tfrac12 \ln p - \tfrac12 \ln(1 - p)$
#    for two equal classes; its derivative
#    $-\tfrac{1}{2p} + \tfrac{1}{2(1-p)}$ is 0 at $p = \tfrac12$, a loss of
#    $\ln 2$, and right on half the points. Every one of the
#    {{ int(dead.sum()) }} runs whose unit ended dead scores 50 %.
# 2. **The unit is nearly dead**, active on some points but fewer than 10 %:
#    {{ int(weak.sum()) }} runs, {{ weak_kind.rate:.1% }}
#    [{{ weak_kind.low:.1% }}, {{ weak_kind.high:.1% }}]. Those few points
#    still send a little gradient back, so the unit can still change: Going
#    deeper finds that more epochs rescue some such runs and kill the unit of
#    others.
# 3. **The unit is alive, but the run has not converged**:
#    {{ int(alive_failed.sum()) }} runs, {{ alive_kind.rate:.1% }}
#    [{{ alive_kind.low:.1% }}, {{ alive_kind.high:.1% }}]. They still have
#    gradient; whether more epochs rescue such runs, Going deeper measures
#    on 200 other runs at 0.001: most, not all. They crowd the smallest rates ({{ int(alive_failed[:3].sum()) }} of the {{ 3 * sweep.runs }}
#    runs at the 3 smallest, {{ alive_small.rate:.1% }}
#    [{{ alive_small.low:.1% }}, {{ alive_small.high:.1% }}];
#    {{ int(alive_failed[20:].sum()) }} of the {{ 20 * sweep.runs }} at the
#    20 largest, {{ alive_large.rate:.1% }}
#    [{{ alive_large.low:.1% }}, {{ alive_large.high:.1% }}]), yet even there they are only
#    part of the failures: {{ int(alive_failed[:3].sum()) }} of the
#    {{ low_k }} failed runs there, {{ slow_low.rate:.1% }}
#    [{{ slow_low.low:.1% }}, {{ slow_low.high:.1% }}].
#
# Every successful run ends with its
# unit active on at least {{ 100 * end[~failed].min():.0f }} % of the points.
# The end activity says *how* a run failed, not why; Going deeper looks at
# the start, the rate and longer training.
#
# The notes' three guesses
# ([lecture 48](../../notes/#lecture-48)), against the evidence:
#
# - *"May be the model is not complex enough"*. Right remedy, wrong reason.
#   The same network reaches 90 % or more in {{ good }} of {{ n_runs }}
#   runs, up to {{ 100 * final_accuracy.max():.1f }} %, so it can represent
#   a good classifier; what fails is training, through its single hidden
#   unit (next guess). A bigger model helps for that reason: with many hidden
#   units, one dead unit no longer blocks every signal
#   ([page 10](../10_multilayer/) measures it).
# - *"May be the problem statement is a linear one and we used a non-linear
#   model"*. A ReLU network
#   can draw a straight boundary (page 8's did). The problem is the *single*
#   ReLU unit every signal must pass through.
# - Getting *"stuck in a local minima"*, the loss being minimised *"in 6(3
#   weights + 2 biases) + 1 (output feature) dimensions"*. But 3 + 2 is 5,
#   not 6: the loss is minimised over the 5 parameters, 3 weights
#   ($w_1, w_2, v$) and 2 biases ($b_1, c$), and the one extra axis of its
#   graph is the loss itself, not an "output feature".
#   And the guess is close for the dead runs: with the unit off on every point,
#   a small change of $w_1$, $w_2$, $b_1$ or $v$ leaves every output unchanged,
#   so their gradients are exactly 0 and only $c$ moves. Once $c$ settles,
#   the run sits in a flat local minimum at $\ln 2$, far above the good runs:
#   from $\eta = {{ rates[settle_k]:.4f }}$ on, every dead run ends less
#   than {{ settle_tol }} above it. At the smallest rates it has not (a dead run
#   at 0.001 ends at {{ math.log(2) + dead_gap[0]:.3f }}, still on a slope).
#   We check the zero gradients on the first run whose unit started dead,
#   rebuilt from its seed with `one_relu_unit`:

# %%
run = int((start.flatten() == 0).nonzero()[0])
model = one_relu_unit(2, seed=1 + run)  # run i starts from seed i + 1
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))
print("unit active on a fraction", active_fraction(model, x)[0].item())
F.binary_cross_entropy_with_logits(model(x), labels).backward()
for name, parameter in model.named_parameters():
    print(f"∂C/∂({name}) = {parameter.grad.flatten().tolist()}")

# %% tags=["checks"]
gradients = [p.grad for p in model.parameters()]
assert sum(p.numel() for p in model.parameters()) == 5
assert active_fraction(model, x)[0].item() == 0
assert all((g == 0).all() for g in gradients[:3])  # w₁, w₂, b₁ and v
assert gradients[3].abs().item() > 0  # only c, the output bias, moves

# %% [markdown]
# Zero, exactly, for the hidden unit's weights and bias (`0.weight`,
# `0.bias`) and for $v$ (`2.weight`: its input $h$ is 0 on every point): no
# learning rate and no number of epochs can move them.
#
# ## Going deeper
#
# The folds below hold the rest of the evidence: how the start shifts the
# odds, the kinds of failure rate by rate with trend tests, what 10 000
# epochs change, and the lecture's other slips.

# %% [markdown] tags=["deeper"]
# ### How the start shifts the odds
#
# A unit that begins active on few points gets gradient from those points
# only (the chain rule, as in the Questions); some units start on no point at
# all and are dead before the first step. Counted over the sweep:

# %% tags=["deeper"]
starts = {
    "on no point": start == 0,
    "on some, but fewer than 10 %": (start > 0) & (start < 0.1),
    "on 50 % or more": start >= 0.5,
}
start_fail = {}  # name -> Wilson estimate of the failed share
for name, group in starts.items():
    k = int(failed[group].sum())
    start_fail[name] = wilson_interval(torch.tensor(k), int(group.sum()))
    est = start_fail[name]
    print(
        f"unit active {name + ' at the start:':42s} {k:4d} of "
        f"{est.runs:4d} runs failed, {est.rate:5.1%} "
        f"[{est.low:.1%}, {est.high:.1%}]"
    )
few = start_fail["on some, but fewer than 10 %"]
many = start_fail["on 50 % or more"]
none = start_fail["on no point"]

# %% tags=["deeper", "checks"]
assert failed[start == 0].all()
assert failed[(start > 0) & (start < 0.1)].float().mean() > 0.5
assert failed[start >= 0.5].float().mean() < 0.3

# %% [markdown] tags=["deeper"]
# So the initial weights shift the odds a lot; of the three start groups
# counted, only one settles the outcome: a unit that starts dead never recovers (no gradient reaches its
# weights, as the Questions check), and all {{ int(failed[start == 0].sum()) }}
# of the {{ none.runs }} runs that start so fail, {{ none.rate:.1% }}
# [{{ none.low:.1% }}, {{ none.high:.1% }}]. Beyond that it shifts the odds
# without deciding: of the {{ few.runs }} runs that start with the unit on
# some points but fewer than 10 % (the dead starts set aside),
# {{ few.rate:.1% }} [{{ few.low:.1% }}, {{ few.high:.1% }}] fail;
# of the {{ many.runs }} that start with it on half the points or more,
# {{ many.rate:.1% }} [{{ many.low:.1% }}, {{ many.high:.1% }}]. Nor does a
# start on nearly every point guarantee success: Figure 4's top-right cluster,
# {{ int(always_on.sum()) }} failed runs at rates
# {{ always_rates.min():.4f }} to {{ always_rates.max():.4f }}, kept the unit
# active on over 90 % of the points from start to end. Such a unit makes the
# network nearly linear on the data, able to separate the clouds, but too slow at
# these rates: all {{ int(always_on.sum()) }} are alive but not converged.

# %% [markdown] tags=["deeper"]
# ### Failures, rate by rate
#
# The Questions sorted the failed runs into three kinds by the unit's
# activity at the end: exactly dead (no gradient at all), nearly dead (a
# little gradient) and alive. We count each kind at each rate, with Wilson intervals
# from `wilson_interval`, and test each for a trend over the 40 rates with
# `trend_test` (scores $\log \eta$, so $z > 0$ means a share that
# rises with the rate).

# %% tags=["deeper"]
kinds = {
    "dead": (dead, "unit exactly dead (on no point)", "vermillion", "x"),
    "weak": (weak, "failed, unit nearly dead (< 10 %)", "purple", "^"),
    "alive": (alive_failed, "failed, unit alive, not converged", "blue", "o"),
}
per_half = 20 * sweep.runs
by_half = {}  # kind -> (estimate at the 20 smallest, at the 20 largest)
trend = {}  # kind -> (z, p) over all 40 rates
for kind, (group, label, _, _) in kinds.items():
    by_half[kind] = [
        wilson_interval(group[half].sum(), per_half)
        for half in (slice(0, 20), slice(20, 40))
    ]
    trend[kind] = trend_test(group, log_rates)
    lower, upper = by_half[kind]
    print(
        f"{label:34s} 20 smallest rates {lower.rate:5.1%} "
        f"[{lower.low:.1%}, {lower.high:.1%}], "
        f"20 largest {upper.rate:5.1%} [{upper.low:.1%}, {upper.high:.1%}]; "
        f"z = {trend[kind][0]:+.2f}, p = {trend[kind][1]:.2g}"
    )
stuck = (failed & nearly_dead).sum(1)  # dead or nearly, per rate
alive = alive_failed.sum(1)
halves = [
    wilson_interval(stuck[h].sum(), per_half)
    for h in (slice(0, 20), slice(20, 40))
]
z_stuck, p_stuck = trend_test(failed & nearly_dead, log_rates)
print(
    f"{'dead or nearly, pooled':34s} 20 smallest rates "
    f"{halves[0].rate:5.1%} [{halves[0].low:.1%}, {halves[0].high:.1%}], "
    f"20 largest {halves[1].rate:5.1%} "
    f"[{halves[1].low:.1%}, {halves[1].high:.1%}]; "
    f"z = {z_stuck:+.2f}, p = {p_stuck:.2g}"
)
print(
    f"at the 3 smallest rates: {int(stuck[:3].sum())} dead or nearly, "
    f"{int(alive[:3].sum())} alive but not converged (of 150 runs)"
)
print(
    f"at the 20 largest rates: {int(stuck[20:].sum())} dead or nearly, "
    f"{int(alive[20:].sum())} alive but not converged (of 1000 runs)"
)
z_dead, p_dead = trend["dead"]
dead_small, dead_large = by_half["dead"]
weak_small, weak_large = by_half["weak"]
z_weak, p_weak = trend["weak"]
z_alive, p_alive = trend["alive"]
top_trend = {}  # kind -> (z, p) within the 20 largest rates only
for kind, (group, label, _, _) in kinds.items():
    top_trend[kind] = trend_test(group[20:], log_rates[20:])
    print(
        f"within the 20 largest rates, {label}: {int(group[20:].sum())} of "
        f"1000 runs, z = {top_trend[kind][0]:+.2f}, "
        f"p = {top_trend[kind][1]:.2g}"
    )
z_top_dead, p_top_dead = top_trend["dead"]
z_top_weak, p_top_weak = top_trend["weak"]
z_top_alive, p_top_alive = top_trend["alive"]

# %% tags=["deeper", "checks"]
assert alive[:3].sum() > stuck[:3].sum()
assert alive[20:].sum() < 0.2 * stuck[20:].sum()
assert all(0.2 < share.rate < 0.35 for share in halves)
assert z_dead > 0 and p_dead < 0.05  # exactly dead: more at larger rates
assert z_weak < 0 and p_weak < 0.05  # nearly dead: fewer
assert z_alive < -10 and p_alive < 1e-6
assert z_stuck < 0 and p_stuck < 0.05
# within the 20 largest rates: nearly dead and slow fall, dead shows nothing
assert top_trend["weak"][0] < 0 and top_trend["weak"][1] < 0.05
assert top_trend["alive"][0] < 0 and top_trend["alive"][1] < 0.05
assert top_trend["dead"][1] > 0.05

# %% alt="Three curves of the fraction of runs against the learning rate, with 95 % bands. Runs whose unit ended exactly dead (orange-red crosses) scatter between {{ dead.sum(1).min() / sweep.runs:.2f }} and {{ dead.sum(1).max() / sweep.runs:.2f }} and become more common as the rate rises (trend test z = {{ z_dead:+.2f }}, p = {{ p_dead:.2g }}). Failed runs whose unit is nearly dead (pink triangles) scatter between {{ weak.sum(1).min() / sweep.runs:.2f }} and {{ weak.sum(1).max() / sweep.runs:.2f }} and become rarer (z = {{ z_weak:+.2f }}, p = {{ p_weak:.2g }}). Failed runs whose unit is still alive (blue circles) are common at the smallest rates, {{ alive[0] / sweep.runs:.2f }} at 0.001, and fall quickly to near 0: {{ alive[20:].max() / sweep.runs:.2f }} or less at each of the 20 largest rates (z = {{ z_alive:+.2f }})." tags=["deeper"]
for name, per_rate in (("exactly dead", dead), ("nearly dead", weak)):
    shares = per_rate.sum(1) / sweep.runs
    print(f"{name}: share per rate {shares.min():.2f} to {shares.max():.2f}")
print(
    f"alive, not converged: {alive[0] / sweep.runs:.2f} at 0.001, "
    f"{alive[20:].max() / sweep.runs:.2f} or less at each of the 20 largest"
)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for group, label, color, marker in kinds.values():
    estimate = wilson_interval(group.sum(1), sweep.runs)
    ax.fill_between(
        rates, estimate.low, estimate.high, color=COLORS[color], alpha=0.2
    )
    ax.plot(
        rates, estimate.rate, color=COLORS[color], marker=marker, label=label
    )
ax.set(
    xlabel="learning rate",
    ylabel="fraction of runs",
    title=f"{sweep.runs} runs per rate; band: 95% Wilson interval",
)
ax.set_ylim(0, 1)
ax.legend()
plt.show()

# %% [markdown] tags=["deeper", "caption"]
# **Figure 5.** The kinds of failure per learning rate, each as a share of the
# 50 runs with its 95 % Wilson interval: runs whose unit ended exactly dead
# (crosses), failed runs whose unit is nearly dead (triangles), and failed
# runs whose unit is alive (circles). Exactly dead units grow more common with
# the rate ($z = {{ z_dead:+.2f }}$), nearly dead ones rarer
# ($z = {{ z_weak:+.2f }}$).

# %% [markdown] tags=["deeper"]
# The two halves of "dead or nearly" move in opposite directions. Exactly dead
# units become *more* common as the rate rises ($z = {{ z_dead:+.2f }}$,
# *p* = {{ p_dead:.2g }}): {{ dead_small.rate:.1% }} of the runs at
# the 20 smallest rates [{{ dead_small.low:.1% }}, {{ dead_small.high:.1% }}],
# {{ dead_large.rate:.1% }} [{{ dead_large.low:.1% }}, {{ dead_large.high:.1% }}]
# at the 20 largest. Failed runs with a nearly dead unit become rarer
# ($z = {{ z_weak:+.2f }}$, *p* = {{ p_weak:.2g }}): from
# {{ weak_small.rate:.1% }} [{{ weak_small.low:.1% }}, {{ weak_small.high:.1% }}]
# to {{ weak_large.rate:.1% }} [{{ weak_large.low:.1% }}, {{ weak_large.high:.1% }}].
# Pooled (the Questions print them together), they fall slightly ($z = {{ z_stuck:+.2f }}$,
# *p* = {{ p_stuck:.2g }}), from {{ halves[0].rate:.1% }}
# [{{ halves[0].low:.1% }}, {{ halves[0].high:.1% }}] to
# {{ halves[1].rate:.1% }} [{{ halves[1].low:.1% }}, {{ halves[1].high:.1% }}]:
# a sum of two opposite trends. The next fold offers one reading (units keep
# dying during training, and a larger rate goes farther in 1000 epochs, so
# more of its nearly dead units have become exactly dead) and counts how far
# it holds. The alive-but-unconverged runs fall
# steeply ($z = {{ z_alive:.2f }}$, *p* = {{ p_alive:.2g }}), as slow runs
# would, since a larger rate makes more progress per epoch (the next fold
# gives such runs more epochs).
#
# Over all 40 rates, then, a larger rate kills more units outright, yet
# success still rises across the 20 largest rates ($z = {{ z_top:+.2f }}$,
# *p* = {{ p_top:.2g }}). Within those 20 rates alone, failed runs with a
# nearly dead unit become rarer ($z = {{ z_top_weak:+.2f }}$,
# *p* = {{ p_top_weak:.2g }}), and so do the few alive-but-unconverged ones
# ({{ int(alive_failed[20:].sum()) }} of 1000; $z = {{ z_top_alive:+.2f }}$,
# *p* = {{ p_top_alive:.2g }}), while the test finds no trend in the
# exactly dead ($z = {{ z_top_dead:+.2f }}$, *p* = {{ p_top_dead:.2g }}): that fits the rise in success,
# though it does not prove it is the cause. At 0.1, {{ top_fails }} of
# {{ sweep.runs }} runs still fail. A small p says a trend is there, not how
# large it is; the shares say that.

# %% [markdown] tags=["deeper"]
# ### More epochs: which failures recover
#
# If the alive-but-unconverged runs are slow learners, like the parabola's at
# a small rate, they should succeed when given more epochs. And "dead or
# nearly" lumps two states together: a unit active on *no* point gets exactly
# zero gradient and cannot come back, but a unit active on a few points still
# learns from them. We test both, at the smallest rate and at two middle ones:
# 200 starts (seeds 1 to 200; the sweep's 50 runs at $\eta = 0.001$ are the
# first 50), each trained with $\eta$ = 0.001, 0.01 and 0.05 for 10 000
# epochs, with snapshots at 1000, 2000 and 5000. Calling `train_many` directly
# lets every rate start from the same 200 initial weights.

# %% tags=["deeper"]
longer_rates = [0.001, 0.01, 0.05]
n_starts = 200
budgets = [1000, 2000, 5000, 10_000]
longer = train_many(
    [2, 1, 1],
    x,
    labels,
    seeds=list(range(1, n_starts + 1)) * 3,
    learning_rates=torch.tensor(longer_rates).repeat_interleave(n_starts),
    epochs=budgets[-1],
    checkpoints=budgets[:-1],
)
shots = [longer.checkpoints[e] for e in budgets[:-1]] + [longer.end]
# (budgets, rates, starts)
acc = torch.stack([s.accuracy.view(3, n_starts) for s in shots])
act = torch.stack(
    [s.active_fractions[0][:, 0].view(3, n_starts) for s in shots]
)

failed_1000 = acc[0] < 0.9
works_later = acc[-1] >= 0.9
unit_state = {
    "exactly dead (on no point)": act[0] == 0,
    "nearly dead (on < 10 %)": (act[0] > 0) & (act[0] < 0.1),
    "alive (on 10 % or more)": act[0] >= 0.1,
}
print(
    f"failed at epoch 1000, by the unit's state then, at η = {longer_rates}:"
)
recovered = {}  # state -> (runs per rate, of which succeed by 10 000)
for name, state in unit_state.items():
    group = failed_1000 & state  # (rates, starts)
    recovered[name] = (group.sum(1), (group & works_later).sum(1))
    print(
        f"  {name:27s} runs {recovered[name][0].tolist()}, "
        f"succeed later {recovered[name][1].tolist()}"
    )
dead_runs, dead_back = recovered["exactly dead (on no point)"]
weak_runs, weak_back = recovered["nearly dead (on < 10 %)"]
alive_runs, alive_back = recovered["alive (on 10 % or more)"]
back_share = {  # recovered share of each group, all three rates pooled
    name: wilson_interval(
        recovered[name][1].sum(), int(recovered[name][0].sum())
    )
    for name in unit_state
}
back_share["alive at 0.001"] = wilson_interval(
    alive_back[0], int(alive_runs[0])
)
for r in (0, 1, 2):
    back_share[f"nearly dead at {longer_rates[r]:g}"] = wilson_interval(
        weak_back[r], int(weak_runs[r])
    )
print("share that succeeds by epoch 10 000 [95% interval]:")
for name, est in back_share.items():
    print(
        f"  {name:27s} {round(est.rate.item() * est.runs)} of "
        f"{est.runs}: {est.rate:.1%} [{est.low:.1%}, {est.high:.1%}]"
    )
back_dead = back_share["exactly dead (on no point)"]
back_alive = back_share["alive at 0.001"]
back_weak = [back_share[f"nearly dead at {rate:g}"] for rate in longer_rates]
# at 0.001: failed with the unit alive at 1000, still failed at 10 000
not_back = failed_1000[0] & (act[0, 0] >= 0.1) & ~works_later[0]
alive_still = [  # their unit at 10 000: alive, exactly dead, nearly dead
    int((not_back & (act[-1, 0] >= 0.1)).sum()),
    int((not_back & (act[-1, 0] == 0)).sum()),
    int((not_back & (act[-1, 0] > 0) & (act[-1, 0] < 0.1)).sum()),
]
print(
    f"at 0.001, the {int(not_back.sum())} alive at 1000 that still fail at "
    f"10 000: unit alive {alive_still[0]}, exactly dead {alive_still[1]}, "
    f"nearly dead {alive_still[2]}"
)
dead_count = (act == 0).sum(2)  # (budgets, rates)
weak_count = ((act > 0) & (act < 0.1)).sum(2)  # nearly dead, every run
print("units exactly dead / nearly dead at epochs", budgets, "per rate:")
for r, rate in enumerate(longer_rates):
    print(
        f"  η={rate:g}: exactly dead {dead_count[:, r].tolist()}, "
        f"nearly dead {weak_count[:, r].tolist()}"
    )
weak_at_1000 = (act[0] > 0) & (act[0] < 0.1)  # (rates, starts)
weak_to_dead = (weak_at_1000 & (act[-1] == 0)).sum(1)
print(
    "nearly dead at epoch 1000:",
    weak_at_1000.sum(1).tolist(),
    "of which exactly dead at 10 000:",
    weak_to_dead.tolist(),
)
slow_count = ((acc < 0.9) & (act >= 0.1)).sum(2)  # failed, unit alive
same_product = {}  # η·epochs -> [(budget index, rate index), ...]
for r, rate in enumerate(longer_rates):
    for b, epochs in enumerate(budgets):
        same_product.setdefault(round(rate * epochs, 6), []).append((b, r))
matched = {p: cells for p, cells in same_product.items() if len(cells) == 2}
dead_pairs = [  # (η·epochs, dead units at one rate, at the other)
    (product, int(dead_count[b1, r1]), int(dead_count[b2, r2]))
    for product, ((b1, r1), (b2, r2)) in matched.items()
]
print("same η·epochs at two rates: (failed, unit alive), (exactly dead)")
for product, cells in matched.items():
    print(
        f"  {product:g}: "
        + " and ".join(
            f"η={longer_rates[r]:g} × {budgets[b]}: "
            f"{int(slow_count[b, r])}, {int(dead_count[b, r])}"
            for b, r in cells
        )
    )

# %% tags=["deeper", "checks"]
# the first 50 starts at 0.001 are the sweep's runs (to float32 rounding)
assert (acc[0, 0, : sweep.runs] - final_accuracy[0]).abs().max() <= 1 / len(x)
# zero gradient is exactly zero: a dead unit never comes back
assert dead_back.sum() == 0
assert sum(alive_still) == alive_runs[0] - alive_back[0]
assert (dead_count.diff(dim=0) >= 0).all()
# at the same η·epochs, two rates give nearly the same counts
assert len(matched) == 3
for (b1, r1), (b2, r2) in matched.values():
    assert abs(dead_count[b1, r1] - dead_count[b2, r2]) <= 4

# %% [markdown] tags=["deeper"]
# Two panels show what changes with the budget. Left: the share of starts that
# fail with the unit still alive, against the *product* of the learning rate
# and the number of epochs. With small steps, gradient descent follows nearly
# the same path whatever the rate, only at a different pace: ten steps of
# $\eta = 0.01$ reach about the same point of that path as one hundred steps
# of $\eta = 0.001$. The product says where on the path a run is (it is not a
# distance). Right: the share whose unit is exactly dead, against the same
# product. Where two rates reach the same product, the code prints both.

# %% alt="Two panels, one line per learning rate (0.001: large hollow circles, 0.01: middle-sized hollow squares, 0.05: small hollow triangles, so coinciding points stay visible), both against learning rate times epochs on a logarithmic axis with ticks at the products used, {{ products[0]:g }} to {{ products[-1]:g }}. Left: the share of the 200 starts that fail with the unit alive, from {{ slow_share[0, 0]:.3f }} at the smallest product to {{ slow_share[-1, 2]:.3f }} at the largest; where 0.001 after 10 000 epochs and 0.01 after 1000 both reach a product of 10, their shares are {{ slow_at_10[0]:.3f }} and {{ slow_at_10[1]:.3f }}. Right: the share of starts whose unit is exactly dead; it never falls along a line, since a dead unit stays dead, and it goes from {{ dead_share[0, 0]:.3f }} at the smallest product, {{ products[0]:g }}, to {{ dead_share[-1, 2]:.3f }} at the largest, {{ products[-1]:g }}; at a product of 10 both rates give {{ dead_at_10[0]:.3f }} and {{ dead_at_10[1]:.3f }}." tags=["deeper"]
slow_runs = (acc < 0.9) & (act >= 0.1)  # failed, unit alive
slow_share = slow_runs.float().mean(2)  # (budgets, rates)
dead_share = dead_count / n_starts
slow_at_10 = [slow_share[-1, 0], slow_share[0, 1]]  # η·epochs = 10 twice
dead_at_10 = [dead_share[-1, 0], dead_share[0, 1]]
print(
    f"at η·epochs = 10 (0.001 × 10 000, 0.01 × 1000): failed with the unit "
    f"alive {slow_at_10[0]:.3f} and {slow_at_10[1]:.3f}, exactly dead "
    f"{dead_at_10[0]:.3f} and {dead_at_10[1]:.3f}"
)
for name, share in (
    ("failed, unit alive", slow_share),
    ("exactly dead", dead_share),
):
    print(
        f"{name}: {share[0, 0]:.3f} at the smallest product, "
        f"{share[-1, 2]:.3f} at the largest"
    )
fig, (ax_slow, ax_dead) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
line_colors = [COLORS["blue"], COLORS["green"], COLORS["orange"]]
# coinciding points would hide each other: hollow markers, one shape and
# size per rate, largest first, so every rate stays visible
rate_markers = [("o", 12), ("s", 8), ("^", 5)]
products = sorted(
    {rate * epochs for rate in longer_rates for epochs in budgets}
)
for r, (rate, color) in enumerate(zip(longer_rates, line_colors, strict=True)):
    marker, size = rate_markers[r]
    for axis, share in ((ax_slow, slow_share), (ax_dead, dead_share)):
        axis.plot(
            [rate * epochs for epochs in budgets],
            share[:, r],
            color=color,
            marker=marker,
            markersize=size,
            markerfacecolor="none",
            markeredgewidth=1.5,
            label=f"η = {rate:g}",
        )
ax_slow.set(
    xscale="log",
    xlabel="learning rate × epochs",
    ylabel="share of the 200 starts",
    ylim=(0, 1),
    title="failed with the unit alive",
)
ax_dead.set(
    xscale="log",
    xlabel="learning rate × epochs",
    ylabel="share of the 200 starts",
    ylim=(0, 0.5),
    title="unit exactly dead",
)
# label the ticks at the values actually used, not only at powers of ten
for axis in (ax_slow, ax_dead):
    axis.set_xticks(products, labels=[f"{p:g}" for p in products])
    axis.xaxis.set_minor_locator(NullLocator())
ax_slow.legend()
ax_dead.legend()
plt.show()

# %% [markdown] tags=["deeper", "caption"]
# **Figure 6.** The same 200 starts trained at three rates for 1000, 2000,
# 5000 and 10 000 epochs, against learning rate × epochs (hollow markers of
# three sizes, one per rate, so that points at the same place stay visible).
# Left: the share that fail with the unit alive (where 0.001 and 0.01 both
# reach a product of 10, their shares are {{ slow_at_10[0]:.3f }} and
# {{ slow_at_10[1]:.3f }}). Right: the share whose unit is exactly dead
# ({{ dead_at_10[0]:.3f }} and {{ dead_at_10[1]:.3f }} at that product); it
# never falls along a line.

# %% [markdown] tags=["deeper"]
# If what counts is how far a run has gone along its path, two rates that
# reach the same product of rate and epochs should give about the same
# counts. The page does not test that (three pairs, of the same 200 starts);
# here are the counts. Where 0.001 after 10 000 epochs meets 0.01 after 1000,
# the shares that fail with the unit alive are {{ slow_at_10[0]:.3f }} and
# {{ slow_at_10[1]:.3f }}, and {{ int(dead_count[-1, 0]) }} and
# {{ int(dead_count[0, 1]) }} units are exactly dead; at a product of
# {{ dead_pairs[1][0]:g }}, {{ dead_pairs[1][1] }} and
# {{ dead_pairs[1][2] }}; at {{ dead_pairs[2][0]:g }},
# {{ dead_pairs[2][1] }} and {{ dead_pairs[2][2] }} (the printout above names
# the rates and epochs). That fits what the sweep found after a fixed
# 1000 epochs: more dead units at larger rates, whose runs have gone farther
# along their paths. Some nearly dead units turn into dead ones on the way:
# at $\eta = 0.01$, of the {{ int(weak_at_1000[1].sum()) }} units nearly dead
# at epoch 1000, {{ int(weak_to_dead[1]) }} are exactly dead at 10 000 (some
# others recover, see below), and the exactly dead units of the 200 starts go
# from {{ int(dead_count[0, 1]) }} to {{ int(dead_count[-1, 1]) }}. At 0.001,
# {{ int(weak_to_dead[0]) }} of its {{ int(weak_at_1000[0].sum()) }} nearly
# dead units are exactly dead at 10 000; its nearly dead go from
# {{ int(weak_count[0, 0]) }} to {{ int(weak_count[-1, 0]) }} and its dead
# from {{ int(dead_count[0, 0]) }} to {{ int(dead_count[-1, 0]) }}.
#
# At 0.001, most of the runs that had failed at epoch 1000 with the unit
# alive succeed by 10 000: {{ int(alive_back[0]) }} of
# {{ int(alive_runs[0]) }}, {{ back_alive.rate:.1% }}
# [{{ back_alive.low:.1% }}, {{ back_alive.high:.1% }}]. The other
# {{ int(alive_runs[0] - alive_back[0]) }} still fail at 10 000, with the unit
# alive in {{ alive_still[0] }} of them, exactly dead in {{ alive_still[1] }}
# and nearly dead in {{ alive_still[2] }}. The dead-or-nearly
# group splits in two. Exactly dead units are permanent: none of the
# {{ int(dead_runs.sum()) }} runs that failed with a dead unit at epoch 1000
# succeeded later, at any rate ({{ back_dead.rate:.1% }}
# [{{ back_dead.low:.1% }}, {{ back_dead.high:.1% }}], and no gradient to
# bring them back), and units keep dying during training (at
# $\eta = 0.05$, {{ int(dead_count[0, 2]) }} dead at epoch 1000,
# {{ int(dead_count[-1, 2]) }} at 10 000). Nearly dead units are not: at the
# middle rates, {{ int(weak_back[1]) }} of {{ int(weak_runs[1]) }} recover at
# 0.01, {{ back_weak[1].rate:.1% }}
# [{{ back_weak[1].low:.1% }}, {{ back_weak[1].high:.1% }}], and
# {{ int(weak_back[2]) }} of {{ int(weak_runs[2]) }} at 0.05,
# {{ back_weak[2].rate:.1% }}
# [{{ back_weak[2].low:.1% }}, {{ back_weak[2].high:.1% }}]; but only
# {{ int(weak_back[0]) }} of {{ int(weak_runs[0]) }} at 0.001,
# {{ back_weak[0].rate:.1% }}
# [{{ back_weak[0].low:.1% }}, {{ back_weak[0].high:.1% }}], where 10 000
# epochs are still too few for a unit with so little gradient.

# %% [markdown] tags=["deeper"]
# ### Other slips in the lecture
#
# Its parabola demo names the run at $\eta = 1$ `diverge_localmins`, but at
# $\eta = 1$ the iterates bounce (its own plot title says so); divergence
# starts above 1. The iterates are not "local minima" either, just the current
# positions. And its accuracy plot, one run per rate, shows 40 single runs,
# each as lucky as its start: Figure 2, with its interval, is the measurement.

# %% [markdown]
# ## Key points
#
# - Gradient descent on $x^2$ multiplies $x$ by $1 - 2\eta$ at every step: it
#   converges for $0 < \eta < 1$ (in one step at $\eta = \tfrac12$), bounces
#   between $\pm x_0$ at $\eta = 1$ and diverges above. For a curvature $L$ the
#   bound is $2/L$.
# - A larger rate is not always faster: $\eta = 0.1$ and $\eta = 0.9$ approach
#   the minimum of $x^2$ at the same speed.
# - One run per learning rate measures one start's luck; many runs per rate
#   give the probability of success, with an interval.
# - On the lecture's sweep no run diverges, and a failed run's single hidden
#   ReLU unit ends exactly dead (its weights get a gradient of exactly 0: no
#   rate and no number of epochs revives it), nearly dead (a little gradient:
#   at the three rates tried, more epochs rescue some such runs and kill the
#   unit of others), or alive
#   but not converged (most common at the smallest rates).

# %% [markdown]
# ## Try it
#
# **Exercise 1.** Gradient descent on $f(x) = 5x^2$. Predict the bound above
# which it no longer converges (use the rule $0 < \eta < 2/L$ of the
# idea above, with $L = f''$), then check it with `descend`: run 50 steps just
# below it, at it and just above it.


# %% tags=["solution"]
def steep(x):
    return 5 * x**2


# f'' = 10, so the step factor is 1 - 10η: stable for 0 < η < 2/10 = 0.2.
for eta in (0.19, 0.2, 0.21):
    path = descend(steep, eta, steps=50)
    print(f"η = {eta}: |x_50| = {path[-1].abs():.3g}")
bounce = descend(steep, 0.2, steps=2)
print("η = 0.2, x_0 to x_2 in full:", bounce.tolist())

# %% tags=["solution", "checks"]
assert descend(steep, 0.19, steps=50)[-1].abs() < 0.01
assert torch.allclose(
    descend(steep, 0.2, steps=50).abs(),
    torch.full((51,), 0.75, dtype=torch.float64),
)
assert descend(steep, 0.21, steps=50)[-1].abs() > 10

# %% [markdown] tags=["solution"]
# $f'(x) = 10x$, so one step multiplies $x$ by $1 - 10\eta$, and the bound is
# $2/L$ with $L = f'' = 10$: $\eta < 0.2$. At $\eta = 0.2$ the factor is −1
# (up to float rounding: 0.2 has no exact binary form, so the iterates come
# out as ±{{ abs(bounce[1].item()) }} rather than ±0.75) and $x$ bounces between ±0.75; just above, it diverges. A more sharply
# curved cost needs a smaller learning rate.

# %% [markdown]
# **Exercise 2 (pencil and paper).** A hidden unit has weights
# $w_1 = 1$, $w_2 = -1$ and bias $b_1 = -3$. Compute its output
# $h = \operatorname{ReLU}(w_1 x_1 + w_2 x_2 + b_1)$ on the three points
# $(1, 1)$, $(5, 1)$ and $(4, 0)$. On which is it active? If all 200
# qwerties behaved like the point $(1, 1)$, what gradient would $w_1$ get?
# Check the outputs in code (`torch.relu` computes ReLU).

# %% tags=["solution"]
points = torch.tensor([[1.0, 1.0], [5.0, 1.0], [4.0, 0.0]])
z = 1.0 * points[:, 0] - 1.0 * points[:, 1] - 3.0  # w₁x₁ + w₂x₂ + b₁
h = torch.relu(z)  # max(0, z)
print("weighted sums:", z.tolist())
print("h on each point:", h.tolist())
print("active on", int((z > 0).sum()), "of", len(points), "points")

# %% tags=["solution", "checks"]
assert h.tolist() == [0.0, 1.0, 1.0]

# %% [markdown] tags=["solution"]
# The weighted sums are $1 - 1 - 3 = -3$, $5 - 1 - 3 = 1$ and $4 - 0 - 3 = 1$,
# so $h = \max(0, \cdot)$ is 0, 1 and 1: the unit is active on $(5, 1)$ and
# $(4, 0)$, on two of the three points. At $(1, 1)$ the sum is negative, where
# ReLU's slope is 0, so the chain rule multiplies the gradient reaching $w_1$
# by 0: a unit that is off on every point gets no gradient at all, as the
# Questions measured.

# %% [markdown]
# **Exercise 3.** No run of the sweep diverged. Push the rates past the
# lecture's range: run `learning_rate_sweep` at 0.1, 0.3, 1, 3 and 10, 50 runs
# each. Do the runs diverge like $x^2$ at $\eta > 1$ (`diverged` counts the
# runs whose loss became infinite or NaN)? If not, how do they fail?

# %% tags=["solution"]
large = learning_rate_sweep(
    [0.1, 0.3, 1.0, 3.0, 10.0], runs=50, epochs=1000, seed=0
)
large_won = large.accuracy[-1] >= 0.9  # (5 rates, 50 runs)
wins = large_won.sum(1)  # per rate, of 50
large_success = wilson_interval(wins, large.runs)
# failed, with the unit active on fewer than 10 % of the points
large_stuck = ~large_won & (large.active[-1] < 0.1)
stuck_share = wilson_interval(large_stuck.sum(1), large.runs)
failed_n = (~large_won).sum(1)  # failed runs per rate
for k, rate in enumerate(large.learning_rates):
    print(
        f"rate {rate:4.1f}: diverged {int(large.diverged[k].sum())}; "
        f"success {int(wins[k]):2d} of {large.runs}, "
        f"{large_success.rate[k]:.1%} "
        f"[{large_success.low[k]:.1%}, {large_success.high[k]:.1%}]; "
        f"failed {int(failed_n[k]):2d}, of them with the unit (nearly) dead "
        f"{int(large_stuck[k].sum()):2d}, {stuck_share.rate[k]:.1%} "
        f"[{stuck_share.low[k]:.1%}, {stuck_share.high[k]:.1%}] of all runs"
    )
print(
    f"failed runs with the unit (nearly) dead, all five rates: "
    f"{int(large_stuck.sum())} of {int(failed_n.sum())}"
)
print(
    f"largest final loss of any run: {large.final_loss.max():.3f}; "
    f"largest |logit| over the {len(x)} points at the end, per rate: "
    f"{[round(v, 1) for v in large.largest_logit[-1].amax(1).tolist()]}"
)

# %% tags=["solution", "checks"]
assert not large.diverged.any()
assert large_success.rate[:3].min() > 0.6 and large_success.rate[-1] < 0.2
assert large_stuck[-1].float().mean() > 0.6
# at 0.1 and at 10, every failed run has a dead or nearly dead unit
assert (
    failed_n[0] == large_stuck[0].sum()
    and failed_n[-1] == large_stuck[-1].sum()
)
assert large_stuck.sum() >= failed_n.sum() - 1

# %% [markdown] tags=["solution"]
# No run diverges (no loss becomes infinite or NaN within the 1000 epochs,
# and the largest final loss of any run is {{ large.final_loss.max():.3f }}),
# even at a rate of 10, a hundred times the lecture's largest. Instead,
# beyond 1 success collapses: {{ int(wins[2]) }} of 50 runs succeed at 1,
# {{ large_success.rate[2]:.1% }}
# [{{ large_success.low[2]:.1% }}, {{ large_success.high[2]:.1% }}];
# {{ int(wins[3]) }} at 3, {{ large_success.rate[3]:.1% }}
# [{{ large_success.low[3]:.1% }}, {{ large_success.high[3]:.1% }}]; and
# {{ int(wins[4]) }} at 10, {{ large_success.rate[-1]:.1% }}
# [{{ large_success.low[-1]:.1% }}, {{ large_success.high[-1]:.1% }}]. The
# failed runs end with the hidden unit active on fewer than 10 % of the
# points: all {{ int(failed_n[-1]) }} failed runs at 10,
# {{ stuck_share.rate[-1]:.1% }}
# [{{ stuck_share.low[-1]:.1% }}, {{ stuck_share.high[-1]:.1% }}] of its 50
# runs, and {{ int(large_stuck.sum()) }} of the {{ int(failed_n.sum()) }}
# failed runs over the five rates.
#
# So for this network "too large" does not show, within 1000 epochs, as a
# loss that becomes infinite, as on the parabola, but as a hidden unit left
# active on few points or none. The lecture's range shows this kind of
# failure already, though not the collapse: at 0.1 every one of the
# {{ int(failed_n[0]) }} failed runs here ends with its unit dead or nearly,
# none merely slow.
#
# **Going further: can 0.1, 0.3 and 1 be told apart?** A trend test over the
# three rates (score $\log \eta$, as in Going deeper), one on the widest gap,
# and one on the two sets of seeds at 0.1 (these runs start from seeds 1 to
# 50; the main sweep's 0.1 runs from other seeds).

# %% tags=["solution"]
z_three, p_three = trend_test(large_won[:3], large.learning_rates[:3].log())
z_pair, p_pair = trend_test(large_won[[1, 2]], torch.tensor([0.0, 1.0]))
print(
    f"success at 0.1, 0.3, 1: {wins[:3].tolist()} of {large.runs}; "
    f"trend (score log η): z = {z_three:+.2f}, p = {p_three:.2f}"
)
print(
    f"0.3 against 1 (the widest gap): {int(wins[1])} and "
    f"{int(wins[2])} of 50, z = {z_pair:+.2f}, p = {p_pair:.2f}"
)
first_seed = 1 + (len(rates) - 1) * sweep.runs  # the main sweep's 0.1 runs
last_seed = first_seed + sweep.runs - 1
main_wins = sweep.runs - top_fails  # the main sweep's successes at 0.1
print(
    f"main sweep at 0.1 (seeds {first_seed} to {last_seed}): "
    f"{main_wins} of {sweep.runs} succeeded, "
    f"{success.rate[-1, -1]:.1%} "
    f"[{success.low[-1, -1]:.1%}, {success.high[-1, -1]:.1%}]"
)
z_seeds, p_seeds = trend_test(
    torch.stack([large_won[0], won[-1]]), torch.tensor([0.0, 1.0])
)
print(
    f"0.1 here (seeds 1 to 50) against 0.1 in the main sweep: "
    f"{int(wins[0])} and {main_wins} of 50, "
    f"z = {z_seeds:+.2f}, p = {p_seeds:.2f}"
)

# %% tags=["solution", "checks"]
# rates 0.1, 0.3, 1: overlapping intervals; and at 0.1 with the main sweep's
assert large_success.low[:3].max() < large_success.high[:3].min()
assert large_success.low[0] < success.high[-1, -1]
assert success.low[-1, -1] < large_success.high[0]
# ... and the tests that order them find nothing at the 5 % level
assert p_three > 0.05 and p_pair > 0.05 and p_seeds > 0.05

# %% [markdown] tags=["solution"]
# At 0.1, 0.3 and 1, {{ int(wins[0]) }}, {{ int(wins[1]) }} and
# {{ int(wins[2]) }} of 50 runs succeed. The trend test over these three
# rates gives $z = {{ z_three:+.2f }}$, *p* = {{ p_three:.2f }}, and the
# widest gap, {{ int(wins[1]) }} against {{ int(wins[2]) }} of 50,
# $z = {{ z_pair:+.2f }}$, *p* = {{ p_pair:.2f }}: 50 runs per rate cannot
# order these three rates (which is not to say they are alike). At 0.1 the
# main sweep's seeds {{ first_seed }} to {{ last_seed }} gave
# {{ main_wins }} of {{ sweep.runs }} successes; {{ int(wins[0]) }} against
# {{ main_wins }} gives $z = {{ z_seeds:+.2f }}$, *p* = {{ p_seeds:.2f }}:
# a difference chance alone explains, between two sets of seeds at one rate
# (which does not prove the two shares equal).
#
# **Going further: what the very first step does.** We retrain the same
# starts (run $i$, from 0, from seed $i + 1$, on the same data) for one epoch
# only. Per rate, among the runs whose unit starts active on 10 % of the
# points or more, we count those the first step leaves active on fewer than
# 10 %, and then, separately for the runs it did and did not leave so, how
# many end the 1000 epochs failed with the unit dead or nearly ("stuck").

# %% tags=["solution"]
one_step = train_many(
    [2, 1, 1],
    x,
    labels,
    seeds=list(range(1, 5 * large.runs + 1)),
    learning_rates=large.learning_rates.repeat_interleave(large.runs),
    epochs=1,
)
after_one = one_step.end.active_fractions[0][:, 0].view(5, -1)
start_on = large.active_start >= 0.1  # (5 rates, 50 runs)
pushed = start_on & (after_one < 0.1)  # left on < 10 % by the first step
kept = start_on & ~pushed  # still on 10 % or more after it
pushed_stuck, kept_stuck = pushed & large_stuck, kept & large_stuck
push_share, stay_share, kept_stay = {}, {}, {}  # rate index -> Wilson
for k, rate in enumerate(large.learning_rates.tolist()):
    n_on, n_pushed = int(start_on[k].sum()), int(pushed[k].sum())
    n_stuck = int(pushed_stuck[k].sum())  # left on few by step 1, stuck
    push_share[k] = wilson_interval(pushed[k].sum(), n_on)
    kept_stay[k] = wilson_interval(kept_stuck[k].sum(), n_on - n_pushed)
    line = (
        f"rate {rate:4.1f}: {n_on} start on 10 % or more; the first step "
        f"leaves {n_pushed:2d} on fewer, {push_share[k].rate:5.1%} "
        f"[{push_share[k].low:.1%}, {push_share[k].high:.1%}]"
    )
    if n_pushed > 0:
        stay_share[k] = wilson_interval(pushed_stuck[k].sum(), n_pushed)
        line += (
            f"; of these, {n_stuck:2d} end stuck ({n_pushed - n_stuck} do "
            f"not), {stay_share[k].rate:.1%} "
            f"[{stay_share[k].low:.1%}, {stay_share[k].high:.1%}]"
        )
    line += (
        f"; of the other {n_on - n_pushed}, "
        f"{int(kept_stuck[k].sum())} end stuck, "
        f"{kept_stay[k].rate:.1%} "
        f"[{kept_stay[k].low:.1%}, {kept_stay[k].high:.1%}]"
    )
    print(line)
push_1, push_10 = push_share[2], push_share[4]
stay_1, stay_10 = stay_share[2], stay_share[4]
kept_1, kept_10 = kept_stay[2], kept_stay[4]

# %% tags=["solution", "checks"]
# the one-epoch retraining starts from the sweep's starts (float32 rounding)
assert torch.allclose(
    one_step.start.active_fractions[0][:, 0].view(5, -1), large.active_start
)
# the first step at 10 leaves more units on few points than at 0.1
assert pushed[-1].sum() > pushed[0].sum() + 5
# at 10 nearly every start-active run ends stuck, left so by step 1 or not
assert stay_10.rate > 0.8 and kept_10.rate > 0.8
# at 1, fewer than half of either group end stuck
assert stay_1.rate < 0.5 and kept_1.rate < 0.5

# %% [markdown] tags=["solution"]
# At 10 the first step leaves the unit active on fewer than 10 % of the
# points in {{ int(pushed[4].sum()) }} of the {{ push_10.runs }} runs where
# it started on 10 % or more, {{ push_10.rate:.1% }}
# [{{ push_10.low:.1% }}, {{ push_10.high:.1% }}], and
# {{ int(pushed_stuck[4].sum()) }} of those end stuck,
# {{ stay_10.rate:.1% }} [{{ stay_10.low:.1% }}, {{ stay_10.high:.1% }}].
# But so do {{ int(kept_stuck[4].sum()) }} of the
# {{ kept_10.runs }} runs it did not leave so, {{ kept_10.rate:.1% }}
# [{{ kept_10.low:.1% }}, {{ kept_10.high:.1% }}]: at 10 the first step is
# not what decides a stuck ending; later steps get there too. At 1 the first
# step leaves the unit on fewer than 10 % in {{ int(pushed[2].sum()) }} of
# {{ push_1.runs }} runs, {{ push_1.rate:.1% }}
# [{{ push_1.low:.1% }}, {{ push_1.high:.1% }}], but
# {{ int(pushed[2].sum()) - int(pushed_stuck[2].sum()) }} of those
# {{ int(pushed[2].sum()) }} do not end stuck (stuck:
# {{ stay_1.rate:.1% }} [{{ stay_1.low:.1% }}, {{ stay_1.high:.1% }}]; among
# the others, {{ kept_1.rate:.1% }} [{{ kept_1.low:.1% }}, {{ kept_1.high:.1% }}]).
#
# **Going further: why a dead unit's loss stays bounded.** With the unit
# exactly dead, $h = 0$ on every point, and only $c$ moves (the Questions
# checked the zero gradients). Every point gets the same probability
# $p = \sigma(c)$, and for two equal classes the cost is
# $C(c) = -\tfrac12 \ln \sigma(c) - \tfrac12 \ln(1 - \sigma(c))$. With
# $\sigma(c) = 1/(1 + e^{-c})$,
#
# $$
# \ln \sigma(c) = -\ln(1 + e^{-c}), \qquad
# \ln(1 - \sigma(c)) = \ln \frac{e^{-c}}{1 + e^{-c}} = -c - \ln(1 + e^{-c}),
# $$
#
# so $C(c) = \ln(1 + e^{-c}) + \tfrac{c}{2}$, and since
# $\ln(1 + e^{-c}) = \ln\big(e^{-c}(e^{c} + 1)\big) = \ln(1 + e^{c}) - c$,
#
# $$
# C(c) = \ln(1 + e^{c}) - \frac{c}{2}, \qquad
# C'(c) = \frac{e^{c}}{1 + e^{c}} - \frac12 = \sigma(c) - \frac12, \qquad
# C''(c) = \sigma(c)\,(1 - \sigma(c)),
# $$
#
# the last by the derivative of the sigmoid
# ([page 5](../05_backpropagation/)). $C$ is not a parabola, but its
# curvature is bounded: $C''(c) = \sigma(1 - \sigma) \le \tfrac14$ for every
# $c$ ([page 3](../03_forward_pass/#three-activation-functions-and-their-derivatives)
# shows $p(1 - p) \le \tfrac14$), with equality at $c = 0$. The
# parabola's rule carries over. Since $C'(0) = 0$, the mean value theorem
# gives $C'(c_t) = C'(c_t) - C'(0) = C''(\xi)\,c_t$ for some $\xi$ between
# 0 and $c_t$, so a step is $c_{t+1} = (1 - \eta\, C''(\xi))\, c_t$, and
# with $0 < C''(\xi) \le \tfrac14$ the factor lies between $1 - \eta/4$
# and 1. For $\eta < 8$ (that is $2/L$ with $L = \tfrac14$) its size is below 1,
# and $|c|$ shrinks at every step. Above 8 it cannot: near the minimum $c = 0$ one step multiplies $c$ by
# about $1 - \eta/4$, whose size exceeds 1, so $c = 0$ repels $c$ as
# $\eta > 1$ repels $x$ on $x^2$. And yet it cannot blow up either. A step
# is $c_{t+1} = c_t - \eta\,(\sigma(c_t) - \tfrac12)$, and the gradient
# $\sigma(c) - \tfrac12$ has the sign of $c$ and lies between $-\tfrac12$
# and $\tfrac12$. So each step moves $c$ towards 0, by less than $\eta/2$:
# either it stops short of 0, and $|c|$ shrinks, or it passes 0 and lands
# less than $\eta/2$ beyond. Either way
# $|c_{t+1}| \le \max(|c_t|, \eta/2)$, so $|c|$ never exceeds the larger of
# its start and $\eta/2$, and the loss stays finite. We run that descent on
# $c$ alone at $\eta = 7.9$ and 10 and compare with the dead runs at 10. The
# argument covers only exactly dead units; for the nearly dead ones, whose
# few active points still move every parameter, the page derives nothing
# and only reports their final losses and logits.


# %% tags=["solution"]
def dead_unit_cost(c):
    """The cost when h = 0 on every point: ln(1 + e^c) - c/2."""
    return torch.log(1 + torch.exp(c)) - c / 2


dead_10 = large.active[-1][-1] == 0  # runs at rate 10 whose unit is dead
weak_10 = large_stuck[-1] & ~dead_10  # failed at 10, unit nearly dead
# largest_logit: a run's largest |z_out| over the 200 points at epoch 1000;
# largest_wrong_logit: the same over the points it misclassifies only
for name, group in (("exactly dead", dead_10), ("nearly dead", weak_10)):
    wrong_logit = large.largest_wrong_logit[-1][-1][group].max()
    print(
        f"rate 10, unit {name}: {int(group.sum())} runs, final loss "
        f"{large.final_loss[-1][group].min():.3f} to "
        f"{large.final_loss[-1][group].max():.3f}, largest |logit| "
        f"{large.largest_logit[-1][-1][group].max():.1f}, on a "
        f"misclassified point {wrong_logit:.2f}"
    )
weak_logit = large.largest_logit[-1][-1][weak_10].max()
print(
    f"one misclassified point at |logit| {weak_logit:.1f} would add about "
    f"{weak_logit / len(x):.0f} to the mean loss over {len(x)} points"
)
grid_c = torch.arange(-1000, 1001, dtype=torch.float64) / 100  # -10 to 10
curvature = torch.sigmoid(grid_c) * (1 - torch.sigmoid(grid_c))  # C''(c)
print(
    f"largest C''(c) for c from -10 to 10: {curvature.max():.4f}, at "
    f"c = {grid_c[curvature.argmax()]:.2f}"
)
final_c = {}  # η -> c after 1000 steps of gradient descent on c alone
for eta in (7.9, 10):
    c = torch.tensor(0.1, dtype=torch.float64)
    for _ in range(1000):
        c = c - eta * (torch.sigmoid(c) - 0.5)
    final_c[eta] = c
print(f"c alone at η = 7.9, after 1000 steps: |c| = {final_c[7.9].abs():.1e}")
c = final_c[10]
c_loss = dead_unit_cost(c)
print(
    f"c alone at η = 10, after 1000 steps: c = {c:+.3f}, one step later "
    f"{c - 10 * (torch.sigmoid(c) - 0.5):+.3f}; loss {c_loss:.3f} "
    f"(ln 2 = {math.log(2):.3f})"
)

# %% tags=["solution", "checks"]
# the formula is the binary cross-entropy of a constant logit c on the
# qwerties' two equal classes (float32 rounding: 1e-6)
for value in (-2.0, 0.0, 1.5):
    constant = torch.full_like(labels, value)
    bce = F.binary_cross_entropy_with_logits(constant, labels)
    assert abs(bce - dead_unit_cost(torch.tensor(value))) < 1e-6
assert curvature.max() == 0.25  # σ(0) = 1/2 exactly, so C''(0) = 1/4
assert final_c[7.9].abs() < 1e-6  # below 8, c settles at 0
# dead units at 10: c bounces between ±c*, the loss is that of c*, above ln 2
# (tolerance 0.01: the runs' c start elsewhere and are float32)
assert (large.final_loss[-1][dead_10] - c_loss).abs().max() < 0.01
assert c_loss > math.log(2) + 0.2

# %% [markdown] tags=["solution"]
# At $\eta = 7.9$, 1000 steps from $c = 0.1$ leave $|c|$ at
# {{ final_c[7.9].abs():.1e }}: $c$ settles at 0, as derived.
# At 10 the {{ int(dead_10.sum()) }} runs whose unit ended exactly dead end
# at a loss of {{ large.final_loss[-1][dead_10].max():.3f }}, not at
# $\ln 2$: $c$ alone, descended at $\eta = 10$, bounces for ever between
# {{ c:+.3f }} and {{ -c:+.3f }}, at a loss of {{ c_loss:.3f }}. The
# {{ int(weak_10.sum()) }} runs at 10 whose unit ended nearly dead, which the
# argument does not cover, end at losses from
# {{ large.final_loss[-1][weak_10].min():.3f }} to
# {{ large.final_loss[-1][weak_10].max():.3f }}, though their largest
# logit (the largest $|z_{\text{out}}|$ over the {{ len(x) }} training
# points at epoch 1000) reaches {{ weak_logit:.1f }}. Such logits sit on
# points the runs classify right: on a misclassified point, none is larger
# than about {{ large.largest_wrong_logit[-1][-1][weak_10].max():.2f }} in
# size. A misclassified point with a logit $z$ costs
# $\ln(1 + e^{|z|}) \approx |z|$: at {{ weak_logit:.1f }} it would add some
# {{ weak_logit / len(x):.0f }} to the mean loss. Some
# of their parameters grow large, yet no loss becomes infinite within 1000
# epochs (why, the page does not derive).

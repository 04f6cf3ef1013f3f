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
#
# The learning rate $\eta$ is the size of every gradient step, the one knob that
# every training loop has. Too large, and the steps overshoot the minimum: they
# bounce around it or fly away from it. Too small, and they crawl. This page first
# watches both on the simplest cost there is, $f(x) = x^2$, where every step can be
# computed by hand. Then it repeats the lecture's experiment on the qwerties
# classifier of page 8 (40 learning rates, 1000 epochs each), but with 50 runs per
# rate instead of one, so that it measures the *probability* that a run succeeds
# rather than one run's luck. And it answers the question the lecture left as "very
# difficult to say": why a run comes out either very good or very poor. One number
# per run, measured, tells the two apart.
#
# ## The idea
#
# Gradient descent on $f(x) = x^2$, whose derivative is $f'(x) = 2x$, takes the step
#
# $$
# x_{t+1} = x_t - \eta\, f'(x_t) = x_t - 2\eta\, x_t = (1 - 2\eta)\, x_t ,
# \qquad\text{so}\qquad x_t = (1 - 2\eta)^t\, x_0 .
# $$
#
# Every step multiplies $x$ by the same factor $1 - 2\eta$, and its size decides
# everything:
#
# - $0 < \eta < \tfrac12$: the factor is between 0 and 1; $x$ shrinks towards the
#   minimum at 0 from one side, slowly when $\eta$ is small (the factor is close
#   to 1);
# - $\eta = \tfrac12$: the factor is 0; the first step lands exactly on the minimum;
# - $\tfrac12 < \eta < 1$: the factor is between −1 and 0; each step overshoots to
#   the other side, but by less, so $x$ still converges, zigzagging;
# - $\eta = 1$: the factor is −1; $x$ bounces between $x_0$ and $-x_0$ forever
#   (the lecture's ±0.75);
# - $\eta > 1$: $|1 - 2\eta| > 1$; every step lands farther out: divergence.
#
# So gradient descent on $x^2$ converges exactly for $0 < \eta < 1$. The bound comes
# from the curvature: near its minimum any smooth cost looks like a parabola
# $\tfrac12 L x^2$, with $L = f''$ its second derivative, the step factor is
# $1 - \eta L$, and descent is stable for $0 < \eta < 2/L$. For $x^2$, $L = 2$.

# %% [markdown]
# ## Gradient descent on a parabola
#
# `descend` runs plain gradient descent on a function of one number with PyTorch's
# own `torch.optim.SGD`, the optimizer that trains the networks below, and returns
# the iterates $x_0, x_1, \dots$. We start at the lecture's $x_0 = 0.75$ and check
# every iterate against the formula $(1 - 2\eta)^t x_0$.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize

from annlab.data import qwerties
from annlab.many_runs.experiments import learning_rate_sweep
from annlab.many_runs.statistics import wilson_interval
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
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
        path.append(x.item())
    return torch.tensor(path, dtype=torch.float64)


def parabola(x):
    return x**2


etas = [0.01, 0.1, 0.5, 0.9, 1.0, 1.1]
paths = {eta: descend(parabola, eta) for eta in etas}
t = torch.arange(21)
for eta, path in paths.items():
    factor = torch.tensor(1 - 2 * eta, dtype=torch.float64)
    assert torch.allclose(path, factor**t * 0.75, rtol=1e-12)
    print(
        f"η = {eta:4}: x_1 = {path[1]:+.4f}, x_2 = {path[2]:+.4f}, "
        f"x_20 = {path[20]:+.4g}"
    )

assert (paths[0.5][1:] == 0).all()  # one step, and it stays there
assert (paths[1.0] == 0.75 * (-1.0) ** t).all()  # ±0.75 for ever
assert torch.allclose(paths[0.1].abs(), paths[0.9].abs(), rtol=1e-12)
assert paths[1.1].abs()[-1] > 10  # diverging
growth = abs(paths[1.1][-1] / paths[1.1][-2])  # distance factor per step

# %% [markdown]
# All five regimes show, exactly as the formula says: $\eta = \tfrac12$ lands on
# 0 in one step, $\eta = 1$ alternates between $+0.75$ and $-0.75$, and
# $\eta = 1.1$ multiplies the distance by {{ growth:.1f }} per step. One
# surprise in the assertions: $\eta = 0.1$ and $\eta = 0.9$ approach the minimum
# at the same speed, since $|1 - 2 \cdot 0.1| = |1 - 2 \cdot 0.9| = 0.8$; the
# larger rate only zigzags. A larger learning rate is not always faster.
#
# The lecture's "slow learning" panel runs 50 steps at $\eta = 0.01$. It is slow
# indeed: each step removes 2 % of the distance, so shrinking it a hundredfold
# takes $\ln 100 / (-\ln 0.98)$ steps.

# %%
slow = descend(parabola, 0.01, steps=50)
print(f"after 50 steps at η = 0.01: x = {slow[-1]:.3f} (from 0.75)")
print(
    "steps to shrink x a hundredfold at η = 0.01:",
    math.ceil(math.log(100) / -math.log(0.98)),
)
assert 0.25 < slow[-1] < 0.3

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
ax_path.set(xlabel="x", ylabel="f(x)", title="six steps from x₀ = 0.75")
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
    title="|1 − 2η| per step (η = ½: 0 after one step)",
)
ax_log.legend(ncols=2)
plt.show()

# %% [markdown]
# A network's cost is not a parabola, and it has many weights instead of one
# number, but near a minimum it curves like one in every direction. So the same
# two dangers exist for networks: a rate too large for the steepest direction
# makes the weights bounce or blow up, and a rate too small leaves them crawling.
# Which of the two threatens the lecture's experiment is the next question.
#
# ## The sweep: 40 learning rates, 50 runs each
#
# The lecture trains the 2-1-1 classifier of page 8 (two inputs, one hidden ReLU
# unit, one output) on the qwerties once for each of 40 learning rates from 0.001
# to 0.1, 1000 epochs of full-batch SGD each, and plots the accuracy against the
# rate. (We train from logits with binary cross-entropy, which page 8 showed to
# be the same training as the notes' sigmoid and `BCELoss`.) But one run per
# rate measures the luck of one random start: page 8 showed that the same
# network, trained the same way, succeeds from one seed and fails from another. So we train **50 runs per rate**, each from its own seed, 2000
# networks in all, on one data set drawn by
# `qwerties`.
# `learning_rate_sweep`
# trains all of them at once, as one batch of tensors, and returns a
# [`ClassifierRuns`](../../api/many_runs/experiments/#annlab.many_runs.experiments.ClassifierRuns):
# arrays of shape (rates, runs) with each run's final loss, and with each run's
# accuracy and hidden-unit activity after training. Run $i$ (counting over all
# rates, 50 per rate) starts from the weights of seed $i + 1$.

# %%
x, labels = qwerties(centres=((1, 1), (5, 1)), n_per_cluster=100, seed=0)
rates = torch.linspace(0.001, 0.1, 40)
sweep = learning_rate_sweep(rates, runs=50, epochs=1000, seed=0)

final_accuracy = sweep.accuracy[-1]  # (rates, runs), after 1000 epochs
n_runs = final_accuracy.numel()
print(
    f"{n_runs} runs ({sweep.runs} per learning rate), "
    f"{int(sweep.diverged.sum())} diverged"
)
poor = (final_accuracy < 0.6).sum()
middling = ((final_accuracy >= 0.6) & (final_accuracy < 0.9)).sum()
good = (final_accuracy >= 0.9).sum()
print(
    f"runs by final accuracy: below 60 %: {poor}, 60 to 90 %: "
    f"{middling}, 90 % or more: {good}"
)
print(f"best accuracy of any run: {final_accuracy.max():.1%}")
assert n_runs == 2000 and not sweep.diverged.any()
assert poor > 5 * middling and good > 5 * middling

# %% [markdown]
# No run diverged: the whole range of the lecture lies on the safe side of "too
# large". And the accuracies split in two: most runs ({{ good }} of {{ n_runs }})
# end at 90 % or more, many ({{ poor }}) end below 60 %, and few ({{ middling }})
# land in between. So we call a run a **success** when its
# accuracy reaches 90 %, and count. `sweep.success_rate(0.9)` gives, for each rate,
# the fraction of the 50 runs that succeeded with its 95 % Wilson interval: the
# range of success probabilities that 50 runs cannot rule out.

# %%
success = sweep.success_rate(0.9)
print(f"{'rate':>7} {'succeeded':>10} {'95% interval':>15}")
for k in range(0, 40, 6):
    wins = round(success.rate[0, k].item() * sweep.runs)
    print(
        f"{rates[k]:7.4f} {wins:5d} "
        f"of {sweep.runs} {success.low[0, k]:7.2f} – "
        f"{success.high[0, k]:.2f}"
    )
overall = sweep.success_rate(0.9, per_rate=False)
print(
    f"all rates pooled: {overall.rate[0]:.1%} of {overall.runs} runs "
    f"succeeded ({overall.low[0]:.1%} – {overall.high[0]:.1%})"
)
low_rates = success.rate[0, :3].mean()
high_rates = success.rate[0, 20:].mean()
print(
    f"mean success at the 3 smallest rates: {low_rates:.0%}, "
    f"at the 20 largest: {high_rates:.0%}"
)
assert success.rate[0, 0] < 0.3 and low_rates < 0.4
assert 0.65 < high_rates < 0.85  # about one run in four fails
assert 0.25 < 1 - overall.rate[0] < 0.45

# %% [markdown]
# `plot_success_rate`
# draws the whole curve: the line is the fraction of the 50 runs that succeeded,
# the band its 95 % interval.

# %% alt="The fraction of runs with accuracy of at least 90 %, against the learning rate from 0.001 to 0.1, with a shaded 95 % band. It starts low, {{ success.rate[0, 0]:.2f }} at 0.001, climbs steeply over the first few rates, then more slowly, and levels off over the 20 largest rates, wandering between {{ plateau.min():.2f }} and {{ plateau.max():.2f }} ({{ high_rates:.2f }} on average); there the band is about ±{{ half_band:.2f }} wide. It never reaches 1."
plateau = success.rate[0, 20:]  # the 20 largest rates
half_band = (success.high - success.low)[0, 20:].mean() / 2
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
plot_success_rate(sweep, threshold=0.9, ax=ax, label="2-1-1")
plt.show()

# %% [markdown]
# Two things stand out. The small rates fail most of the time (at the 3
# smallest, {{ 100 * (1 - low_rates):.0f }} % of the runs fail), which fits "too
# small crawls", as on the parabola. But even at the 20 largest rates, where the
# curve levels off, {{ 100 * (1 - high_rates):.0f }} % of the runs fail, and
# more epochs or a larger rate within the lecture's range do not remove that
# floor. These are two different kinds of failure; the Questions below take them
# apart.
#
# **The lecture's loss figure, with its axes the right way round.** The notes plot
# one loss curve per learning rate and label the horizontal axis "Loss" and the
# vertical axis "Epochs": it is the other way round. We redraw it from the first run
# of each rate, retrained with
# `train_many`, the
# many-run trainer inside the sweep, which also records every epoch's loss. These are the
# same 40 runs as in the sweep: same seeds, same final losses (asserted).

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
assert torch.allclose(first_runs.final_loss, sweep.final_loss[:, 0], atol=1e-5)
stuck_curves = first_runs.final_loss > 0.69
print(
    f"{int(stuck_curves.sum())} of these 40 runs end with a loss above "
    f"0.69 (ln 2 = {math.log(2):.4f})"
)

# %% alt="Forty loss curves, one per learning rate, coloured from blue (0.001) to orange (0.1): binary cross-entropy loss against the epoch, 0 to 1000. They start between about {{ initial_loss.min():.1f }} and {{ initial_loss.max():.1f }}. Most curves of the larger rates fall fast: at epoch 1000, the median loss of the 20 largest rates is {{ first_runs.final_loss[20:].median():.2f }}. The smallest rates fall slowly and are still high at epoch 1000. {{ int(stuck_curves.sum()) }} curves, of rates across the range, end flat on the dotted line at ln 2 ≈ 0.69, the loss of predicting ½ for every point."
initial_loss = first_runs.loss_history[:, 0]  # at epoch 0, one per rate
fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
norm = Normalize(rates.min().item(), rates.max().item())
# two mid-toned palette colours: both ends read on light and dark pages
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

# %% [markdown]
# Some curves ({{ int(stuck_curves.sum()) }} of {{ len(rates) }}) stop at
# $\ln 2$, whatever their rate. That is the loss of a network
# that has given up on the inputs: it predicts the same probability, ½, for every
# point. The Questions find out why.
#
# ## Questions
#
# **"Why is the model either behaving very good or very poor?"** The notes answer
# "It's really very difficult to say" and guess: the model might not be complex
# enough, or the problem is linear and the model is not, or training is stuck in a
# local minimum that cannot be seen in the many dimensions of the weights. We do not
# need to see the loss surface. Page 8 showed how one run failed: its hidden
# ReLU unit ended *dead*, with a negative weighted sum on every point, so it
# output 0 everywhere and no gradient could flow back through it. The sweep
# records, for every run, the fraction of the {{ len(x) }} points on which the
# hidden unit is active, before training (`active_start`) and after (`active`).
# Here is what it says about the failures.

# %%
start = sweep.active_start  # (rates, runs)
end = sweep.active[-1]
failed = final_accuracy < 0.9
dead = end == 0
nearly_dead = end < 0.1  # active on fewer than 20 of the 200 points
print(f"failed runs: {int(failed.sum())} of {n_runs}")
print(f"  unit active on no point at the end:        {int(dead.sum())}")
print(
    f"  ... on fewer than 10 % of the points:      "
    f"{int((failed & nearly_dead).sum())}"
)
print(
    f"  ... on 10 % or more (alive, not converged): "
    f"{int((failed & ~nearly_dead).sum())}"
)
print(
    "accuracy of every run whose unit died:",
    final_accuracy[dead].unique().tolist(),
)
print(f"dead runs' final loss: at least {sweep.final_loss[dead].min():.4f}")
print(
    f"successful runs: unit active on {end[~failed].min():.0%} to "
    f"{end[~failed].max():.0%} of the points"
)
assert (failed[dead]).all() and (final_accuracy[dead] == 0.5).all()
assert (sweep.final_loss[dead] > math.log(2) - 1e-4).all()
assert end[~failed].min() > 0.4
assert (failed & nearly_dead).sum() > 0.7 * failed.sum()

# %% [markdown]
# The two groups do not overlap. Every successful run ends with its unit active
# on at least {{ 100 * end[~failed].min():.0f }} % of the points (the unit must
# be on over one whole cluster, and past the boundary, to place it). Most failed
# runs ({{ int((failed & nearly_dead).sum()) }} of {{ int(failed.sum()) }}) end
# with the unit active on fewer than 10 % of the points: dead, or nearly so,
# with almost no gradient left to learn from. A dead unit leaves the network
# only its output bias $c$; the best constant for two equal classes is the
# probability ½, which costs $\ln 2$ per point and is right on exactly half of
# them: the "very poor" runs. The figure, by
# `plot_active_fractions`,
# shows every run's activity at the start against the end.

# %% alt="A scatter plot of the {{ n_runs }} runs: the fraction of points where the hidden unit is active at the start (horizontal, 0 to 1) against after 1000 epochs (vertical). Successful runs, blue circles, form a horizontal band: from the 10 % to the 90 % quantile, they end between {{ success_end[0]:.2f }} and {{ success_end[1]:.2f }}, with a few up to {{ end[~failed].max():.2f }}, from every starting value. Failed runs, orange-red crosses, lie mostly along the bottom edge, at an end activity near 0, and are densest at the left, among runs that started with the unit active on few points; a thinner scatter of failed runs sits higher up, with a cluster at the top right whose unit started and stayed active on nearly every point."
success_end = end[~failed].quantile(torch.tensor([0.1, 0.9]))
fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
plot_active_fractions(sweep, threshold=0.9, ax=ax)
ax.set_title(f"{n_runs} runs, all 40 learning rates")
plt.show()

# %% [markdown]
# The start matters. A unit that begins active on few points has little gradient
# from the beginning and a good chance to be pushed off the rest; some units start
# on no point at all and are dead before the first step. Counted:

# %%
starts = {
    "on no point": start == 0,
    "on fewer than 10 %": start < 0.1,
    "on 50 % or more": start >= 0.5,
}
for name, group in starts.items():
    print(
        f"unit active {name + ' at the start:':32s} "
        f"{int(group.sum()):4d} runs, "
        f"{failed[group].float().mean():4.0%} of them failed"
    )
assert failed[start == 0].all()
assert failed[start < 0.1].float().mean() > 0.5
assert failed[start >= 0.5].float().mean() < 0.3

# %% [markdown]
# So the initial weights decide much of it. A run whose unit starts dead never
# recovers (no gradient reaches its weights, as the last question checks), and
# of the runs that start with the unit on fewer than 10 % of the points,
# {{ 100 * failed[start < 0.1].float().mean():.0f }} % fail.
#
# **Two kinds of failure.** The runs with the unit still active on 10 % or more of
# the points and an accuracy below 90 % fail differently: they have gradient to
# learn from, they just have not got there yet. Counting both kinds at each rate,
# with Wilson intervals from
# `wilson_interval`:

# %%
kinds = {
    "failed, unit active on < 10 % (dead or nearly)": (
        failed & nearly_dead,
        COLORS["vermillion"],
        "x",
    ),
    "failed, unit alive (≥ 10 %), not converged": (
        failed & ~nearly_dead,
        COLORS["blue"],
        "o",
    ),
}
counts = {name: group.sum(1) for name, (group, _, _) in kinds.items()}
stuck, alive = counts.values()
print(
    f"at the 3 smallest rates: {int(stuck[:3].sum())} dead or nearly, "
    f"{int(alive[:3].sum())} alive but not converged (of 150 runs)"
)
print(
    f"at the 20 largest rates: {int(stuck[20:].sum())} dead or nearly, "
    f"{int(alive[20:].sum())} alive but not converged (of 1000 runs)"
)
assert alive[:3].sum() > stuck[:3].sum()
assert alive[20:].sum() < 0.2 * stuck[20:].sum()
per_half = 20 * sweep.runs
halves = [stuck[:20].sum() / per_half, stuck[20:].sum() / per_half]
print(
    "dead or nearly, share of runs: at the 20 smallest rates "
    f"{halves[0]:.0%}, at the 20 largest {halves[1]:.0%}"
)
assert all(0.2 < share < 0.35 for share in halves)

# %% alt="Two curves of the fraction of runs against the learning rate, with 95 % bands. Failed runs whose unit is dead or nearly dead (orange-red crosses) stay roughly level across all rates, between {{ stuck.min() / sweep.runs:.2f }} and {{ stuck.max() / sweep.runs:.2f }}, with no clear trend. Failed runs whose unit is still alive (blue circles) are common at the smallest rates, {{ alive[0] / sweep.runs:.2f }} at 0.001, and fall quickly to near 0: {{ alive[20:].max() / sweep.runs:.2f }} or less at each of the 20 largest rates."
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for name, (group, color, marker) in kinds.items():
    estimate = wilson_interval(group.sum(1), sweep.runs)
    ax.fill_between(rates, estimate.low, estimate.high, color=color, alpha=0.2)
    ax.plot(rates, estimate.rate, color=color, marker=marker, label=name)
ax.set(
    xlabel="learning rate",
    ylabel="fraction of runs",
    title=f"{sweep.runs} runs per rate; band: 95% Wilson interval",
)
ax.set_ylim(0, 1)
ax.legend()
plt.show()

# %% [markdown]
# The (nearly) dead units are a floor at every rate: {{ 100 * halves[0]:.0f }} %
# of the runs at the 20 smallest rates, {{ 100 * halves[1]:.0f }} % at the 20
# largest; they are decided mostly by the start. The alive-but-unconverged runs
# are the slow learners of the parabola: they crowd the smallest rates
# ({{ int(alive[:3].sum()) }} of the {{ 3 * sweep.runs }} runs at the 3
# smallest) and all but vanish at the larger ones ({{ int(alive[20:].sum()) }}
# of the {{ 20 * sweep.runs }} runs at the 20 largest). If that reading is
# right, they should succeed when given more epochs. And "dead or nearly" lumps
# two states together: a unit active on *no* point gets exactly zero gradient
# and cannot come back, but a unit active on a few points still learns from
# them. We test both, at the smallest rate and at two middle ones: 200 starts
# (seeds 1 to 200; the sweep's 50 runs at $\eta = 0.001$ are the first 50),
# each trained with $\eta$ = 0.001, 0.01 and 0.05 for 10 000 epochs, with
# snapshots at 1000, 2000 and 5000. Calling `train_many` directly lets every
# rate start from the same 200 initial weights.

# %%
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
# the first 50 starts at 0.001 are the sweep's runs (to float32 rounding)
assert (acc[0, 0, : sweep.runs] - final_accuracy[0]).abs().max() <= 1 / len(x)

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
dead_count = (act == 0).sum(2)  # (budgets, rates)
print("units exactly dead at epochs", budgets, "per rate:")
for r, rate in enumerate(longer_rates):
    print(f"  η={rate:g}: {dead_count[:, r].tolist()}")
# zero gradient is exactly zero: a dead unit never comes back
assert dead_back.sum() == 0
assert (dead_count.diff(dim=0) >= 0).all()

# %% [markdown]
# Two panels show what changes with the budget. Left: the share of starts that
# fail with the unit still alive, against the *product* of the learning rate and
# the number of epochs. Right: the share whose unit is exactly dead, against the
# epochs.

# %% alt="Two panels, one line per learning rate (0.001, 0.01, 0.05). Left: the share of the 200 starts that fail with the unit alive, against learning rate times epochs on a logarithmic axis; the three lines fall as the product grows and join into one curve: where two rates reach the same product, 0.001 after 10 000 epochs and 0.01 after 1000, their shares are {{ slow_at_10[0]:.3f }} and {{ slow_at_10[1]:.3f }}. Right: the share of starts whose unit is exactly dead, against the epochs, rising at every rate, from {{ dead_share[0, 2]:.2f }} to {{ dead_share[-1, 2]:.2f }} at 0.05."
slow = (acc < 0.9) & (act >= 0.1)  # failed, unit alive
slow_share = slow.float().mean(2)  # (budgets, rates)
dead_share = dead_count / n_starts
slow_at_10 = [slow_share[-1, 0], slow_share[0, 1]]  # η·epochs = 10 twice
fig, (ax_slow, ax_dead) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
line_colors = [COLORS["blue"], COLORS["green"], COLORS["orange"]]
for r, (rate, color) in enumerate(zip(longer_rates, line_colors, strict=True)):
    products = [rate * epochs for epochs in budgets]
    ax_slow.plot(
        products,
        slow_share[:, r],
        color=color,
        marker="o",
        label=f"η = {rate:g}",
    )
    ax_dead.plot(
        budgets,
        dead_share[:, r],
        color=color,
        marker="x",
        label=f"η = {rate:g}",
    )
ax_slow.set(
    xscale="log",
    xlabel="learning rate × epochs",
    ylabel="share of starts",
    ylim=(0, 1),
    title="failed with the unit alive",
)
ax_dead.set(
    xscale="log",
    xlabel="epochs",
    ylabel="share of starts",
    ylim=(0, 0.5),
    title="unit exactly dead",
)
ax_slow.legend()
ax_dead.legend()
plt.show()

# %% [markdown]
# The slow runs wait for distance, not for epochs: plotted against the learning
# rate times the number of epochs, the distance travelled down the gradient, the
# three rates draw one curve (where 0.001 after 10 000 epochs meets 0.01 after
# 1000, the shares are {{ slow_at_10[0]:.3f }} and {{ slow_at_10[1]:.3f }}).
# 1000 epochs at 0.001 is a short walk; at 10 000 epochs, most of the
# runs that had failed there with the unit alive succeed
# ({{ int(alive_back[0]) }} of {{ int(alive_runs[0]) }}). The floor splits in
# two. Exactly dead units are permanent: none of the {{ int(dead_runs.sum()) }}
# runs that failed with a dead unit at epoch 1000 succeeded later, at any rate,
# and units keep dying during training (at $\eta = 0.05$,
# {{ int(dead_count[0, 2]) }} dead at epoch 1000, {{ int(dead_count[-1, 2]) }} at
# 10 000). Nearly dead units are not: at the middle rates,
# {{ int(weak_back[1]) }} of {{ int(weak_runs[1]) }} (at 0.01) and
# {{ int(weak_back[2]) }} of {{ int(weak_runs[2]) }} (at 0.05) recover, but only
# {{ int(weak_back[0]) }} of {{ int(weak_runs[0]) }} at 0.001, where 10 000
# epochs are still a short walk for a unit with so little gradient.
#
# So the answer to the notes' question, measured: a run of this network is "very
# poor" when its single hidden unit ends active on no point, or almost none,
# which after 1000 epochs happens in {{ 100 * min(halves):.0f }} to
# {{ 100 * max(halves):.0f }} % of the runs at small and large rates alike,
# decided mostly by the initial weights. An exactly dead unit is final; a nearly
# dead one often recovers with more epochs at a middle rate. A run is also poor
# at the smallest rates when 1000 epochs are too few. The notes' three guesses,
# against the evidence:
#
# - *"The model is not complex enough."* The same network reaches 90 % or more
#   in most runs ({{ good }} of {{ n_runs }}), and up to
#   {{ 100 * final_accuracy.max():.1f }} %, so it can represent a good
#   classifier; what fails is training. More hidden units would change that for
#   another reason: with many units, one dead unit is not the end of learning
#   (page 10 measures it).
# - *"The problem is linear and we used a non-linear model."* A ReLU network can
#   draw a straight boundary (page 8's did). The non-linearity is not the problem;
#   the *single* ReLU unit every signal must pass through is.
# - *"Stuck in a local minimum, in 6 (3 weights + 2 biases) + 1 dimensions."*
#   The arithmetic is off: 3 weights and 2 biases are 5 parameters (asserted
#   below), so the loss is a surface over 5 dimensions. And a dead run is not in a
#   dip of that surface but on a flat plateau: with the unit off on every point,
#   the gradient with respect to every weight is exactly 0, and only the output
#   bias still moves. We check it on the first run of the sweep whose unit started
#   dead, rebuilt from its seed with
#   `one_relu_unit` and measured
#   with `active_fraction`:

# %%
run = int((start.flatten() == 0).nonzero()[0])
model = one_relu_unit(2, seed=1 + run)  # run i starts from seed i + 1
assert sum(p.numel() for p in model.parameters()) == 5
assert active_fraction(model, x)[0].item() == 0
F.binary_cross_entropy_with_logits(model(x), labels).backward()
for name, parameter in model.named_parameters():
    print(f"∂C/∂({name}) = {parameter.grad.flatten().tolist()}")
gradients = [p.grad for p in model.parameters()]
assert all((g == 0).all() for g in gradients[:3])  # w₁, w₂, b₁ and v
assert gradients[3].abs().item() > 0  # only c, the output bias, moves

# %% [markdown]
# Zero, exactly, for the hidden unit's two weights and bias and for the output
# weight $v$ (its input $h$ is 0 on every point). No learning rate and no number of
# epochs can move them. That is why looking at one number per run, the fraction of
# points on which the bottleneck unit is active, says more than any picture of the
# loss surface could.
#
# **Other slips in the lecture.** Its parabola demo names the run at $\eta = 1$
# `diverge_localmins`, but at $\eta = 1$ the iterates do not diverge, they bounce
# (its own plot title says so, and the assertion above pins the ±0.75); divergence
# starts above 1. The iterates are not "local minima" either, just the current
# positions. And its accuracy plot from one run per rate, titled with the maximum
# and minimum over rates, reports 40 draws of luck: the success-rate curve with its
# interval is the measurement.
#
# ## Try it
#
# **Exercise 1.** Gradient descent on $f(x) = 5x^2$. Predict the largest learning
# rate that still converges, then check it with `descend`: run 50 steps just below
# it, at it and just above it.


# %% tags=["solution"]
def steep(x):
    return 5 * x**2


# f'' = 10, so the step factor is 1 - 10η: stable for 0 < η < 2/10 = 0.2.
for eta in (0.19, 0.2, 0.21):
    path = descend(steep, eta, steps=50)
    print(f"η = {eta}: |x_50| = {path[-1].abs():.3g}")
assert descend(steep, 0.19, steps=50)[-1].abs() < 0.01
assert torch.allclose(
    descend(steep, 0.2, steps=50).abs(),
    torch.full((51,), 0.75, dtype=torch.float64),
)
assert descend(steep, 0.21, steps=50)[-1].abs() > 10

# %% [markdown] tags=["solution"]
# The bound is $2/L$ with $L = f'' = 10$: at $\eta = 0.2$ the factor is exactly −1
# and $x$ bounces between ±0.75; just above, it diverges. A steeper cost needs a
# smaller learning rate, which is why the curvature, not the rate alone, decides.

# %% [markdown]
# **Exercise 2.** No run of the sweep diverged. Push the rates past the lecture's
# range: run `learning_rate_sweep` at 0.1, 0.3, 1, 3 and 10, 50 runs each. Do the
# runs diverge like $x^2$ at $\eta > 1$? If not, how do they fail?

# %% tags=["solution"]
large = learning_rate_sweep([0.1, 0.3, 1.0, 3.0, 10.0], runs=50)
large_success = large.success_rate(0.9).rate[0]
large_stuck = (large.accuracy[-1] < 0.9) & (large.active[-1] < 0.1)
for k, rate in enumerate(large.learning_rates):
    print(
        f"rate {rate:5.1f}: success {large_success[k]:.0%}, "
        f"diverged {int(large.diverged[k].sum())}, failed with the unit "
        f"(nearly) dead {large_stuck[k].float().mean():.0%}"
    )
assert not large.diverged.any()
assert large_success[:3].min() > 0.6 and large_success[-1] < 0.2
assert large_stuck[-1].float().mean() > 0.6

# %% [markdown] tags=["solution"]
# No run diverges, even at a rate of 10, a hundred times the lecture's largest.
# Rates up to 1 work about as well as 0.1 (success
# {{ 100 * large_success[0]:.0f }} %, {{ 100 * large_success[1]:.0f }} % and
# {{ 100 * large_success[2]:.0f }} % at 0.1, 0.3 and 1); beyond that, success
# collapses ({{ 100 * large_success[3]:.0f }} % at 3,
# {{ 100 * large_success[4]:.0f }} % at 10), and the failed runs end with the
# hidden unit active on almost no point (at 10, that is
# {{ 100 * large_stuck[-1].float().mean():.0f }} % of the runs). For this
# network "too large" does not show as a loss that runs off to infinity, as on
# the parabola: the big steps throw the single ReLU unit off the data, and it
# dies. The lecture's range, 0.001 to 0.1, lies entirely at the slow end.

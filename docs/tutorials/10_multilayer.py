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

# %% [markdown] tags=["header"]
# **Lecture 49** of the course
# ([the notes' passage](../../notes/#lecture-49)). The notes put a second
# hidden layer of **one** ReLU unit behind sixteen (a 2-16-1-1 network),
# train one network at each of 40 learning rates on two clouds of points, and
# observe that the same settings sometimes work and sometimes fail, less often
# with more epochs. They ask why some learning rates work and others do not.
#
# After this page you can:
#
# - read a network's layers from `print(model)` and count its parameters;
# - measure how often a training fails over many runs, with an interval;
# - explain how a one-unit layer, a *bottleneck*, can stop a whole network
#   from learning, and what a wider layer buys instead.

# %% [markdown]
# ## The idea
#
# A multilayer network feeds the outputs of one
# [layer](../../glossary/#layer) into the next. Write $x \in \mathbb{R}^2$
# for a point. The notes' 2-16-1-1 network computes, layer by layer,
#
# $$
# h = \max(0,\; W x + b) \in \mathbb{R}^{16}, \qquad
# s = u^\top h + c, \qquad
# g = \max(0,\; s), \qquad
# z = v\,g + d ,
# $$
#
# with $W$ a $16 \times 2$ matrix, $b, u \in \mathbb{R}^{16}$ and $c, v, d$
# single numbers; $\max(0, \cdot)$ is the [ReLU](../../glossary/#relu),
# applied to each entry, $Wx$ a
# [matrix product](../../glossary/#matrix-product), and
# $u^\top h = \sum_j u_j h_j$ uses the
# [transpose](../../glossary/#transpose) of $u$. $z$ is the
# [logit](../../glossary/#logit) and $\hat y = \sigma(z)$ the predicted
# probability of class 1, trained with
# binary cross-entropy ([page 8](../08_qwerties/)). The unit $g$ is the
# **bottleneck**: everything the sixteen hidden units know must pass through
# this one number. The 2-16-1 network stops one step earlier: its logit is
# $z = s$.
#
# **Why one unit can block everything.** Take one point $i$ and its loss
# $L_i$. Page 8 shows that the [gradient](../../glossary/#gradient) of
# binary cross-entropy with respect
# to the logit is $\partial L_i / \partial z_i = \hat y_i - y_i$; call it
# $\delta_i$. The chain rule ([page 5](../05_backpropagation/)) then walks
# back one layer at a time. Since $z = v g + d$,
#
# $$
# \frac{\partial L_i}{\partial d} = \delta_i, \qquad
# \frac{\partial L_i}{\partial v} = \delta_i\, g_i, \qquad
# \frac{\partial L_i}{\partial g_i} = \delta_i\, v .
# $$
#
# The ReLU's slope is 1 where its input is positive and 0 elsewhere
# ([page 3](../03_forward_pass/)), so
# $\partial g_i / \partial s_i = \mathbb{1}[s_i > 0]$ (1 if $s_i > 0$, else
# 0), and one more step through $s = u^\top h + c$ gives
#
# $$
# \frac{\partial L_i}{\partial s_i} = \delta_i\, v\, \mathbb{1}[s_i > 0],
# \qquad
# \frac{\partial L_i}{\partial u} = \delta_i\, v\, \mathbb{1}[s_i > 0]\, h_i,
# \qquad
# \frac{\partial L_i}{\partial c} = \delta_i\, v\, \mathbb{1}[s_i > 0] .
# $$
#
# The gradients of $W$ and $b$ go on from $\partial L_i / \partial s_i$
# through $h$, so they carry the same factor $\mathbb{1}[s_i > 0]$. The cost
# $C$ is the mean of the $L_i$, and its gradients are the means of these.
#
# Now suppose $s_i \le 0$ on **every** training point. Then every
# $\mathbb{1}[s_i > 0]$ is 0 and every $g_i = 0$: every gradient except
# $\partial C / \partial d$ is exactly zero. Only $d$ moves, every point gets
# the same logit, and nothing can switch the unit back on, because $s$
# depends only on parameters that no longer move. The unit is
# [dead](../../glossary/#dead-unit), and the run is lost at any number of
# epochs: with two classes of 100 points, it is right on exactly half.
#
# Without the bottleneck the logit is $z = s$, so
# $\partial L_i / \partial h_i = \delta_i\, u$: the gradient reaches $W$ and
# $b$ through each of the sixteen hidden units separately. A dead hidden unit
# silences only its own path, and the network is stuck only if all sixteen
# die together.

# %% [markdown]
# ## The data and the two networks
#
# `qwerties` draws the lecture's two clouds of 100 points, around $(1, 1)$
# and $(1, 5)$, and `plot_points` draws them.

# %%
import math
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from annlab.data import qwerties
from annlab.many_runs.experiments import multilayer_comparison
from annlab.many_runs.statistics import trend_test, wilson_interval
from annlab.many_runs.trainer import train_many
from annlab.metrics import accuracy, active_fraction
from annlab.models import mlp
from annlab.plots.diagrams import draw_network
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

# %% alt="Scatter plot of {{ len(x) }} points: blue circles of class 0 in a round cloud around (1, 1) and orange squares of class 1 in a cloud around (1, 5), one above the other; the clouds meet around x₂ = 3 with a few points mixed."
fig, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
plot_points(x, labels, ax=ax, feature_names=("x₁", "x₂"))
ax.set_title("the qwerties of lecture 49")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** The {{ len(x) }} training points: class 0 around $(1, 1)$,
# class 1 around $(1, 5)$. A horizontal line near $x_2 = 3$ separates most of
# them.

# %% [markdown]
# `mlp` builds a network from its layer sizes and returns a PyTorch
# `nn.Sequential`, the same kind of `nn.Module` the notes write by hand.
# Printing it lists its layers in order:

# %%
net_2_16_1_1 = mlp([2, 16, 1, 1], seed=1)
print(net_2_16_1_1)
net_2_16_1 = mlp([2, 16, 1], seed=1)
print(net_2_16_1)

# %% [markdown]
# In the first print, layer (0) holds $W$ and $b$, (2) holds $u$ and $c$,
# (3) is the bottleneck's ReLU and (4) holds $v$ and $d$. The notes end with
# `nn.Sigmoid()` and `nn.BCELoss()`; `mlp` outputs the logit and we train
# with binary cross-entropy *from logits*: the same function, as long as no
# logit is so large that float32 rounds $\sigma(z)$ to exactly 0 or 1 and
# `BCELoss` saturates ([page 8](../08_qwerties/)); Going deeper checks
# where the logits go. We count the
# [parameters](../../glossary/#parameter), the numbers training adjusts:

# %%
n_params_2_16_1_1 = sum(p.numel() for p in net_2_16_1_1.parameters())
n_params_2_16_1 = sum(p.numel() for p in net_2_16_1.parameters())
print(f"2-16-1-1: {n_params_2_16_1_1} parameters")
print(f"2-16-1:   {n_params_2_16_1} parameters")

# %% tags=["checks"]
assert n_params_2_16_1_1 == (2 * 16 + 16) + (16 + 1) + (1 + 1) == 67
assert n_params_2_16_1 == 65

# %% [markdown]
# The bottleneck adds two parameters, $v$ and $d$, and one unit that every
# signal must cross. `draw_network` draws both networks:

# %% alt="Two network diagrams side by side, drawn to the same scale. Left, 2-16-1-1: two blue input circles, a column of hidden ReLU circles (six drawn, a vertical ellipsis standing for the other ten), a single ReLU circle labelled bottleneck, and a green output circle labelled logit; every circle is joined by a line to every circle of the next column, so all hidden circles converge on the bottleneck, and one line joins it to the output. Above the lines stand the weight shapes W(1): 16 × 2, W(2): 1 × 16 and W(3): 1 × 1. Right, 2-16-1: the same inputs and hidden column, all joined straight to the output, with W(1): 16 × 2 and W(2): 1 × 16."
fig, axes = plt.subplots(
    1, 2, figsize=(10, 3.6), width_ratios=(4, 3), layout="constrained"
)
for ax, sizes, activations, names in zip(
    axes,
    ([2, 16, 1, 1], [2, 16, 1]),
    (["ReLU", "ReLU", ""], ["ReLU", ""]),
    (
        ["input", "hidden", "bottleneck", "output: logit"],
        ["input", "hidden", "output: logit"],
    ),
    strict=True,
):
    draw_network(sizes, ax=ax, activations=activations, layer_names=names)
    ax.set_title("-".join(map(str, sizes)))
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The two networks, one circle per unit (six of the sixteen
# hidden units drawn), each line a weight, biases not drawn; above the
# lines, each weight matrix's shape, outputs × inputs ($W^{(2)}$ is
# $u^\top$, $W^{(3)}$ is $v$). Left, 2-16-1-1: all sixteen hidden units feed
# the bottleneck, which alone feeds the output. Right, 2-16-1.

# %% [markdown]
# ## One run, then a few
#
# The notes first test their code once: one 2-16-1-1 network, plain
# [gradient descent](../../glossary/#gradient-descent) on all
# {{ len(x) }} points at each step,
# [learning rate](../../glossary/#learning-rate) 0.01, 1000
# [epochs](../../glossary/#epoch). `train` does the same;
# `mlp(..., seed=1)` draws the starting weights from
# [seed](../../glossary/#seed) 1.

# %%
one_run = train(
    mlp([2, 16, 1, 1], seed=1),
    x,
    labels,
    epochs=1000,
    loss="bce_with_logits",
    learning_rate=0.01,
    optimizer="sgd",
)
one_accuracy = accuracy(predict(one_run.model, x), labels, threshold=0.0)
print(
    f"seed 1: cost {one_run.epoch_losses[0]:.3f} at the start, "
    f"{one_run.epoch_losses[-1]:.3f} after 1000 epochs, "
    f"accuracy {one_accuracy:.1%}"
)

# %% [markdown]
# Another seed can end differently. `train_many` trains many copies
# of the network together, run $r$ from `seeds[r]`, each with the same
# updates `train` makes; here seeds 1 to 8 at the same rate:

# %%
few = train_many(
    [2, 16, 1, 1],
    x,
    labels,
    seeds=range(1, 9),
    learning_rates=0.01,
    epochs=1000,
)
few_failed = few.end.accuracy < 0.9  # accuracy below 90 %
few_active = few.end.active_fractions[-1][:, 0]  # the bottleneck's
for seed, cost, acc, on in zip(
    few.seeds, few.final_loss, few.end.accuracy, few_active, strict=True
):
    print(
        f"seed {seed}: cost {cost:.3f}, accuracy {acc:.1%}, "
        f"bottleneck active on {on:.1%} of the points"
    )

# %% tags=["checks"]
# seed 1 of train_many is the run train made above
assert torch.allclose(few.loss_history[0], one_run.epoch_losses, atol=1e-5)
assert few_failed.any() and not few_failed.all()
assert (few_active[few_failed] < 0.05).all()
assert (few.final_loss[few_failed] - math.log(2)).abs().max() < 0.005

# %% alt="Cost against epoch, 0 to 1000, for eight runs of the 2-16-1-1 network at learning rate 0.01. The {{ int((~few_failed).sum()) }} successful runs, solid blue lines, start between {{ few.loss_history[~few_failed, 0].min():.2f }} and {{ few.loss_history[~few_failed, 0].max():.2f }} and fall to between {{ few.final_loss[~few_failed].min():.2f }} and {{ few.final_loss[~few_failed].max():.2f }}, one of them only after lingering near ln 2 for a few hundred epochs. The {{ int(few_failed.sum()) }} failed runs, dashed red lines, start between {{ few.loss_history[few_failed, 0].min():.2f }} and {{ few.loss_history[few_failed, 0].max():.2f }} and settle on a dotted horizontal line at ln 2 ≈ {{ math.log(2):.3f }}, the highest of them most slowly, and stay on it."
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
labelled = set()  # one legend entry per kind of run
for curve, lost in zip(few.loss_history, few_failed.tolist(), strict=True):
    kind = "failed" if lost else "succeeded"
    ax.plot(
        few.recorded_epochs,
        curve,
        "--" if lost else "-",
        color="C3" if lost else "C0",
        label=None if kind in labelled else kind,
    )
    labelled.add(kind)
ax.axhline(math.log(2), color="black", linestyle=":", label="ln 2")
ax.legend()
ax.set_xlabel("epoch")
ax.set_ylabel("cost (mean binary cross-entropy)")
ax.set_title("2-16-1-1, learning rate 0.01, seeds 1 to 8")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** The cost per epoch of eight runs at the notes' test rate,
# 0.01. {{ int(few_failed.sum()) }} of the 8 fail: their cost settles at
# $\ln 2 \approx 0.693$, the cost of giving every point the logit 0, and
# their bottleneck is active on at most
# {{ few_active[few_failed].max():.1% }} of the points.

# %% [markdown]
# ## Many runs, three budgets
#
# [The notes](../../notes/#lecture-49) then train one network per
# learning rate, 40 rates, in the same way
# for 1000 epochs; they report that 2000 and then 5000 epochs make bad runs
# rarer. One run per rate cannot measure how often a run fails, so we train
# **25 runs per rate** (our choice, not the notes'), each from its own seed.
#
# `multilayer_comparison` trains both networks on these points with the
# notes' settings, all runs of one network at once with `train_many`: run
# $k$ ($k = 0, 1, \dots$) of either network starts from seed $k + 1$, so run
# $k$ of the 2-16-1-1 network and run $k$ of the 2-16-1 network start from
# the same seed. Its `architectures=` lists the networks' layer sizes, by
# default `((2, 16, 1, 1), (2, 16, 1))`, and it returns one result per
# network, in that order. Each 5000-epoch run is also recorded after 1000
# and 2000 epochs: the first 1000 updates do not depend on how many follow.

# %% tags=["wall-clock"]
rates = torch.linspace(0.001, 0.1, 40)  # the notes' 40 learning rates
runs_per_rate = 25
start = time.perf_counter()
runs_2_16_1_1, runs_2_16_1 = multilayer_comparison(
    rates, runs=runs_per_rate, checkpoints=(1000, 2000, 5000), seed=0
)
seconds = time.perf_counter() - start
n_runs = len(rates) * runs_per_rate  # runs per network
print(f"trained 2 × {n_runs} runs × 5000 epochs in {seconds:.0f} s")
print(
    "accuracy array (budgets, rates, runs):",
    tuple(runs_2_16_1_1.accuracy.shape),
)

# %% [markdown]
# These are the notes' {{ len(rates) }} learning rates, from
# {{ rates[0]:.3f }} to {{ rates[-1]:.1f }} in equal steps, {{ n_runs }}
# runs per network.
#
# A run **fails** when its [accuracy](../../glossary/#accuracy) on the
# training points is below 90 % at the end of its budget (after 1000, 2000
# or 5000 epochs).
# The share of failed runs estimates the chance that a run fails; the
# 95 % Wilson interval ([page 7's statistics primer](../07_slope_challenge/#a-short-statistics-primer))
# is the range of chances that agree with it. `wilson_interval` computes
# it:

# %%
failed_2_16_1_1 = runs_2_16_1_1.accuracy < 0.9  # (budgets, rates, runs)
failed_2_16_1 = runs_2_16_1.accuracy < 0.9
n_failed_2_16_1_1 = failed_2_16_1_1.sum((1, 2))  # per budget
n_failed_2_16_1 = failed_2_16_1.sum((1, 2))
share_2_16_1_1 = wilson_interval(n_failed_2_16_1_1, n_runs)
share_2_16_1 = wilson_interval(n_failed_2_16_1, n_runs)
print("network   epochs    failed   share    95% interval")
for name, n_failed, share in (
    ("2-16-1-1", n_failed_2_16_1_1, share_2_16_1_1),
    ("2-16-1", n_failed_2_16_1, share_2_16_1),
):
    for i, epochs in enumerate(runs_2_16_1_1.checkpoints):
        print(
            f"{name:9s} {epochs:6d} {n_failed[i]:5d}/{n_runs} "
            f"{share.rate[i]:7.1%}   "
            f"[{share.low[i]:.1%}, {share.high[i]:.1%}]"
        )
rescued = failed_2_16_1_1[0] & ~failed_2_16_1_1[-1]  # per run
relapsed = ~failed_2_16_1_1[0] & failed_2_16_1_1[-1]
rescued_2_16_1_1 = int(rescued.sum())
relapsed_2_16_1_1 = int(relapsed.sum())
print(
    f"2-16-1-1: failed after 1000 epochs but not after 5000: "
    f"{rescued_2_16_1_1} runs; the other way round: {relapsed_2_16_1_1}"
)


def sign_test(one_way, other_way):
    """Exact two-sided sign test: each change goes either way with p 1/2."""
    n = one_way + other_way
    fewer = min(one_way, other_way)
    # chance of at most `fewer` changes one way, doubled for either way
    tail = sum(math.comb(n, i) for i in range(fewer + 1))
    return min(1.0, 2 * tail / 2**n)


changed_runs = rescued_2_16_1_1 + relapsed_2_16_1_1
p_sign = sign_test(rescued_2_16_1_1, relapsed_2_16_1_1)
print(f"sign test on the {changed_runs} runs that changed: p = {p_sign:.2g}")
both = (runs_2_16_1_1, runs_2_16_1)
largest_z = max(result.largest_logit.max() for result in both).item()
largest_wrong_z = max(result.largest_wrong_logit.max() for result in both)
print(
    f"largest |logit| in any run at any budget: {largest_z:.1f}; "
    f"on a misclassified point: {largest_wrong_z:.1f}"
)

# %% tags=["checks"]
assert ((0.2 < share_2_16_1_1.rate) & (share_2_16_1_1.rate < 0.55)).all()
assert 0.25 < share_2_16_1_1.rate[-1] < 0.45  # about a third at 5000 epochs
assert share_2_16_1_1.rate[0] - share_2_16_1_1.rate[-1] < 0.15
assert n_failed_2_16_1[-1] == 0 < n_failed_2_16_1[0]  # none left at 5000
# the two networks' intervals do not overlap at any budget
assert (share_2_16_1_1.low > share_2_16_1.high).all()
assert relapsed.sum() == 0  # so every net change is a rescued run
assert p_sign < 1e-6
# float32's sigmoid is exactly 1 from a logit of about 16.64 on
assert largest_wrong_z < 16.6 < largest_z
assert (
    torch.sigmoid(torch.tensor(16.6)) < 1 == torch.sigmoid(torch.tensor(16.7))
)
# the failure intervals are the success intervals turned over
pooled = runs_2_16_1_1.success_rate(0.9, per_rate=False)
assert torch.allclose(share_2_16_1_1.low, 1 - pooled.high)

# %% [markdown]
# `plot_failure_rates` draws the same shares, with the intervals as error
# bars:

# %% alt="Fraction of failed runs against the training budget of 1000, 2000 and 5000 epochs, with 95% error bars. The 2-16-1-1 network's points sit at {{ share_2_16_1_1.rate[0]:.2f }}, {{ share_2_16_1_1.rate[1]:.2f }} and {{ share_2_16_1_1.rate[2]:.2f }}, high on the plot; the 2-16-1 network's at {{ share_2_16_1.rate[0]:.2f }}, {{ share_2_16_1.rate[1]:.2f }} and {{ share_2_16_1.rate[2]:.2f }}, near the bottom; the error bars of the two lines never meet."
fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
plot_failure_rates((runs_2_16_1_1, runs_2_16_1), threshold=0.9, ax=ax)
ax.set_xticks(runs_2_16_1_1.checkpoints)
ax.set_title(f"{len(rates)} learning rates × {runs_per_rate} runs, pooled")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 4.** The share of failed runs (accuracy below 90 %) of each
# network after 1000, 2000 and 5000 epochs, over all {{ n_runs }} runs, with
# 95 % Wilson intervals. The two networks' intervals never meet.

# %% [markdown]
# The notes' observation, made quantitative: with the bottleneck,
# {{ n_failed_2_16_1_1[0] }} of the {{ n_runs }} runs fail after 1000 epochs
# and {{ n_failed_2_16_1_1[-1] }} after 5000
# ({{ share_2_16_1_1.rate[-1]:.1% }}, 95 % interval
# {{ share_2_16_1_1.low[-1]:.1% }} to {{ share_2_16_1_1.high[-1]:.1% }}).
# This network's intervals after 1000 and after 5000 epochs (the first and
# last points of its line in figure 4) overlap, but they treat the two
# budgets as independent samples; here they are the *same* runs, seen
# twice. All {{ changed_runs }} runs whose outcome changed were rescued, none went the
# other way ({{ relapsed_2_16_1_1 }}). If the budget did not matter, each
# would have gone either way with chance $\tfrac12$, like a coin; $n$ coins
# all landing on one side, either side, have chance $2 \cdot 0.5^n$: here
# *p* = {{ p_sign:.2g }} (an exact *sign test*). The drop is small, but
# chance alone would almost never produce it. Without the bottleneck,
# {{ n_failed_2_16_1[0] }} runs fail after 1000 epochs and
# {{ n_failed_2_16_1[-1] }} after 5000 (interval
# {{ share_2_16_1.low[-1]:.1% }} to {{ share_2_16_1.high[-1]:.1% }}).
#
# Where do the failures sit? `plot_success_rate` breaks the runs down by
# learning rate, one line per budget.

# %% alt="Two stacked panels of the fraction of runs reaching 90% accuracy against the learning rate, one line per budget with a shaded 95% band. Top, 2-16-1-1: at the smallest learning rate, 0.001, the 1000-, 2000- and 5000-epoch lines start at {{ success_2_16_1_1[0, 0]:.2f }}, {{ success_2_16_1_1[1, 0]:.2f }} and {{ success_2_16_1_1[2, 0]:.2f }}; the 1000-epoch line stays below the others up to {{ rates[slow][-2]:.4f }}; from {{ rates[~slow][0]:.4f }} on, the three lines are at most {{ gap_2_16_1_1:.2f }} apart and zigzag between {{ success_2_16_1_1[:, ~slow].min():.2f }} and {{ success_2_16_1_1[:, ~slow].max():.2f }} with wide overlapping bands. Bottom, 2-16-1: the 5000-epoch line sits at 1 at every rate; the 1000-epoch line starts at {{ success_2_16_1[0, 0]:.2f }} at 0.001 and reaches {{ success_2_16_1[0, 1]:.2f }} at {{ rates[1]:.4f }}, the 2000-epoch line starts at {{ success_2_16_1[1, 0]:.2f }}; from {{ rates[clean_from]:.4f }} on every line is at 1, its band reaching down to {{ band_low_2_16_1:.2f }}."
slow = rates < 0.01  # the four smallest rates
success_2_16_1_1 = runs_2_16_1_1.success_rate(0.9).rate  # (budgets, rates)
success_2_16_1 = runs_2_16_1.success_rate(0.9).rate
spread = success_2_16_1_1[:, ~slow]  # the budgets' spread at each rate
gap_2_16_1_1 = (spread.max(0).values - spread.min(0).values).max()
band_low_2_16_1 = runs_2_16_1.success_rate(0.9).low[-1].min()
fails_2_16_1 = runs_2_16_1.accuracy.lt(0.9).any(0).any(1)  # per rate
clean_from = int(fails_2_16_1.nonzero().max()) + 1  # no failure from here on
# rates where the three budgets give the same share (markers on one another)
same_2_16_1_1 = (success_2_16_1_1 == success_2_16_1_1[-1]).all(0)
same_2_16_1 = (success_2_16_1 == success_2_16_1[-1]).all(0)
print(
    f"2-16-1-1 from 0.01 on: success shares {spread.min():.2f} to "
    f"{spread.max():.2f}, the three budgets at most {gap_2_16_1_1:.2f} "
    "apart at any rate"
)
print(
    f"2-16-1: no failed run at any budget from rate {rates[clean_from]:.4f}"
    f" on; lowest 95% band edge after 5000 epochs {band_low_2_16_1:.2f}"
)
fig, axes = plt.subplots(
    2, 1, figsize=(7, 7.5), sharex=True, layout="constrained"
)
for ax, result in zip(axes, (runs_2_16_1_1, runs_2_16_1), strict=True):
    plot_success_rate(result, threshold=0.9, ax=ax)
    # one marker and line style per budget, so coinciding lines stay visible
    for line, marker, size, style in zip(
        ax.get_lines(), "os^", (10, 7, 4), ("-", "--", ":"), strict=True
    ):
        line.set(
            marker=marker,
            markersize=size,
            linestyle=style,
            markerfacecolor="none",
        )
    ax.set_title(
        f"{'-'.join(map(str, result.sizes))}: "
        f"{result.runs} runs per learning rate, 95% band"
    )
    ax.legend(loc="lower right")
axes[0].set_xlabel("")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 5.** The share of runs that reach 90 % accuracy at each of the
# {{ len(rates) }} learning rates, after 1000, 2000 and 5000 epochs (top:
# 2-16-1-1, bottom: 2-16-1), with 95 % Wilson bands. From
# {{ rates[clean_from]:.4f }} on, every 2-16-1 run succeeds at every budget,
# so the three markers (circle, square, triangle) overlap at 1; the 2-16-1-1
# network loses runs at every rate, even after 5000 epochs, and its three
# markers overlap at {{ int(same_2_16_1_1.sum()) }} rates.

# %%
per_rate_2_16_1_1 = failed_2_16_1_1.sum(2)  # failed runs, (budgets, rates)
per_rate_2_16_1 = failed_2_16_1.sum(2)
last_2_16_1_1 = per_rate_2_16_1_1[-1]  # after 5000 epochs
print(
    "at rate 0.001, failed runs after 1000, 2000, 5000 epochs:\n"
    f"  2-16-1-1 {per_rate_2_16_1_1[:, 0].tolist()}, "
    f"2-16-1 {per_rate_2_16_1[:, 0].tolist()} (of {runs_per_rate})"
)
print(
    f"the {int((~slow).sum())} rates from 0.01 on, after 5000 epochs: "
    f"2-16-1-1 {int(last_2_16_1_1[~slow].min())} to "
    f"{int(last_2_16_1_1[~slow].max())} failed runs per rate"
)
print(
    "  2-16-1: failed runs there at any budget:",
    int(per_rate_2_16_1[:, ~slow].sum()),
)
n_fast = int((~slow).sum()) * runs_per_rate  # runs from 0.01 on
failed_fast_1000 = per_rate_2_16_1_1[0, ~slow].sum()
share_fast_1000 = wilson_interval(failed_fast_1000, n_fast)
print(
    f"2-16-1-1 from 0.01 on, after 1000 epochs: {failed_fast_1000}/{n_fast}"
    f" failed, {share_fast_1000.rate:.1%} [{share_fast_1000.low:.1%}, "
    f"{share_fast_1000.high:.1%}]"
)

# %% tags=["checks"]
assert not failed_2_16_1[:, ~slow].any()
assert not failed_2_16_1[:, clean_from:].any() and clean_from <= slow.sum()
assert same_2_16_1[clean_from:].all()
assert (last_2_16_1_1 > 0).all()  # failures at every rate

# %% [markdown]
# At {{ rates[0]:.3f }}, 1000 epochs are too few for either network:
# {{ per_rate_2_16_1_1[0, 0] }} and {{ per_rate_2_16_1[0, 0] }} of
# {{ runs_per_rate }} runs fail after 1000 epochs,
# {{ per_rate_2_16_1_1[-1, 0] }} and {{ per_rate_2_16_1[-1, 0] }} after
# 5000. From 0.01 on, after 5000 epochs, the 2-16-1-1 network still fails
# {{ last_2_16_1_1[~slow].min() }} to {{ last_2_16_1_1[~slow].max() }}
# times in {{ runs_per_rate }} at every rate.
#
# ## Why: the dead bottleneck
#
# Each result also records, for every run, the fraction of training points
# on which the bottleneck is *active* (its input $s$ above 0), before
# training and at each budget. How many of the lost runs died?

# %%
failed = failed_2_16_1_1[-1]  # after 5000 epochs, (rates, runs)
active_end = runs_2_16_1_1.active[-1]  # the bottleneck, after 5000 epochs
dead_end = active_end == 0  # active on no training point
dead_1000 = runs_2_16_1_1.active[0] == 0  # dead after 1000 epochs
print(f"failed 2-16-1-1 runs after 5000 epochs: {int(failed.sum())}")
print(
    f"  bottleneck active on no point: {int((failed & dead_end).sum())}"
    f", on fewer than 2% of the points: "
    f"{int((failed & (active_end < 0.02)).sum())}"
)
print(
    f"dead after 1000 epochs: {int(dead_1000.sum())} runs; still dead "
    f"after 5000: {int((active_end[dead_1000] == 0).sum())}, accuracy "
    f"{runs_2_16_1_1.accuracy[-1][dead_1000].unique().tolist()}"
)
print(f"dead after 5000 epochs: {int(dead_end.sum())} runs")
alive_failing = failed_2_16_1_1[0] & ~dead_1000  # after 1000 epochs
died_later = alive_failing & dead_end
still_failing = alive_failing & failed & ~dead_end
print(
    f"failed after 1000 epochs, bottleneck alive: {int(alive_failing.sum())}"
    f"; after 5000: {int((alive_failing & ~failed).sum())} succeed, "
    f"{int(died_later.sum())} dead, {int(still_failing.sum())} alive but "
    "still failing"
)

# %% tags=["checks"]
assert (failed & (active_end < 0.02)).sum() >= 0.8 * failed.sum()
assert (active_end[dead_1000] == 0).all()
assert (runs_2_16_1_1.accuracy[-1][dead_1000] == 0.5).all()
assert (alive_failing & ~failed).sum() == rescued_2_16_1_1
assert dead_end.sum() == dead_1000.sum() + died_later.sum() > dead_1000.sum()

# %% [markdown]
# Of the {{ int(failed.sum()) }} failed runs,
# {{ int((failed & dead_end).sum()) }} end with the bottleneck active on no
# training point. The {{ int(dead_1000.sum()) }} runs dead after 1000 epochs
# are all still dead after 5000, each right on exactly half of the points,
# as the idea predicted. Longer training does not only rescue: of the
# {{ int(alive_failing.sum()) }} runs failing after 1000 epochs with the
# bottleneck alive, {{ rescued_2_16_1_1 }} succeed after 5000,
# {{ int(died_later.sum()) }} die on the way and
# {{ int(still_failing.sum()) }} still fail, alive.
#
# One backward pass shows the blocking directly. We rebuild the first run
# whose bottleneck was dead before the first update from its seed and
# compute every parameter's gradient with
# [autograd](../../glossary/#autograd):

# %%
dead_at_start = runs_2_16_1_1.active_start == 0  # (rates, runs)
first_dead = int(dead_at_start.flatten().nonzero()[0])
dead_seed = first_dead + 1
dead_net = mlp([2, 16, 1, 1], seed=dead_seed)
bottleneck_active = active_fraction(dead_net, x)[1].item()
print(f"seed {dead_seed}: bottleneck active on {bottleneck_active:.0%}")
F.binary_cross_entropy_with_logits(dead_net(x), labels).backward()
names = ["W", "b", "u", "c", "v", "d"]
norms = [p.grad.norm().item() for p in dead_net.parameters()]
print(
    "gradient norms:",
    ", ".join(f"{n} {g:.2g}" for n, g in zip(names, norms, strict=True)),
)

# %% tags=["checks"]
assert bottleneck_active == 0
assert all(g == 0 for g in norms[:-1]) and norms[-1] > 0

# %% [markdown]
# Every gradient is exactly zero except the output bias's: no update can
# change $W$, $b$, $u$, $c$ or $v$. The second exercise trains this network
# and watches it stay dead.
#
# ## What depth and width buy, what a bottleneck costs
#
# **Depth through one unit buys nothing here.** The 2-16-1-1 logit is
# $z = v \max(0, s) + d$, a function of the 2-16-1 logit $s$ that never
# decreases with $s$ if $v > 0$ and never increases if $v < 0$ (it is flat
# where $s \le 0$). The predicted class is 1 where $z > 0$, so its
# [decision boundary](../../glossary/#decision-boundary), where the
# predicted class changes, is either absent (one class everywhere) or the
# curve where $s$ equals one threshold $t$, class 1 on one side. The 2-16-1
# network draws that boundary too, by lowering its bias $c$ by $t$ (and
# flipping the signs of $u$ and $c$ when $v < 0$). The extra layer adds two
# parameters and not a single new boundary.
#
# Training need not find the same boundary, though: Going deeper compares
# each successful 2-16-1-1 run with its 2-16-1 twin.
#
# **Width buys insurance.** A hidden unit of the 2-16-1 network can die too
# (Going deeper counts them), but the network stops learning only if all
# sixteen die together; none of its {{ n_runs }} runs failed after 5000
# epochs. The 2-16-1-1 network has one unit's odds.
#
# **A bottleneck costs** {{ share_2_16_1_1.rate[-1]:.1% }} of the runs after
# 5000 epochs (95 % interval {{ share_2_16_1_1.low[-1]:.1% }} to
# {{ share_2_16_1_1.high[-1]:.1% }}), failing at all {{ len(rates) }}
# learning rates; no number of epochs buys a dead run back, and more epochs
# let more die. Here a one-unit layer is a single point of failure that buys
# nothing; exercise 1 measures what more units change.
#
# ## Questions
#
# **"Why it is woking very good for certain lr and very poor for others?"**
# ([the notes](../../notes/#lecture-49)). One run per rate cannot tell a
# bad rate from an unlucky seed. Each point of the notes' accuracy curve is
# one draw of a run that, here, fails after 1000 epochs in
# {{ failed_fast_1000 }} of {{ n_fast }} runs from 0.01 on
# ({{ share_fast_1000.rate:.1% }}, 95 % interval
# {{ share_fast_1000.low:.1% }} to {{ share_fast_1000.high:.1% }}): a rate
# can look bad just because its one run killed its bottleneck. With
# {{ runs_per_rate }} runs per rate, the 2-16-1-1 network fails at all
# {{ len(rates) }} rates even after 5000 epochs (Going deeper tests whether
# the rate changes that chance). Below 0.01, at the notes' 1000 epochs, the
# rate does matter: runs are still learning (figure 5). The notes' guess is
# right: the next attempt at a bad rate is the same rate with another
# seed.
#
# **Does training longer make failures rarer?**
# [The notes](../../notes/#lecture-49): "if I am increasing the number of
# epochs(1000, then 2000, then 5000), the frequency of getting bad accuracy
# is reduced". For the 2-16-1-1 network, yes, but only a little:
# {{ n_failed_2_16_1_1[0] }}, {{ n_failed_2_16_1_1[1] }} and
# {{ n_failed_2_16_1_1[2] }} failed runs of {{ n_runs }} after 1000, 2000
# and 5000 epochs (sign test above, *p* = {{ p_sign:.2g }}). Between 1000
# and 5000 epochs, {{ rescued_2_16_1_1 }} slow runs are rescued but
# {{ int(died_later.sum()) }} others die, and a dead run stays dead. One run
# per rate is far too few to see a change of {{ rescued_2_16_1_1 }} runs in
# {{ n_runs }}.
#
# **Reading the notes' figure.** The last figure of
# [the notes' passage](../../notes/#lecture-49) (not shown here) has two
# panels. Left: the accuracy of the one run at each learning rate; figure 5
# draws, at each rate, the share of {{ runs_per_rate }} runs that succeed,
# with its interval. Right: each rate's loss curve, with the axis labels
# swapped ("Loss" under the axis of epochs, "Epochs" beside the axis of
# loss); figure 3 draws such curves, labelled the right way.
#
# ## Going deeper
#
# The sections below test whether the failures change with the learning
# rate, follow the bottleneck run by run, compare the successful runs with
# their twins, and check how far the logits go.

# %% [markdown] tags=["deeper"]
# ### The failures rate by rate
#
# The failed runs at the four rates below 0.01, where 1000 epochs may be too
# few, for both networks and every budget:

# %% tags=["deeper"]
print(f"failed runs of {runs_per_rate}:       2-16-1-1          2-16-1")
print("rate    after epochs  1000 2000 5000    1000 2000 5000")
for i in slow.nonzero().flatten().tolist():
    row_2_16_1_1 = "".join(f"{n:5d}" for n in per_rate_2_16_1_1[:, i].tolist())
    row_2_16_1 = "".join(f"{n:5d}" for n in per_rate_2_16_1[:, i].tolist())
    print(f"{rates[i]:.4f}               {row_2_16_1_1}   {row_2_16_1}")

# %% [markdown] tags=["deeper"]
# The 2-16-1 network fails only at these rates, and only for lack of time:
# after 1000 epochs {{ per_rate_2_16_1[0, 0] }} of its {{ runs_per_rate }}
# runs at {{ rates[0]:.3f }} fail and {{ per_rate_2_16_1[0, 1] }} at
# {{ rates[1]:.4f }}, after 2000 epochs {{ per_rate_2_16_1[1, 0] }} at
# {{ rates[0]:.3f }}, and after 5000 epochs none. So the pooled shares at
# 1000 epochs depend on how many slow rates the grid holds:
# {{ per_rate_2_16_1_1[0, slow].sum() }} of the 2-16-1-1 network's
# {{ per_rate_2_16_1_1[0].sum() }} failures at 1000 epochs, and
# {{ per_rate_2_16_1[0, slow].sum() }} of the 2-16-1 network's
# {{ per_rate_2_16_1[0].sum() }}, sit at the {{ slow.sum() }} rates below
# 0.01.

# %% [markdown] tags=["deeper"]
# ### Trend and homogeneity tests over the learning rates
#
# Counts that wander between {{ last_2_16_1_1[~slow].min() }} and
# {{ last_2_16_1_1[~slow].max() }} of {{ runs_per_rate }} could still hide
# a drift with the rate; the eye cannot tell. The Cochran–Armitage test for
# trend ([page 7's primer](../07_slope_challenge/#a-short-statistics-primer))
# can. It gives rate $j$ a score $t_j$, here $\log \eta_j$: the largest
# rate is {{ rates[-1] / rates[0]:.0f }} times the smallest (a factor of
# ten, twice), and the log spreads the scores evenly over those powers of
# ten. With $k_j$ failed runs out of the $m$ runs at rate $j$
# ($m$ = {{ runs_per_rate }}), $\bar p$ the failure share pooled over the
# rates and $\bar t$ the mean score,
#
# $$
# z = \frac{\sum_j (t_j - \bar t)\, k_j}
#          {\sqrt{\bar p\,(1 - \bar p)\; m \sum_j (t_j - \bar t)^2}}
# $$
#
# is close to standard normal when every rate has the same failure share.
# $z > 0$ means failures rise with the rate, $z < 0$ that they fall, and
# the two-sided p-value, $\operatorname{erfc}(|z| / \sqrt 2)$, is the chance
# of a $|z|$ at least this large if the share were the same at every rate.
# "Close to" normal holds near the centre of the distribution, not far out
# in its tail: a p-value below $10^{-6}$ from this formula is not accurate
# (least of all with a few failures that all sit at two rates), so the table
# prints such a p only as `< 1e-06`.
# `trend_test` computes $z$ and this p from a table of failed runs
# (rates × runs) and the scores. We test each network at each budget, over
# all {{ len(rates) }} rates and over the {{ (~slow).sum() }} from 0.01 on.


# %% tags=["deeper"]
def p_text(p):
    """A p-value as printed: below 1e-6 only as a bound."""
    return "< 1e-06" if p < 1e-6 else f"= {p:.2g}"


def trend_by_budget(result, keep):
    """(z, p) at each budget, over the rates where keep is True."""
    tests = [
        trend_test(acc[keep] < 0.9, rates[keep].log())
        for acc in result.accuracy
    ]
    return torch.tensor([(t.z, t.p) for t in tests], dtype=torch.float64)


every_rate = torch.ones_like(slow)
trend_2_16_1_1 = trend_by_budget(runs_2_16_1_1, every_rate)  # z, p
trend_fast_2_16_1_1 = trend_by_budget(runs_2_16_1_1, ~slow)
trend_2_16_1 = trend_by_budget(runs_2_16_1, every_rate)
print("network   rates      epochs  failed       z        p")
for name, counts, tests, keep, label in (
    ("2-16-1-1", per_rate_2_16_1_1, trend_2_16_1_1, every_rate, "all 40"),
    ("2-16-1-1", per_rate_2_16_1_1, trend_fast_2_16_1_1, ~slow, "from 0.01"),
    ("2-16-1", per_rate_2_16_1, trend_2_16_1, every_rate, "all 40"),
):
    for epochs, n, (z, p) in zip(
        runs_2_16_1_1.checkpoints,
        counts[:, keep].sum(1),
        tests.tolist(),
        strict=True,
    ):
        test = f"{z:7.2f}  p {p_text(p)}" if n > 0 else "  no failure to test"
        print(
            f"{name:9s} {label:10s} {epochs:5d} {n:5d}/"
            f"{keep.sum() * runs_per_rate} {test}"
        )

# %% tags=["deeper", "checks"]
assert (trend_2_16_1_1[:2, 1] < 1e-3).all()
assert (trend_2_16_1[:2, 1] < 1e-3).all()
assert (
    trend_2_16_1_1[-1, 1] > 0.05 and (trend_fast_2_16_1_1[:, 1] > 0.05).all()
)

# %% [markdown] tags=["deeper"]
# Over all {{ len(rates) }} rates, failures fall with the rate after 1000
# epochs, for both networks (2-16-1-1: $z = {{ trend_2_16_1_1[0, 0]:.2f }}$,
# *p* {{ p_text(trend_2_16_1_1[0, 1]) }}; 2-16-1:
# $z = {{ trend_2_16_1[0, 0]:.2f }}$, *p* {{ p_text(trend_2_16_1[0, 1]) }}),
# and after 2000 epochs ($z = {{ trend_2_16_1_1[1, 0]:.2f }}$,
# *p* {{ p_text(trend_2_16_1_1[1, 1]) }}, and
# $z = {{ trend_2_16_1[1, 0]:.2f }}$, *p* {{ p_text(trend_2_16_1[1, 1]) }}).
# A p this small means chance alone would almost never produce such a trend.
# It comes from the smallest rates, where the runs are slow. After 5000
# epochs the 2-16-1-1 test detects no trend
# ($z = {{ trend_2_16_1_1[-1, 0]:.2f }}$,
# $p = {{ trend_2_16_1_1[-1, 1]:.2f }}$), and the 2-16-1 network has no
# failure left to test. Without the rates below 0.01, the 2-16-1-1 test
# detects no trend at any budget ($p = {{ trend_fast_2_16_1_1[0, 1]:.2f }}$,
# {{ trend_fast_2_16_1_1[1, 1]:.2f }} and
# {{ trend_fast_2_16_1_1[2, 1]:.2f }} after 1000, 2000 and 5000 epochs).
#
# The trend test looks only for a steady rise or fall. A failure chance that
# differs from rate to rate without a direction would escape it; the
# **χ² test of homogeneity** looks for any difference. If all $J$ rates had
# the same chance $p$, each $k_j$ would have mean $m p$ and variance
# $m p (1 - p)$. With $\bar p$ for $p$,
#
# $$
# X^2 = \sum_{j=1}^{J} \frac{(k_j - m \bar p)^2}{m \bar p\, (1 - \bar p)}
# $$
#
# adds up $J$ squared deviations, each about the square of a standard normal;
# since $\bar p$ comes from the same counts, they are tied by one constraint,
# and $X^2$ follows, approximately, the χ² distribution with $J - 1$
# *degrees of freedom*: that of a sum of $J - 1$ squared independent standard
# normals, whose mean is $J - 1$. This $X^2$ is Pearson's χ² of the
# rates × {fail, succeed} table. The p-value, the chance of an $X^2$ at least
# this large when the chance is the same at every rate, is
# `torch.special.gammaincc((J - 1) / 2, X2 / 2)`: with these arguments, this
# function (the regularized upper incomplete gamma function) gives exactly
# the chance that a χ² variable with $J - 1$ degrees of freedom exceeds
# $X^2$. The checks compare it, for 2 degrees of freedom, with that tail's
# simple formula $e^{-X^2/2}$.


# %% tags=["deeper"]
def homogeneity_test(failed):
    """Pearson's X² over the rates, its degrees of freedom and p."""
    k = failed.sum(1).double()  # k_j
    m = failed.shape[1]  # runs per rate
    share = k.sum() / failed.numel()  # p-bar
    x2 = ((k - m * share) ** 2).sum() / (m * share * (1 - share))
    dof = len(k) - 1
    p = torch.special.gammaincc(torch.tensor(dof / 2.0), x2 / 2)
    return x2.item(), dof, p.item()


homogeneity = [
    homogeneity_test(acc[~slow] < 0.9) for acc in runs_2_16_1_1.accuracy
]
print("2-16-1-1, the rates from 0.01 on, is the failure chance the same?")
print("epochs  failed   mean, sd per rate     X²  dof     p")
for epochs, counts, (x2, dof, p) in zip(
    runs_2_16_1_1.checkpoints,
    per_rate_2_16_1_1[:, ~slow],
    homogeneity,
    strict=True,
):
    expected = runs_per_rate * counts.sum().item() / n_fast  # m p-bar
    sd = math.sqrt(expected * (1 - expected / runs_per_rate))
    print(
        f"{epochs:6d} {counts.sum():4d}/{n_fast}  {expected:5.2f}, "
        f"{sd:.2f} {x2:11.1f} {dof:4d} {p:6.2f}"
    )
x2_5000, dof_5000, p_homogeneity = homogeneity[-1]
expected_5000 = runs_per_rate * last_2_16_1_1[~slow].sum().item() / n_fast
sd_5000 = math.sqrt(expected_5000 * (1 - expected_5000 / runs_per_rate))

# %% tags=["deeper", "checks"]
assert all(p > 0.05 for _, _, p in homogeneity)
# X² is Pearson's χ² of the rates × {fail, succeed} table (same sums,
# regrouped: agreement up to rounding in float64)
table = per_rate_2_16_1_1[-1, ~slow].double()
table = torch.stack([table, runs_per_rate - table], 1)
cells = table.sum(1, keepdim=True) * table.sum(0) / table.sum()
pearson = ((table - cells) ** 2 / cells).sum().item()
assert math.isclose(pearson, x2_5000, rel_tol=1e-9)
# with 2 degrees of freedom the χ² tail is exp(-X²/2)
assert math.isclose(
    torch.special.gammaincc(torch.tensor(1.0), torch.tensor(3.0)).item(),
    math.exp(-3.0),
    rel_tol=1e-6,
)

# %% [markdown] tags=["deeper"]
# After 5000 epochs, if the rates from 0.01 on shared one failure chance,
# a rate would fail in {{ expected_5000:.2f }} of its {{ runs_per_rate }}
# runs on average, give or take {{ sd_5000:.2f }} (one standard deviation).
# The counts, {{ last_2_16_1_1[~slow].min() }} to
# {{ last_2_16_1_1[~slow].max() }}, give $X^2$ = {{ x2_5000:.1f }} on
# {{ dof_5000 }} degrees of freedom, *p* = {{ p_homogeneity:.2f }}: they
# spread no more than chance alone would spread them. After 1000 and 2000
# epochs, *p* = {{ homogeneity[0][2]:.2f }} and
# {{ homogeneity[1][2]:.2f }}.
#
# A p-value above 0.05 does not prove that the share is the same at every
# rate; it says that any difference between the rates is too small to show
# in these {{ n_fast }} runs. What the tests allow is that, at one rate,
# only the seed separates a failed run from a successful one; the next
# section shows what the seed does to the bottleneck.

# %% [markdown] tags=["deeper"]
# ### The dead bottleneck, run by run
#
# From the same seed the two networks *start* with the same first two
# layers (`mlp` draws the weights layer by layer from one generator), so run
# $k$ of the one and run $k$ of the other differ only by the bottleneck: a
# paired comparison. We check it for every seed the runs used:

# %% tags=["deeper"]
seeds = range(1, 1 + n_runs)  # run k starts from seed k + 1
same_start = all(
    torch.equal(p, q)
    for seed in seeds
    for p, q in zip(
        mlp([2, 16, 1, 1], seed=seed)[:3].parameters(),
        mlp([2, 16, 1], seed=seed).parameters(),
        strict=True,
    )
)
print(
    f"same W, b, u, c from the same seed, for all {n_runs} seeds:", same_start
)

# %% tags=["deeper", "checks"]
assert same_start

# %% [markdown] tags=["deeper"]
# `plot_active_fractions` draws each run's active fraction before training
# against after 5000 epochs, for the bottleneck of the 2-16-1-1 network and,
# for the 2-16-1 network, the mean over its sixteen hidden units.

# %% alt="Two scatter plots of each run's active fraction before training (horizontal) against after 5000 epochs (vertical). Left, 2-16-1-1: the successful runs form a flat band across every starting fraction, the bottleneck active on at least {{ active_end[~failed].min():.0% }} of the points at the end, a few runs higher; {{ int((failed & (active_end == 0)).sum()) }} of the {{ int(failed.sum()) }} failed runs, crosses, lie on the bottom edge at exactly zero, from starting fractions across the whole range, zero included; the few others sit just above it or scattered higher up, some among the successful runs. Right, 2-16-1, where none of the {{ n_runs }} runs failed: the runs form a diagonal cloud from lower left to upper right, their sixteen units the more active at the end the more active they were at the start, on {{ runs_2_16_1.active[-1].min():.0% }} to {{ runs_2_16_1.active[-1].max():.0% }} of the points on average after 5000 epochs." tags=["deeper"]
fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), layout="constrained")
for ax, result, what, corner in zip(
    axes,
    (runs_2_16_1_1, runs_2_16_1),
    (
        "share of points where the bottleneck is active",
        "mean share of points where a hidden unit is active",
    ),
    ((0.3, 0.2), "lower right"),  # legends clear of the points
    strict=True,
):
    plot_active_fractions(result, threshold=0.9, ax=ax)
    ax.set_xlabel(f"{what}, start")
    ax.set_ylabel("… after 5000 epochs")
    ax.set_title("-".join(map(str, result.sizes)))
    ax.legend(loc=corner)
plt.show()

# %% [markdown] tags=["deeper", "caption"]
# **Figure 6.** Each run's share of training points on which the unit is
# active, before training (horizontal) and after 5000 epochs (vertical);
# crosses are failed runs. Left, the 2-16-1-1 network's bottleneck:
# {{ int((failed & dead_end).sum()) }} of the {{ int(failed.sum()) }} failed
# runs end on the bottom edge, dead. Right, the 2-16-1 network,
# the mean over its sixteen hidden units: no run failed, none went silent.

# %% [markdown] tags=["deeper"]
# The numbers behind the left panel:

# %% tags=["deeper"]
nearly_dead = failed & (active_end < 0.02)  # dead ones included
barely_on = nearly_dead & ~dead_end  # on for a few points, not none
print(f"failed 2-16-1-1 runs: {int(failed.sum())}")
print(
    f"  bottleneck dead (active on no point): {int((failed & dead_end).sum())}"
    f", active on some but < 2% of the points: {int(barely_on.sum())}, "
    f"on more: {int((failed & ~nearly_dead).sum())}"
)
print(
    f"successful runs: bottleneck active on at least "
    f"{active_end[~failed].min():.0%} of the points"
)
print(f"dead before the first update: {int(dead_at_start.sum())} runs")
alive_failed = failed & ~dead_at_start
print(
    f"of the {int(alive_failed.sum())} failed runs alive at the start: "
    f"{int((alive_failed & dead_end).sum())} died, "
    f"{int((alive_failed & barely_on).sum())} more ended active on < 2%"
)
twin_ok = failed & ~failed_2_16_1[-1]
print(
    f"failed runs whose 2-16-1 twin (same seed) succeeded: "
    f"{int(twin_ok.sum())} of {int(failed.sum())}"
)
print(
    f"rescued between 1000 and 5000 epochs: {rescued_2_16_1_1} runs, "
    f"{int(rescued[slow].sum())} at the rates below 0.01"
)
# Where the bottleneck is off, every point gets one class; at 90 % accuracy
# that region holds one class (half the points) and at most 10 % errors.
max_errors = round(0.1 * len(x))
least_on = len(x) - len(x) // 2 - max_errors

# %% tags=["deeper", "checks"]
assert nearly_dead.sum() >= 0.8 * failed.sum()
assert active_end[~failed].min() >= 0.4
assert failed[dead_at_start].all() and dead_end[dead_at_start].all()
assert (nearly_dead & ~dead_at_start).sum() > dead_at_start.sum()
assert twin_ok.sum() >= 0.9 * failed.sum()
assert (runs_2_16_1_1.active[0][rescued] > 0).all()
assert rescued_2_16_1_1 == n_failed_2_16_1_1[0] - n_failed_2_16_1_1[-1]

# %% [markdown] tags=["deeper"]
# So nearly every failure is a dead or nearly dead bottleneck: of the
# {{ int(failed.sum()) }} failed runs, {{ int((failed & dead_end).sum()) }}
# end dead ($s \le 0$ on every point) and {{ int(barely_on.sum()) }} more
# with the unit active on some but fewer than 2 % of the points, fewer than
# {{ round(0.02 * len(x)) }} of the {{ len(x) }}. The 2 % is our choice: on
# so few points, only those points' gradients reach the layers below (the
# factor $\mathbb{1}[s_i > 0]$ is zero on all the others), and a successful
# run needs the unit on for at least {{ least_on }} points (shown below).
# Some runs start dead ({{ int(dead_at_start.sum()) }}: the unit's input is
# not positive, $s \le 0$, on all {{ len(x) }} points before the first
# update); more die during training: of the {{ int(alive_failed.sum()) }}
# failed runs alive at the start, {{ int((alive_failed & dead_end).sum()) }}
# died, when an update pushed $s$ to 0 or below everywhere, and
# {{ int((alive_failed & barely_on).sum()) }} more ended active on fewer than
# 2 %. In every one of the
# {{ int(twin_ok.sum()) }} failed runs, the 2-16-1 network from the same
# seed succeeded. The {{ rescued_2_16_1_1 }} failures that training longer
# does rescue were all alive after 1000 epochs, merely slow;
# {{ rescued[slow].sum() }} of them sit at the {{ slow.sum() }} rates below
# 0.01. Other runs alive then died later: {{ int(died_later.sum()) }} of
# the dead bottlenecks after 5000 epochs were alive after 1000.
#
# A successful run cannot keep its bottleneck on for few points: where the
# unit is off, every point gets the same logit $d$ and so the same class,
# and 90 % accuracy allows at most {{ max_errors }} points of the other
# class there, so the unit must be on for at least {{ least_on }} of the
# {{ len(x) }} points. The successful runs keep it on for more than that
# (for at least {{ active_end[~failed].min():.0% }} of the points, printed
# above).

# %% [markdown] tags=["deeper"]
# ### Dead units in the 2-16-1 network
#
# A hidden ReLU unit can start dead in the 2-16-1 network too. We count,
# over the same {{ n_runs }} seeds, the first-layer units that are active on
# no point before training, with `active_fraction`:

# %% tags=["deeper"]
first_layer = torch.stack(
    [active_fraction(mlp([2, 16, 1], seed=s), x)[0] for s in seeds]
)
dead_units = first_layer == 0  # (seeds, 16)
units_dead = wilson_interval(dead_units.sum(), dead_units.numel())
bottlenecks_dead = wilson_interval(dead_at_start.sum(), n_runs)
for what, share in (
    (f"first-layer units of 2-16-1 ({dead_units.numel()})", units_dead),
    (f"bottlenecks of 2-16-1-1 ({n_runs})", bottlenecks_dead),
):
    print(
        f"dead at the start, {what}: {share.rate:.1%} "
        f"[{share.low:.1%}, {share.high:.1%}]"
    )
print(f"most dead units in one 2-16-1: {int(dead_units.sum(1).max())} of 16")
print(
    f"2-16-1 after 5000 epochs: its units are on for "
    f"{runs_2_16_1.active[-1].min():.0%} (least active run) to "
    f"{runs_2_16_1.active[-1].max():.0%} (most active) of the points on "
    "average"
)

# %% tags=["deeper", "checks"]
assert dead_units.sum(1).max() <= 4
assert units_dead.high < bottlenecks_dead.low
assert runs_2_16_1.active[-1].min() > 0.15

# %% [markdown] tags=["deeper"]
# A first-layer unit starts dead less often than the bottleneck
# ({{ units_dead.rate:.1% }} of the units, interval {{ units_dead.low:.1% }}
# to {{ units_dead.high:.1% }}, against {{ bottlenecks_dead.rate:.1% }} of
# the bottlenecks, {{ bottlenecks_dead.low:.1% }} to
# {{ bottlenecks_dead.high:.1% }}), and never more
# than {{ int(dead_units.sum(1).max()) }} of the sixteen in one network;
# and whatever single units did during training, in no 2-16-1 run did the
# layer go silent (in the least active run, its units are on for
# {{ runs_2_16_1.active[-1].min():.0% }} of the points on average). The
# surviving units carry the gradient, and the run learns.

# %% [markdown] tags=["deeper"]
# ### Successful runs, twin by twin
#
# The two networks can draw the same boundaries; does training find equally
# good ones? Where the 2-16-1-1 run succeeded, we compare its accuracy after
# 5000 epochs with that of its 2-16-1 twin (same seed, same rate), with the
# sign test used for the budgets, ties left out:

# %% tags=["deeper"]
acc_2_16_1_1 = runs_2_16_1_1.accuracy[-1][~failed]  # successful runs
acc_twin = runs_2_16_1.accuracy[-1][~failed]  # their twins
difference = acc_2_16_1_1 - acc_twin
n_higher = int((difference > 0).sum())
n_lower = int((difference < 0).sum())
n_tied = int((difference == 0).sum())
p_twins = sign_test(n_higher, n_lower)
print(
    f"{len(difference)} pairs: 2-16-1-1 higher {n_higher}, tied {n_tied}, "
    f"lower {n_lower}; sign test p = {p_twins:.2g}"
)
print(
    "difference in accuracy, 2-16-1-1 minus twin: from "
    f"{difference.min():+.1%} to {difference.max():+.1%}, median "
    f"{difference.median():+.1%}"
)

# %% tags=["deeper", "checks"]
assert n_higher + n_lower + n_tied == int((~failed).sum())

# %% [markdown] tags=["deeper"]
# In {{ n_tied }} of the {{ len(difference) }} pairs the two accuracies are
# equal. Where they differ, the 2-16-1-1 run is lower in {{ n_lower }} pairs
# and higher in {{ n_higher }}; if neither network had the edge, each
# differing pair would go either way with chance $\tfrac12$, and the sign
# test gives *p* = {{ p_twins:.2g }}. So the bottleneck costs a little even
# when it survives: its successful runs end behind their twins more often
# than ahead, by up to {{ -difference.min():.1% }} of the points (ahead by
# up to {{ difference.max():.1% }}). It can draw every boundary the 2-16-1
# network draws, but training finds a slightly worse one more often than a
# better one.

# %% [markdown] tags=["deeper"]
# ### Where the logits go: float32 and `BCELoss`
#
# The notes' `Sigmoid` + `BCELoss` differ from our loss only for logits
# beyond about $\pm 16.6$, where float32 saturates
# ([page 8](../08_qwerties/)). At the three budgets, no run's logit on a
# misclassified point goes beyond $|z|$ = {{ largest_wrong_z:.1f }};
# correctly classified points reach {{ largest_z:.1f }}, where at most a
# gradient below $e^{-16.6} \approx 6 \times 10^{-8}$ is lost.

# %% [markdown]
# ## Key points
#
# - `print(model)` lists a network's layers; the 2-16-1-1 network has only
#   two parameters more than the 2-16-1 network.
# - Whether one training succeeds depends on its seed: measure a failure
#   share over many runs, with an interval, not from one run per setting.
# - A ReLU unit off on every training point passes no gradient; if it is a
#   layer's only unit, nothing below it learns, at any number of epochs.
# - After 5000 epochs, {{ share_2_16_1_1.rate[-1]:.1% }} of the 2-16-1-1
#   network's {{ n_runs }} runs fail (95 % interval
#   {{ share_2_16_1_1.low[-1]:.1% }} to {{ share_2_16_1_1.high[-1]:.1% }}),
#   {{ n_failed_2_16_1[-1] }} of the 2-16-1 network's (interval
#   {{ share_2_16_1.low[-1]:.1% }} to {{ share_2_16_1.high[-1]:.1% }}): a
#   wider layer stops only if all its units die together.
# - A one-unit layer adds no boundary the 2-16-1 network cannot draw.

# %% [markdown]
# ## Try it
#
# **Exercise 1.** Widen the bottleneck: compare 2-16-1-1 with 2-16-2-1 and
# 2-16-4-1 (`architectures=` of `multilayer_comparison`) on learning rates
# 0.02, 0.06 and 0.1, 12 runs each, after 1000 epochs. Count the failed runs
# of each network and give the share with its Wilson interval. How do the
# failures change?

# %% tags=["solution"]
widened = multilayer_comparison(
    torch.tensor([0.02, 0.06, 0.1]),
    runs=12,
    checkpoints=(1000,),
    architectures=((2, 16, 1, 1), (2, 16, 2, 1), (2, 16, 4, 1)),
    seed=0,
)
shares = []
for result in widened:
    n_failed = (result.accuracy[0] < 0.9).sum()
    n_total = result.accuracy[0].numel()
    share = wilson_interval(n_failed, n_total)
    shares.append(share)
    print(
        f"{'-'.join(map(str, result.sizes)):9s} failed {n_failed:2d}/"
        f"{n_total}  {share.rate:5.1%}  [{share.low:.1%}, {share.high:.1%}]"
    )
fail_1, fail_2, fail_4 = shares

# %% tags=["solution", "checks"]
assert fail_2.high < fail_1.low and fail_4.high < fail_1.low

# %% [markdown] tags=["solution"]
# Every extra unit in the narrow layer is another path for the gradient:
# the layer is stuck only when all of its units die together. One spare unit
# already brings the failures down from {{ fail_1.rate:.1% }} (interval
# {{ fail_1.low:.1% }} to {{ fail_1.high:.1% }}) to {{ fail_2.rate:.1% }}
# ({{ fail_2.low:.1% }} to {{ fail_2.high:.1% }}), and the intervals do not
# overlap. Those of 2-16-2-1 and 2-16-4-1 overlap almost entirely: this
# small sample cannot tell the two apart.

# %% [markdown]
# **Exercise 2.** Train the dead network of seed `dead_seed` (above) with
# `train` for 2000 epochs, binary cross-entropy from the logits
# (`loss="bce_with_logits"`), SGD at learning rate 0.05. Which parameters
# changed? What is its accuracy, and what did the output bias $d$ converge
# to?

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

# %% tags=["solution", "checks"]
assert changed == ["d"] and final_accuracy == 0.5 and abs(d) < 0.01

# %% [markdown] tags=["solution"]
# Only $d$ moved. With every other gradient zero, the network's output is
# the constant $d$ for every point, and the cost is smallest when
# $\sigma(d)$ equals the share of class 1, $\tfrac12$, that is at $d = 0$:
# the gradient $\partial C / \partial d$ is the mean of $\sigma(d) - y_i$,
# zero exactly there. Every point gets the same logit, hence the same class,
# so the network is right on exactly half of them
# ({{ final_accuracy:.0% }}), whatever the number of epochs.

# %% [markdown]
# **Exercise 3 (pencil and paper).** Exercise 1 widens the bottleneck.
# Count by hand the parameters of its 2-16-2-1 and 2-16-4-1 networks: each
# layer has one weight per (input, output) pair and one bias per output.
# How many parameters does each extra unit of the narrow layer add, and
# which layer holds most of them in 2-16-4-1? Check with
# `sum(p.numel() for p in model.parameters())`.

# %% tags=["solution"]
counts, per_layer = {}, {}
for sizes in ([2, 16, 1, 1], [2, 16, 2, 1], [2, 16, 4, 1]):
    name = "-".join(map(str, sizes))
    params = [p.numel() for p in mlp(sizes, seed=0).parameters()]
    # parameters() gives weight, bias, weight, bias, ... layer by layer
    weights, biases = params[::2], params[1::2]
    per_layer[name] = [w + b for w, b in zip(weights, biases, strict=True)]
    counts[name] = sum(params)
    print(f"{name}: {counts[name]} parameters, per layer {per_layer[name]}")
count_1, count_2, count_4 = counts.values()
per_unit = count_2 - count_1  # one more unit in the narrow layer
narrow_4 = per_layer["2-16-4-1"][1]  # 2-16-4-1's second layer

# %% tags=["solution", "checks"]
assert count_1 == 67
assert count_2 == (2 * 16 + 16) + (16 * 2 + 2) + (2 + 1)
assert count_4 == (2 * 16 + 16) + (16 * 4 + 4) + (4 + 1)
assert count_4 - count_2 == 2 * per_unit == 2 * (16 + 1 + 1)

# %% [markdown] tags=["solution"]
# The first layer has $2 \cdot 16$ weights and 16 biases,
# $2 \cdot 16 + 16 = 48$ parameters, in every one of these networks. A narrow layer of $k$ units has $16k$ weights
# and $k$ biases, and the output layer $k$ weights and 1 bias. So 2-16-2-1
# has $48 + 34 + 3$ = {{ count_2 }} and 2-16-4-1 has $48 + 68 + 5$ =
# {{ count_4 }}, against {{ count_1 }} for 2-16-1-1. Each extra unit adds
# $16 + 1 + 1$ = {{ per_unit }} parameters: 16 weights in, its bias and one
# weight out. In 2-16-4-1 the narrow layer, with {{ narrow_4 }}, holds more
# than the first; in 2-16-1-1 the first layer holds most. Exercise 1 shows
# what these few parameters buy: far fewer failed runs.

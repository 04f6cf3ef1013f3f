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
# # 4. Loss and cost

# %% [markdown] tags=["header"]
# **Lecture 43** of the course ([the notes' passage](../../notes/#lecture-43)). The notes
# give the squared error (with a ½) and the cross-entropy, define the cost as the mean
# of the losses, and claim that updating the weights after every single observation
# "will overfit the model": batches of 20 are best.
#
# After this page you can:
#
# - compute a squared error, a binary cross-entropy and their cost, by hand and with
#   PyTorch;
# - say what the notes' ½ changes (every gradient, by a factor 2) and what it does not;
# - choose a batch size knowing what it trades: steps per epoch against noisy steps.

# %% [markdown]
# A network that has just been built guesses. To improve, it needs one number that says
# how wrong its guesses are, a number that training can push down. A
# [**loss**](../../glossary/#loss) scores one prediction against its target; a
# [**cost**](../../glossary/#cost) averages the losses over many
# [observations](../../glossary/#observation).
#
# ## The idea
#
# **Squared error**, for a target that is a number (a price, a temperature). For one
# observation with prediction $\hat y$ and target $y$ the loss is
#
# $$
# L(\hat y, y) = (\hat y - y)^2 .
# $$
#
# [The notes](../../notes/#lecture-43) write $L = \tfrac12(\hat y - y)^2$. The ½ is a
# convention: differentiating a square brings down a 2, and the ½ cancels it,
#
# $$
# \frac{\partial}{\partial \hat y}(\hat y - y)^2 = 2(\hat y - y),
# \qquad
# \frac{\partial}{\partial \hat y}\,\tfrac12(\hat y - y)^2 = \hat y - y .
# $$
#
# PyTorch's `nn.MSELoss` has no ½, so its gradients are twice the notes'. (The notes
# call this one-observation formula the *mean* squared error; the mean comes with the
# cost, below.)
#
# **Binary cross-entropy**, for a prediction that is a probability $\hat y \in (0, 1)$
# of class 1 and a target $y \in \{0, 1\}$:
#
# $$
# L(\hat y, y) = -\bigl[\, y \log \hat y + (1 - y) \log (1 - \hat y) \,\bigr].
# $$
#
# Only one of the two terms is ever switched on: for $y = 1$ the loss is $-\log \hat y$,
# for $y = 0$ it is $-\log(1 - \hat y)$. (The notes print
# "$y \_ \log(\hat y) + (1-y) \_ \log(1-\hat y)$": the two multiplication signs `*`
# were eaten by Markdown, which reads a pair of `*` as italics.)
#
# **Cost.** The cost of $n$ observations is the mean of their losses,
#
# $$
# C = \frac{1}{n} \sum_{i=1}^{n} L(\hat y_i, y_i),
# $$
#
# as PyTorch computes it by default, with `reduction="mean"`. (The notes drop the
# index $i$ inside the sum; each observation brings its own prediction and target.)
#
# **Training.** A model's [parameters](../../glossary/#parameter) (its weights and
# biases) are the numbers training may change. Each step of
# [gradient descent](../../glossary/#gradient-descent) moves every parameter $\theta$
# a little against the [gradient](../../glossary/#gradient) of the cost,
#
# $$
# \theta \leftarrow \theta - \eta \, \frac{\partial C}{\partial \theta},
# $$
#
# where the [learning rate](../../glossary/#learning-rate) $\eta$ sets the step's size.

# %% [markdown]
# ## The ½ and the factor 2
#
# Take the regression data of lecture 45 (page 6): 50 points around the line $y = x$
# from `regression_data`. Take a line $\hat y = b + w x$ that does not fit them yet
# ($w = 0.5$, $b = 0.2$), and compute its cost twice: with the notes' ½, through `mse`
# with `half=True`, and with PyTorch's `nn.MSELoss`. PyTorch's
# [autograd](../../glossary/#autograd) then computes each cost's gradient:
# `cost.backward()` fills `w.grad` with $\partial C / \partial w$ for a tensor `w`
# created with `requires_grad=True`.

# %%
import math

import torch
from torch import nn

from annlab.by_hand.losses import mse
from annlab.data import regression_data

x, y = regression_data(slope=1.0, n_points=50, seed=0)


def half_mse(prediction, target):
    """The notes' cost: the mean of ½(ŷ − y)²."""
    return mse(prediction, target, half=True)


def cost_and_gradient(cost_function, w=0.5, b=0.2):
    """The cost of the line b + w·x and its gradient (∂C/∂w, ∂C/∂b)."""
    w = torch.tensor(w, requires_grad=True)
    b = torch.tensor(b, requires_grad=True)
    cost = cost_function(b + w * x, y)
    cost.backward()
    return cost.item(), w.grad.item(), b.grad.item()


lecture = cost_and_gradient(half_mse)
pytorch = cost_and_gradient(nn.MSELoss())
print("                cost     dC/dw     dC/db")
print("with the ½:  {:8.4f}  {:8.4f}  {:8.4f}".format(*lecture))
print("nn.MSELoss:  {:8.4f}  {:8.4f}  {:8.4f}".format(*pytorch))
ratios = [p / h for p, h in zip(pytorch, lecture, strict=True)]
print("ratio:       {:8.4f}  {:8.4f}  {:8.4f}".format(*ratios))

# %% tags=["checks"]
for ratio in ratios:
    assert math.isclose(ratio, 2.0, rel_tol=1e-5)

# %% [markdown]
# The cost and both partial derivatives are twice as large without the ½ (ratios
# {{ ratios[0]:.4f }}, {{ ratios[1]:.4f }} and {{ ratios[2]:.4f }}). By hand, with the
# [chain rule](../../glossary/#chain-rule) through $\hat y_i = b + w x_i$, the notes'
# cost has
#
# $$
# \frac{\partial C}{\partial w}
#   = \frac1n \sum_{i=1}^{n}
#     \underbrace{(\hat y_i - y_i)}_{\partial L_i / \partial \hat y_i}
#     \, \underbrace{x_i}_{\partial \hat y_i / \partial w},
# \qquad
# \frac{\partial C}{\partial b} = \frac1n \sum_{i=1}^{n} (\hat y_i - y_i) \cdot 1,
# $$
#
# and PyTorch's a 2 in front of each (Going deeper checks both against autograd).
#
# Does the ½ matter? Not for *where* the minimum is: halving a function does not move
# its lowest point. By the update rule above, it halves every step, like halving the
# learning rate. Train the notes' one linear unit (`regression_unit`,
# seeded) for 30 [epochs](../../glossary/#epoch) (passes over all 50 points) with
# `train`, once with `nn.MSELoss`'s cost at learning rate 0.05 and once with the
# notes' cost at 0.1:

# %%
from annlab.models import regression_unit
from annlab.training import train

run_pytorch = train(
    regression_unit(seed=0), x, y, epochs=30, loss="mse", learning_rate=0.05
)
run_lecture = train(
    regression_unit(seed=0), x, y, epochs=30, loss=half_mse, learning_rate=0.1
)
for name, p_torch, p_half in zip(
    ("weight", "bias"),
    run_pytorch.model.parameters(),
    run_lecture.model.parameters(),
    strict=True,
):
    print(
        f"{name}: MSELoss at 0.05 -> {p_torch.item():.6f}, "
        f"with ½ at 0.1 -> {p_half.item():.6f}"
    )
cost_ratio = run_pytorch.epoch_losses / run_lecture.epoch_losses
print(
    f"ratio of the two runs' costs over the 30 epochs: "
    f"{cost_ratio.min():.4f} to {cost_ratio.max():.4f}"
)

# %% tags=["checks"]
for p_torch, p_half in zip(
    run_pytorch.model.parameters(),
    run_lecture.model.parameters(),
    strict=True,
):
    assert torch.allclose(p_torch, p_half, atol=1e-6)
assert torch.allclose(
    run_pytorch.epoch_losses, 2 * run_lecture.epoch_losses, rtol=1e-5
)

# %% [markdown]
# The two runs end on the same weight and bias, and at every epoch one cost is twice
# the other.
#
# ## Binary cross-entropy against squared error
#
# Write each loss for one observation, as in the formulas above, and check both
# against PyTorch's functions with `reduction="none"` (one loss per observation, no
# averaging):

# %%
import matplotlib.pyplot as plt
import torch.nn.functional as F


def cross_entropy_loss(y_hat, y):
    """Binary cross-entropy of each observation."""
    return -(y * torch.log(y_hat) + (1 - y) * torch.log(1 - y_hat))


def squared_error_loss(y_hat, y):
    """Squared error of each observation: (ŷ − y)²."""
    return (y_hat - y) ** 2


y_hat = torch.linspace(0.001, 0.999, 999)
curves = {}
for target in (1.0, 0.0):
    y_true = torch.full_like(y_hat, target)
    curves[target] = (
        cross_entropy_loss(y_hat, y_true),
        squared_error_loss(y_hat, y_true),
    )
    by_torch = (
        F.binary_cross_entropy(y_hat, y_true, reduction="none"),
        F.mse_loss(y_hat, y_true, reduction="none"),
    )
    agree = [
        torch.allclose(ours, theirs, atol=1e-5)
        for ours, theirs in zip(curves[target], by_torch, strict=True)
    ]
    print(f"y = {target:.0f}, agree with PyTorch (BCE, squared error):", agree)

print("prediction ŷ   y   cross-entropy   squared error")
for target in (1.0, 0.0):
    for i in (9, 499, 989):
        bce, se = curves[target][0][i].item(), curves[target][1][i].item()
        print(f"{y_hat[i]:12.2f}  {target:2.0f}  {bce:14.3f}  {se:14.3f}")

# %% tags=["checks"]
for target in (1.0, 0.0):
    y_true = torch.full_like(y_hat, target)
    assert torch.allclose(
        curves[target][0],
        F.binary_cross_entropy(y_hat, y_true, reduction="none"),
        atol=1e-5,
    )
    assert torch.allclose(
        curves[target][1], F.mse_loss(y_hat, y_true, reduction="none")
    )
assert curves[1.0][1].max() <= 1 and curves[0.0][1].max() <= 1
assert curves[1.0][0][9] > 4.5  # ŷ = 0.01 for y = 1

# %% [markdown]
# Both losses are 0 for a perfect prediction and grow as $\hat y$ moves away from $y$,
# but not by the same amount. Plot both against the prediction, for each true class,
# in colours from `annlab`'s colour-blind-safe `COLORS`:

# %% alt="Two panels, loss against the predicted probability from 0 to 1. Left, true class 1: the cross-entropy curve -log(y-hat) shoots up towards the left edge, past 4 near y-hat = 0, while the squared error (1 - y-hat) squared is a gentle parabola that never exceeds 1; both are 0 at y-hat = 1. Right, true class 0: the mirror image, both 0 at y-hat = 0, cross-entropy rising steeply towards y-hat = 1 and squared error reaching at most 1."
from annlab.plots.colors import COLORS

fig, axes = plt.subplots(
    1, 2, figsize=(10, 3.8), layout="constrained", sharey=True
)
for ax, target in zip(axes, (1.0, 0.0), strict=True):
    bce, se = curves[target]
    ax.plot(y_hat, bce, color=COLORS["blue"], label="binary cross-entropy")
    ax.plot(
        y_hat,
        se,
        color=COLORS["orange"],
        linestyle="--",
        label="squared error",
    )
    ax.set(
        xlabel="predicted probability ŷ of class 1",
        title=f"true class y = {target:.0f}",
        ylim=(0, 5),
    )
    ax.legend(loc="upper center")
axes[0].set_ylabel("loss of one observation")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** The loss of one observation against its predicted probability $\hat y$,
# for a true class 1 (left) and 0 (right). The squared error (dashed) never exceeds 1;
# the cross-entropy (solid) has no ceiling as a wrong prediction grows confident.

# %% [markdown]
# For a probability, the squared error never exceeds 1, however confident the wrong
# answer. Cross-entropy has no ceiling: it is {{ curves[1.0][0][9]:.3f }} at
# $\hat y$ = {{ y_hat[9]:.2f }} for $y = 1$ (the first printed row), and $+\infty$ at
# $\hat y = 0$. After a [sigmoid](../../glossary/#sigmoid), this keeps training's push
# strong where the squared error's fades (derived in Going deeper).
#
# ## Cost: the mean of the losses
#
# A cost needs predictions. Take the "qwerties" of lecture 47 (page 8), 200 points in
# two clusters from `qwerties`, and one sigmoid neuron with
# [seeded](../../glossary/#seed) initial weights
# from `mlp`; its untrained predictions, from `predict`, are the $\hat y_i$. Average
# the 200 losses by hand and compare with `annlab`'s cost and PyTorch's reductions:

# %%
from annlab.by_hand.losses import binary_cross_entropy
from annlab.data import qwerties
from annlab.models import mlp
from annlab.training import predict

x_q, y_q = qwerties(n_per_cluster=100, seed=0)
neuron = mlp([2, 1], output_activation="sigmoid", seed=0)
y_hat_q = predict(neuron, x_q)

losses = cross_entropy_loss(y_hat_q, y_q)
cost = losses.mean()
n = len(losses)
print(f"{n} losses, from {losses.min():.3f} to {losses.max():.3f}")
print(f"their mean (the cost):           {cost:.6f}")
print(
    f"annlab binary_cross_entropy:     "
    f"{binary_cross_entropy(y_hat_q, y_q):.6f}"
)
print(
    f"nn.BCELoss(reduction='mean'):    "
    f"{nn.BCELoss(reduction='mean')(y_hat_q, y_q):.6f}"
)
print(
    f"nn.BCELoss(reduction='sum') / n: "
    f"{nn.BCELoss(reduction='sum')(y_hat_q, y_q) / n:.6f}"
)

# %% tags=["checks"]
assert torch.allclose(cost, binary_cross_entropy(y_hat_q, y_q))
assert torch.allclose(cost, nn.BCELoss(reduction="mean")(y_hat_q, y_q))
assert torch.allclose(losses, nn.BCELoss(reduction="none")(y_hat_q, y_q))
assert torch.allclose(n * cost, nn.BCELoss(reduction="sum")(y_hat_q, y_q))

# %% [markdown]
# Because the cost is a mean, so is its gradient. The derivative of a sum is the sum of
# the derivatives, so
#
# $$
# \frac{\partial C}{\partial \theta}
#   = \frac{1}{n} \sum_{i=1}^{n} \frac{\partial L_i}{\partial \theta},
# $$
#
# where $L_i$ is the loss of observation $i$: a step on the cost of all $n$
# observations is the average of the $n$ steps each observation alone would ask for.
# A step on the cost of a *batch*, a few observations, uses the average over that batch
# only: an estimate of the full gradient, exact on average but noisy. Going deeper
# measures how noisy.

# %% [markdown]
# ## One, twenty or all: the batch size
#
# A **step** (or update) changes the parameters once, by the rule above, using the
# cost of one batch of observations. An **epoch** is one pass over all the training
# observations, so an epoch of $n$ observations in batches of $k$ takes $n/k$ steps.
# With $k = n$ (the full batch) every step follows the exact gradient of the cost;
# steps on randomly drawn smaller batches are
# [stochastic gradient descent](../../glossary/#sgd) (SGD), with a batch of one
# observation at the small end and a [mini-batch](../../glossary/#mini-batch) of a few
# (the notes' 20) in between.
#
# The notes' example has 2000 observations and batches of 20. To build in seconds we
# take the 200 qwerties, batches of 1, 20 and 200 (the full set), the same neuron and
# initial weights, learning rate 0.05 and 10 epochs: one run per batch size. `train`'s
# `batch_size` shuffles the rows every epoch and takes one step per batch. Each run is
# then scored on the training set and on 1000 fresh qwerties (`seed=1`), the held-out
# set.

# %%
x_new, y_new = qwerties(n_per_cluster=500, seed=1)
runs = {}
for batch_size in (1, 20, None):  # None: the full batch
    runs[batch_size] = train(
        mlp([2, 1], output_activation="sigmoid", seed=0),
        x_q,
        y_q,
        epochs=10,
        loss="bce",
        learning_rate=0.05,
        batch_size=batch_size,
    )

final, trained, held_out = {}, {}, {}
print("batch  steps  last epoch's mean  training cost  held-out cost")
for batch_size, run in runs.items():
    final[batch_size] = run.epoch_losses[-1].item()
    trained[batch_size] = binary_cross_entropy(
        predict(run.model, x_q), y_q
    ).item()
    held_out[batch_size] = binary_cross_entropy(
        predict(run.model, x_new), y_new
    ).item()
    print(
        f"{batch_size or n:5d}  {len(run.update_losses):5d}  "
        f"{final[batch_size]:17.3f}  {trained[batch_size]:13.3f}  "
        f"{held_out[batch_size]:13.3f}"
    )

# %% tags=["checks"]
assert final[1] < final[20] < final[None]
assert trained[1] < trained[20] < trained[None]

# %% [markdown]
# The columns: steps in 10 epochs, the mean of the last epoch's step costs, and the
# trained neuron's cost on the training and held-out points. A run records two curves:
# `update_losses`, one entry per step (the cost of that step's batch, before the
# step), and `epoch_losses`, one per epoch (the mean of its step costs). `plot_losses`
# draws each:

# %% alt="Two panels. Left, cost against the number of steps on a logarithmic axis from 1 to {{ len(runs[1].update_losses) }}: the full-batch run is a line of {{ len(runs[None].update_losses) }} marked steps ending at {{ runs[None].update_losses[-1]:.2f }}; the batch-of-20 run takes {{ len(runs[20].update_losses) }} jagged steps; the batch-of-1 run takes {{ len(runs[1].update_losses) }} steps and is a dense band of jumps between 0 and up to {{ runs[1].update_losses.max():.2f }}, since each step scores one observation, its low edge sinking as it goes. Right, mean cost of each epoch against epochs 1 to 10: the batch-of-1 run is lowest at every epoch and ends at {{ final[1]:.2f }}, the batch-of-20 run in the middle at {{ final[20]:.2f }}, and the full-batch run highest, from {{ runs[None].epoch_losses[0]:.2f }} at epoch 1 to {{ final[None]:.2f }} at epoch 10."
from annlab.plots.curves import plot_losses

fig, (ax_steps, ax_epochs) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
for batch_size, run in runs.items():
    label = f"batch of {batch_size or n}"
    plot_losses(
        run.update_losses,
        ax=ax_steps,
        label=label,
        x_label="step (one update of the weights)",
        y_label="cost of the step's batch",
    )
    plot_losses(
        run.epoch_losses,
        ax=ax_epochs,
        label=label,
        x_label="epoch (one pass over all 200 points)",
        y_label="mean cost over the epoch",
    )
batch_of_1, full_batch = ax_steps.lines[0], ax_steps.lines[2]
batch_of_1.set(linewidth=0.6, alpha=0.7)  # 2000 jumpy steps: keep them light
full_batch.set(marker="o", markersize=4)  # only 10 steps: mark each one
ax_steps.legend()  # redrawn, to show the new styles
ax_steps.set_xscale("log")
ax_steps.set_title("against steps (log scale)")
ax_epochs.set_title("against epochs")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** One run per batch size, all at learning rate 0.05. Left: the cost of
# each step's batch against the step number (log scale); the batch of 1 jumps from
# step to step. Right: the mean cost of each epoch against the epoch; in these runs
# the smaller the batch, the lower the curve.

# %% [markdown]
# How jumpy is each run? For each, the share of steps whose batch cost is higher than
# the step before, and the mean size of the change from one step to the next:

# %%
rises, jumps = {}, {}
print("batch  steps that rose  mean change between steps")
for batch_size, run in runs.items():
    changes = run.update_losses.diff()
    rises[batch_size] = (changes > 0).float().mean().item()
    jumps[batch_size] = changes.abs().mean().item()
    print(
        f"{batch_size or n:5d}  {rises[batch_size]:15.0%}  "
        f"{jumps[batch_size]:25.3f}"
    )

# %% tags=["checks"]
assert rises[None] == 0 and 0.3 < rises[1] < 0.7
assert jumps[1] > 2 * jumps[20] > 2 * jumps[None]

# %% [markdown]
# What the three runs show:
#
# - **Per epoch, the smaller batches got further** (right panel): in 10 epochs the
#   batch-of-1 run took {{ len(runs[1].update_losses) }} steps, the batch-of-20 run
#   {{ len(runs[20].update_losses) }} and the full batch
#   {{ len(runs[None].update_losses) }}, and their training costs are ordered the same
#   way: {{ trained[1]:.3f }}, {{ trained[20]:.3f }} and {{ trained[None]:.3f }}.
# - **Per step, the full batch is steady** (left panel): each step follows the exact
#   gradient, and its cost went down at all {{ len(runs[None].update_losses) }} steps.
#   A batch-of-1 step follows one observation and is scored on one:
#   {{ rises[1]:.0% }} of its step costs rose, and a step's cost changed by
#   {{ jumps[1]:.3f }} on average.
# - **More steps cost more time**, each paying a fixed overhead (timed in Going
#   deeper).
# - **Mini-batches trade the two**: the batch-of-20 run's step costs rose at
#   {{ rises[20]:.0% }} of its steps but changed by {{ jumps[20]:.3f }} on average, and
#   it still took {{ len(runs[20].update_losses) }} steps.
#
# ## Questions
#
# **Why the ½ in front of the squared error?** So that the derivative is $\hat y - y$
# without a 2. It halves every gradient, like halving the learning rate: the run with
# the ½ at 0.1 and the one without at 0.05 ended on the same weights. Between the notes
# and PyTorch, double or halve the learning rate.
#
# **Does updating after every single observation "overfit"?**
# [The notes](../../notes/#lecture-43) say it "will overfit the model". Overfitting
# means fitting the training set at the expense of new data: a training cost far below
# the held-out cost. The gaps of the three runs:

# %%
gaps = {b: held_out[b] - trained[b] for b in runs}
for batch_size, gap in gaps.items():
    print(
        f"batch of {batch_size or n:3d}: held-out minus training cost "
        f"= {gap:+.3f}"
    )

# %% tags=["checks"]
assert all(abs(gap) < 0.05 for gap in gaps.values())
assert held_out[1] == min(held_out.values())

# %% [markdown]
# The gaps are {{ gaps[1]:+.3f }}, {{ gaps[20]:+.3f }} and {{ gaps[None]:+.3f }} for
# batches of 1, 20 and {{ n }}, and the batch-of-1 run has the lowest held-out cost,
# {{ held_out[1]:.3f }}. This neuron cannot overfit at any batch size: its 3
# parameters draw one straight line, which cannot memorise 200 points. Overfitting
# needs a model flexible enough to memorise; in Going deeper (*A model that can
# overfit*) a network of more than a thousand parameters, trained on 20 points per
# class, overfits with batches of 1 as well as with the full batch. So the notes'
# claim is wrong: single-observation updates are **noisy**, and **slow in wall-clock
# time** (the notes' "time consuming" is right), but not a cause of overfitting.
#
# **Does averaging over too many observations "decrease the sensitivity"?** Not of the
# gradient: the full-batch gradient is the exact gradient of the cost. What is lost is
# the number of steps, one per epoch: in 10 epochs the full-batch run took
# {{ len(runs[None].update_losses) }} steps and ended with the highest training cost,
# {{ trained[None]:.3f }}.
#
# **Is minimising the cost "the entire goal of deep learning"?** It is the means. The
# goal is a model that does well on data it has not seen; the held-out cost checks
# that pushing the training cost down helped. And an optimiser finds a
# [local minimum](../../glossary/#local-minimum) of the training cost, not
# necessarily the lowest one.
#
# **Which loss for which task?** Squared error for a number, binary cross-entropy for
# the probability of one of two classes. The notes' digit recognition has ten classes:
# it needs the *categorical* cross-entropy (Going deeper).

# %% [markdown]
# ## Going deeper
#
# Each section below holds a measurement behind a shorter sentence of the main path.
# Open the ones you want; nothing above depends on them.

# %% [markdown] tags=["deeper"]
# ### The squared error's gradient by hand
#
# The main path gave the gradient of the notes' cost for the line
# $\hat y = b + wx$; PyTorch's is twice that. `linear_mse_gradient` writes both out
# (page 5 derives gradients like these step by step); they agree with autograd:

# %% tags=["deeper"]
from annlab.by_hand.gradients import linear_mse_gradient

for half in (True, False):
    by_hand = linear_mse_gradient(x, y, torch.tensor([0.5]), 0.2, half=half)
    print(
        f"half={half!s:5}  by hand: dC/dw = {by_hand.weights.item():.4f}, "
        f"dC/db = {by_hand.bias:.4f}"
    )

# %% tags=["deeper", "checks"]
for half, autograd in ((True, lecture), (False, pytorch)):
    by_hand = linear_mse_gradient(x, y, torch.tensor([0.5]), 0.2, half=half)
    assert math.isclose(by_hand.weights.item(), autograd[1], rel_tol=1e-5)
    assert math.isclose(by_hand.bias, autograd[2], rel_tol=1e-5)

# %% [markdown] tags=["deeper"]
# ### Why cross-entropy after a sigmoid: the push on the logit
#
# Training does not follow a loss's size but its slope with respect to what the
# network computes: the [logit](../../glossary/#logit) $z$, with
# $\hat y = \sigma(z) = 1/(1 + e^{-z})$. The sigmoid's slope is
# $\sigma'(z) = \hat y (1 - \hat y)$, and by the [chain rule](../../glossary/#chain-rule)
# $\partial L / \partial z = (\partial L / \partial \hat y)\,\sigma'(z)$. For the
# cross-entropy, $\partial L/\partial \hat y = -y/\hat y + (1 - y)/(1 - \hat y)
# = (\hat y - y) / \bigl(\hat y (1 - \hat y)\bigr)$, so
#
# $$
# \frac{\partial}{\partial z}\Big[-y \log \hat y - (1 - y)\log(1 - \hat y)\Big]
#   = \hat y - y,
# \qquad
# \frac{\partial}{\partial z}(\hat y - y)^2 = 2(\hat y - y)\,\hat y (1 - \hat y).
# $$
#
# In the cross-entropy the sigmoid's slope cancels; in the squared error it stays, and
# it is close to 0 wherever the sigmoid is flat, that is, wherever the prediction is
# confident, right *or wrong*. The cell checks both formulas against autograd for a
# point of class 1 at five logits:

# %% tags=["deeper"]
logits = torch.linspace(-6, 6, 5, requires_grad=True)
ones = torch.ones(5)  # class 1 at every logit
probs = torch.sigmoid(logits)
bce_sum = F.binary_cross_entropy(probs, ones, reduction="sum")
(bce_push,) = torch.autograd.grad(bce_sum, logits, retain_graph=True)
(se_push,) = torch.autograd.grad(((probs - ones) ** 2).sum(), logits)
probs = probs.detach()

print("    z      ŷ    ∂BCE/∂z   ∂SE/∂z")
for row in zip(logits.tolist(), probs, bce_push, se_push, strict=True):
    print("{:5.0f}  {:.4f}  {:8.4f}  {:8.4f}".format(*row))
weaker = bce_push[0] / se_push[0]

# %% tags=["deeper", "checks"]
assert torch.allclose(bce_push, probs - ones)
assert torch.allclose(se_push, 2 * (probs - ones) * probs * (1 - probs))

# %% [markdown] tags=["deeper"]
# At $z = -6$ the prediction is confidently wrong ($\hat y$ = {{ probs[0]:.4f }}).
# Cross-entropy pushes $z$ up with almost full strength, {{ bce_push[0]:.4f }};
# the squared error pushes with {{ se_push[0]:.4f }}, {{ weaker:.0f }} times weaker.
# A sigmoid trained on the squared error learns slowest exactly where it is most
# wrong; with cross-entropy the push is the error itself. Page 8 meets the same
# contrast on the points of a trained classifier.

# %% [markdown] tags=["deeper"]
# ### A certain and wrong prediction costs 100
#
# At $\hat y = 0$ for $y = 1$ the cross-entropy is $-\log 0 = +\infty$. PyTorch stops
# the infinity by clamping each log at $-100$; `binary_cross_entropy` does the same:

# %% tags=["deeper"]
certain_and_wrong = (torch.tensor([0.0]), torch.tensor([1.0]))
print("annlab: ", binary_cross_entropy(*certain_and_wrong).item())
print("PyTorch:", F.binary_cross_entropy(*certain_and_wrong).item())

# %% tags=["deeper", "checks"]
assert binary_cross_entropy(*certain_and_wrong).item() == 100.0

# %% [markdown] tags=["deeper"]
# ### How noisy is a batch's gradient?
#
# The main path derived that the gradient of the cost is the mean of the single
# observations' gradients. Check it on the untrained neuron with
# `sigmoid_bce_gradient`, which computes the neuron's gradient on any set of rows
# (page 5 derives it):

# %% tags=["deeper"]
from annlab.by_hand.gradients import sigmoid_bce_gradient

weights = neuron[0].weight.detach().reshape(-1)
bias = neuron[0].bias.item()


def gradient_on(rows):
    """∂C/∂(w₁, w₂, b) of the cost over the observations in ``rows``."""
    g = sigmoid_bce_gradient(x_q[rows], y_q[rows], weights, bias)
    return torch.cat([g.weights, torch.tensor([g.bias])])


full_gradient = gradient_on(slice(None))
one_by_one = torch.stack([gradient_on([i]) for i in range(n)])
print("gradient of the cost over all 200:", full_gradient)
print("mean of the 200 single gradients: ", one_by_one.mean(dim=0))

# %% tags=["deeper", "checks"]
assert torch.allclose(full_gradient, one_by_one.mean(dim=0), atol=1e-6)

# %% [markdown] tags=["deeper"]
# A batch's gradient is an estimate of the full one. How good? Shuffle the 200 rows
# with a seeded generator from `as_generator`, cut them into batches, and measure how
# far each batch's gradient is from the full one, relative to the full gradient's
# length:

# %% tags=["deeper"]
from annlab.seeding import as_generator

order = torch.randperm(n, generator=as_generator(0))
spread = {}
for batch_size in (1, 20, n):
    errors = [
        (
            (gradient_on(rows) - full_gradient).norm() / full_gradient.norm()
        ).item()
        for rows in torch.split(order, batch_size)
    ]
    spread[batch_size] = sum(errors) / len(errors)
    print(
        f"batch size {batch_size:3d}: {len(errors):3d} steps per pass, "
        f"mean error of a step's gradient {spread[batch_size]:.3f}"
    )

# %% tags=["deeper", "checks"]
assert spread[1] > 1 and spread[1] > 3 * spread[20] and spread[n] < 1e-6

# %% [markdown] tags=["deeper"]
# The gradient of one observation is, on average, off by {{ spread[1]:.3f }} times the
# full gradient's own length: a single observation can point the step almost anywhere.
# Twenty observations cut that error to {{ spread[20]:.3f }},
# {{ spread[1] / spread[20]:.1f }} times smaller; all {{ n }} give the exact gradient.
# That is the trade the batch size controls: more observations per step means a more
# accurate step, and fewer steps per pass over the data.

# %% [markdown] tags=["deeper"]
# ### What the steps cost in wall-clock time
#
# Train the three runs of the main path again, this time with a stopwatch (same seeds,
# so the same runs):

# %% tags=["deeper", "wall-clock"]
import time

seconds, again = {}, {}
for batch_size in (1, 20, None):
    start = time.perf_counter()
    again[batch_size] = train(
        mlp([2, 1], output_activation="sigmoid", seed=0),
        x_q,
        y_q,
        epochs=10,
        loss="bce",
        learning_rate=0.05,
        batch_size=batch_size,
    )
    seconds[batch_size] = time.perf_counter() - start
    print(
        f"batch of {batch_size or n:3d}: "
        f"{len(again[batch_size].update_losses):4d} steps, "
        f"{seconds[batch_size] / 10:.4f} s per epoch"
    )

# %% tags=["deeper", "checks"]
for batch_size, run in again.items():  # the same seeds give the same runs
    assert torch.equal(run.epoch_losses, runs[batch_size].epoch_losses)
assert seconds[1] > 10 * seconds[None]

# %% [markdown] tags=["deeper"]
# On a model this small a step costs about the same whatever the batch size, so the
# time per epoch follows the number of steps (your seconds will differ from these).
# What does one step cost? Time one gradient computation (forward pass, cost, backward
# pass) on batches of 1, 20 and 200 rows, and on a full batch of a data set a thousand
# times larger, 100,000 qwerties per cluster. Each timing is the fastest of several
# tries, to keep other programs on the machine out of the measurement.

# %% tags=["deeper", "wall-clock"]
import timeit

x_big, y_big = qwerties(n_per_cluster=100_000, seed=2)
step_seconds = {}
for rows in (1, 20, 200, len(x_big)):
    model = mlp([2, 1], output_activation="sigmoid", seed=0)

    def one_gradient(rows=rows, model=model):
        model.zero_grad()
        cost = F.binary_cross_entropy(model(x_big[:rows]), y_big[:rows])
        cost.backward()

    step_seconds[rows] = (
        min(timeit.repeat(one_gradient, number=5, repeat=5)) / 5
    )
    print(
        f"{rows:7d} rows: {1e3 * step_seconds[rows]:7.3f} ms per step, "
        f"{1e6 * step_seconds[rows] / rows:9.3f} µs per observation"
    )

# %% tags=["deeper", "checks"]
assert step_seconds[len(x_big)] > 5 * step_seconds[1]
assert step_seconds[1] / 1 > 100 * step_seconds[len(x_big)] / len(x_big)

# %% [markdown] tags=["deeper"]
# Both halves of the trade are in these numbers. Per observation, a large batch is far
# cheaper: the arithmetic of many rows runs together, and a single row pays the whole
# fixed overhead of a step. Per step, a full batch of a large data set is far dearer:
# every one of the {{ len(x_big):, }} rows is touched before the weights move once.
# Mini-batches sit in between, cheap enough per step and efficient enough per
# observation.

# %% [markdown] tags=["deeper"]
# ### A model that can overfit
#
# The main path's neuron cannot overfit. A test of the notes' claim needs a model that
# can: 20 training points per class from two overlapping clusters, centres (1, 1) and
# (3, 1), and a network with two hidden [layers](../../glossary/#layer) of 32
# [ReLU](../../glossary/#relu) units (more than a thousand
# parameters, as the cell prints), trained with [Adam](../../glossary/#adam) at
# learning rate 0.01, with batches of 1 and with the full batch, 3 runs (seeds) each.
# Every so often we stop and measure the training cost and the cost on 1000 fresh
# points of the same two clusters. (Passing `train` an optimizer made once keeps
# Adam's running averages from one call to the next: the measurements do not disturb
# the run.)

# %% tags=["deeper", "cpu-sensitive"]
x_small, y_small = qwerties(centres=((1, 1), (3, 1)), n_per_cluster=20, seed=0)
x_far, y_far = qwerties(centres=((1, 1), (3, 1)), n_per_cluster=500, seed=1)
between = {1: 10, None: 50}  # batch size -> epochs between measurements


def reuse(optimizer):
    """An optimizer factory for `train` that hands back this one optimizer."""
    return lambda params: optimizer


history = {}  # (batch size, seed) -> one (training, held-out) row per stop
for batch_size, epochs in between.items():
    for seed in range(3):
        net = mlp([2, 32, 32, 1], output_activation="sigmoid", seed=seed)
        adam = torch.optim.Adam(net.parameters(), lr=0.01)
        rows = []
        for stop in range(8):
            train(
                net,
                x_small,
                y_small,
                epochs=epochs,
                loss="bce",
                optimizer=reuse(adam),
                batch_size=batch_size,
                seed=100 * seed + stop,
            )
            rows.append(
                [
                    binary_cross_entropy(
                        predict(net, x_small), y_small
                    ).item(),
                    binary_cross_entropy(predict(net, x_far), y_far).item(),
                ]
            )
        history[batch_size, seed] = torch.tensor(rows)

n_parameters = sum(p.numel() for p in net.parameters())
first_stop = torch.stack([rows[0] for rows in history.values()])
print(
    f"{n_parameters} parameters, {len(x_small)} training points, "
    f"{len(x_far)} held-out points"
)
print("batch  seed  steps  training cost  held-out  held-out − training")
for (batch_size, seed), rows in history.items():
    size = batch_size or len(x_small)
    steps = 8 * between[batch_size] * len(x_small) // size
    train_cost, held_cost = rows[-1].tolist()
    print(
        f"{size:5d}  {seed:4d}  {steps:5d}  {train_cost:13.3f}  "
        f"{held_cost:8.3f}  {held_cost - train_cost:+.3f}"
    )
final_gaps = {
    size: [
        (rows[-1, 1] - rows[-1, 0]).item()
        for (b, _), rows in history.items()
        if b == size
    ]
    for size in between
}
first_gap = first_stop[:, 1] - first_stop[:, 0]
print(
    f"first stop: training costs {first_stop[:, 0].min():.2f} to "
    f"{first_stop[:, 0].max():.2f}, gaps {first_gap.min():+.3f} to "
    f"{first_gap.max():+.3f}"
)
every = torch.cat(list(history.values()))  # every stop of every run
gap_link = torch.corrcoef(
    torch.stack([every[:, 0], every[:, 1] - every[:, 0]])
)[0, 1]
print(
    f"correlation of training cost and gap, all {len(every)} stops: "
    f"{gap_link:.2f}"
)

# %% tags=["deeper", "checks"]
assert min(min(g) for g in final_gaps.values()) > 0.2  # all overfit

# %% tags=["deeper", "cpu-sensitive"] alt="Held-out cost minus training cost against the training cost, one line per run through its 8 stops, with the training-cost axis reversed so that training goes on from left to right. Blue circles: the 3 runs with batches of 1; orange squares: the 3 runs with the full batch. At the first stop the training costs lie between {{ first_stop[:, 0].min():.2f }} and {{ first_stop[:, 0].max():.2f }} and the gaps near 0 (at most {{ first_gap.max():.3f }}); every line ends well above where it started. The full-batch runs go on to lower training costs and larger gaps, up to {{ max(max(g) for g in final_gaps.values()):.3f }}."
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
style = {1: (COLORS["blue"], "o"), None: (COLORS["orange"], "s")}
for (batch_size, seed), rows in history.items():
    color, marker = style[batch_size]
    label = f"batch of {batch_size or len(x_small)}" if seed == 0 else None
    ax.plot(
        rows[:, 0],
        rows[:, 1] - rows[:, 0],
        color=color,
        marker=marker,
        label=label,
    )
ax.invert_xaxis()  # training goes on from left to right
ax.set(
    xlabel="training cost (falls as training goes on)",
    ylabel="held-out cost − training cost",
    title=f"{n_parameters} parameters, {len(x_small)} training points",
)
ax.legend()
plt.show()

# %% [markdown] tags=["deeper", "caption"]
# **Figure 3.** The gap between held-out and training cost against the training cost,
# for 3 runs with batches of 1 (circles) and 3 with the full batch (squares), each
# measured at 8 stops; training goes on from left to right. The gaps start small (at
# most {{ first_gap.max():.3f }} at the first stop) and end between
# {{ min(min(g) for g in final_gaps.values()):.3f }} and
# {{ max(max(g) for g in final_gaps.values()):.3f }}.

# %% [markdown] tags=["deeper"]
# (Thousands of Adam steps magnify the last bits of the arithmetic, which differ from
# one CPU to another: on your machine the table's last decimals, and the numbers
# quoted below, can differ a little. The asserts hold on every CPU we tried.)
#
# All 6 runs overfit. At the last stop the gap is between
# {{ min(final_gaps[1]):.3f }} and {{ max(final_gaps[1]):.3f }} for the runs with
# batches of 1, and between {{ min(final_gaps[None]):.3f }} and
# {{ max(final_gaps[None]):.3f }} for the full-batch runs. Over all stops of all runs,
# the gap and the training cost have a correlation of {{ gap_link:.2f }}: a fairly
# linear relation, with the gap wider where the training cost is lower. So the notes are wrong that single-observation updates cause overfitting: this
# flexible model overfits with either batch size once it trains long enough on few
# points.

# %% [markdown] tags=["deeper"]
# ### Ten classes: categorical cross-entropy
#
# With $K$ classes, the model outputs one probability $\hat y_k$ per class (a softmax
# of $K$ logits, $\hat y_k = e^{z_k} / \sum_j e^{z_j}$), the target is 1 for the true
# class and 0 for the others, and the loss is $-\sum_k y_k \log \hat y_k$. With two
# classes and logits $(0, z)$, the softmax gives class 1 the probability
# $e^{z}/(1 + e^{z}) = \sigma(z)$, so the loss is binary cross-entropy on the logit
# $z$. PyTorch's `F.cross_entropy` takes the logits and agrees:

# %% tags=["deeper"]
z = torch.tensor([-3.0, -0.5, 0.0, 2.0])
labels = torch.tensor([1, 0, 1, 1])
two_class = F.cross_entropy(torch.stack([torch.zeros(4), z], dim=1), labels)
binary = F.binary_cross_entropy(torch.sigmoid(z), labels.float())
print(f"categorical, two classes: {two_class:.6f}")
print(f"binary:                   {binary:.6f}")

# %% tags=["deeper", "checks"]
assert torch.allclose(two_class, binary)

# %% [markdown]
# ## Key points
#
# - A loss scores one prediction; the cost is the mean of the losses
#   (`reduction="mean"`), and its gradient the mean of their gradients.
# - Squared error for numbers, binary cross-entropy for probabilities: it has no
#   ceiling for a confident wrong answer.
# - The notes' ½ halves every gradient, like halving the learning rate; the minimum
#   does not move.
# - The batch size trades steps per epoch against noisy steps. Overfitting comes from
#   a flexible model trained long on few points: in Going deeper it overfits with
#   batches of 1 and with the full batch.

# %% [markdown]
# ## Try it
#
# **Exercise 1.** PyTorch also offers `reduction="sum"`: the total of the losses
# instead of their mean. For the line $\hat y = 0.2 + 0.5x$ of the first section,
# compare the gradient of `nn.MSELoss(reduction="sum")` with that of the default. What
# learning rate makes training with the sum behave like training with the mean at 0.05?

# %% tags=["solution"]
summed = cost_and_gradient(nn.MSELoss(reduction="sum"))
print(
    "ratio of the gradients, sum / mean:",
    [round(s / m, 3) for s, m in zip(summed[1:], pytorch[1:], strict=True)],
)
assert math.isclose(summed[1] / pytorch[1], len(x), rel_tol=1e-5)
print(f"so use learning rate 0.05 / {len(x)} = {0.05 / len(x)}")

# %% [markdown] tags=["solution"]
# The sum is $n$ = {{ len(x) }} times the mean, so its gradient is {{ len(x) }} times
# larger and the learning rate must be {{ len(x) }} times smaller. With the mean, the
# learning rate does not depend on how many observations a batch holds, which is why
# it is the default.

# %% [markdown]
# **Exercise 2.** Add a fourth run with batches of 50 (4 steps per epoch). Where does
# its last epoch's mean cost land among the three runs after 10 epochs?

# %% tags=["solution"]
run_50 = train(
    mlp([2, 1], output_activation="sigmoid", seed=0),
    x_q,
    y_q,
    epochs=10,
    loss="bce",
    learning_rate=0.05,
    batch_size=50,
)
print("last epoch's mean cost:")
for batch_size in (1, 20, 50, None):
    run = run_50 if batch_size == 50 else runs[batch_size]
    print(f"  batch of {batch_size or n:3d}: {run.epoch_losses[-1]:.3f}")
assert final[20] < run_50.epoch_losses[-1].item() < final[None]

# %% [markdown] tags=["solution"]
# Between the batches of 20 and the full set ({{ run_50.epoch_losses[-1]:.3f }},
# against {{ final[20]:.3f }} and {{ final[None]:.3f }}): with the learning rate fixed,
# fewer and larger steps per epoch mean less progress per epoch, in this run as in the
# three above.

# %% [markdown]
# **Exercise 3 (pencil and paper).** Three predictions $\hat y = (0.9, 0.2, 0.6)$ for
# the classes $y = (1, 0, 1)$. Compute each binary cross-entropy loss and their cost,
# then the mean squared error, using $\ln 0.9 \approx -0.105$,
# $\ln 0.8 \approx -0.223$ and $\ln 0.6 \approx -0.511$. Which observation costs most
# under each? Check with `binary_cross_entropy` and `mse`.

# %% tags=["solution"]
pencil_pred = torch.tensor([0.9, 0.2, 0.6])
pencil_true = torch.tensor([1.0, 0.0, 1.0])
pencil_bce = binary_cross_entropy(pencil_pred, pencil_true).item()
pencil_mse = mse(pencil_pred, pencil_true).item()
print(
    f"cross-entropy cost {pencil_bce:.3f}, mean squared error {pencil_mse:.3f}"
)
assert abs(pencil_bce - (0.105 + 0.223 + 0.511) / 3) < 1e-3
assert abs(pencil_mse - (0.01 + 0.04 + 0.16) / 3) < 1e-6
each_bce = -torch.log(
    torch.where(pencil_true == 1, pencil_pred, 1 - pencil_pred)
)
each_se = (pencil_pred - pencil_true) ** 2
bce_spread = (each_bce.max() / each_bce.min()).item()
se_spread = (each_se.max() / each_se.min()).item()
print(
    f"worst / best loss: cross-entropy {bce_spread:.1f}, "
    f"squared error {se_spread:.0f}"
)

# %% [markdown] tags=["solution"]
# The losses are $-\ln 0.9 = 0.105$, $-\ln(1 - 0.2) = 0.223$ and $-\ln 0.6 = 0.511$;
# their mean is $0.839 / 3$, the printed {{ pencil_bce:.3f }}. The squared errors are
# $0.01$, $0.04$ and $0.16$, mean {{ pencil_mse:.3f }}. Both rank the third
# observation worst, the one furthest from its class. Here cross-entropy's ratio of
# worst to best loss, {{ bce_spread:.1f }}, is smaller than the squared error's,
# {{ se_spread:.0f }}, because none of the three is confidently wrong; Figure 1 shows
# the other end, where cross-entropy has no ceiling.

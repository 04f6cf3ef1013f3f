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
#
# A network that has just been built guesses. Before it can improve, it needs one number
# that says *how wrong* the guesses are, a number that training can push down. That
# number comes in two sizes: a *loss* scores a single prediction against its target, and
# a *cost* averages the losses over many observations. This page writes out the two
# losses used on every later page, mean squared error for numbers and binary
# cross-entropy for probabilities, checks both against PyTorch, and then asks how many
# observations one training step should average over: one, all of them, or a batch in
# between.
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
# The lecture writes $L = \tfrac12(\hat y - y)^2$. The ½ is a convention, not part of
# the definition: it cancels the 2 that differentiation brings down,
# $\frac{\partial}{\partial \hat y}\,\tfrac12(\hat y - y)^2 = \hat y - y$. PyTorch's
# `nn.MSELoss` has no ½, so its gradients are exactly twice the lecture's (measured
# below). The notes also call this per-observation formula the *mean* squared error;
# the mean only appears in the cost, when the squared errors of many observations are
# averaged.
#
# **Binary cross-entropy**, for a prediction that is a probability $\hat y \in (0, 1)$
# of class 1 and a target $y \in \{0, 1\}$:
#
# $$
# L(\hat y, y) = -\bigl[\, y \log \hat y + (1 - y) \log (1 - \hat y) \,\bigr].
# $$
#
# Only one of the two terms is ever switched on: for $y = 1$ the loss is $-\log \hat y$,
# for $y = 0$ it is $-\log(1 - \hat y)$. **A fix to the notes:** they print this formula
# as "$y \_ \log(\hat y) + (1-y) \_ \log(1-\hat y)$"; the two multiplication signs
# `*` were eaten by Markdown, which reads a pair of `*` as italics. The formula is a
# product of the target and the log, as above.
#
# **Cost.** The cost of $n$ observations is the mean of their losses,
#
# $$
# C = \frac{1}{n} \sum_{i=1}^{n} L(\hat y_i, y_i),
# $$
#
# which is what PyTorch computes with `reduction="mean"` (its default). The notes write
# $L(\hat y, y)$ inside the sum, without the index $i$, which would add up the same
# term $n$ times; each observation brings its own prediction and target.

# %% [markdown]
# ## The ½ and the factor 2
#
# Take the lecture's regression data, 50 points around the line $y = x$ from
# `regression_data`, and a line
# $\hat y = b + w x$ that does not fit them yet ($w = 0.5$, $b = 0.2$). Compute the
# cost twice, with the lecture's ½ through
# `mse` with `half=True` and with PyTorch's
# `nn.MSELoss`, and let autograd differentiate each.

# %%
import math

import torch
from torch import nn

from annlab.by_hand.losses import mse
from annlab.data import regression_data

x, y = regression_data(slope=1.0, n_points=50, seed=0)


def half_mse(prediction, target):
    """The lecture's cost: the mean of ½(ŷ − y)²."""
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
for ratio in ratios:
    assert math.isclose(ratio, 2.0, rel_tol=1e-5)

# %% [markdown]
# The cost and both partial derivatives are exactly twice as large without the ½. By
# hand, the gradient of the lecture's cost for this line is
# $\frac1n \sum_i (\hat y_i - y_i)\, x_i$ for $w$ and $\frac1n \sum_i (\hat y_i - y_i)$
# for $b$, and PyTorch's is twice that;
# `linear_mse_gradient`
# writes both out (page 5 derives gradients like these step by step):

# %%
from annlab.by_hand.gradients import linear_mse_gradient

for half, autograd in ((True, lecture), (False, pytorch)):
    by_hand = linear_mse_gradient(x, y, torch.tensor([0.5]), 0.2, half=half)
    print(
        f"half={half!s:5}  by hand: dC/dw = {by_hand.weights.item():.4f}, "
        f"dC/db = {by_hand.bias:.4f}"
    )
    assert math.isclose(by_hand.weights.item(), autograd[1], rel_tol=1e-5)
    assert math.isclose(by_hand.bias, autograd[2], rel_tol=1e-5)

# %% [markdown]
# So does the ½ matter? Not for *where* the minimum is: halving a function does not
# move its lowest point. It only halves every step of gradient descent, which is the same
# as halving the learning rate. Train the same line twice with
# `train`, once with `nn.MSELoss`'s cost
# at learning rate 0.05 and once with the lecture's cost at 0.1; the two runs end on
# the same parameters, and every recorded cost differs by exactly the factor 2.
# (`regression_unit` is the
# lecture's one linear unit, seeded.)

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
    assert torch.allclose(p_torch, p_half, atol=1e-6)
assert torch.allclose(
    run_pytorch.epoch_losses, 2 * run_lecture.epoch_losses, rtol=1e-5
)

# %% [markdown]
# ## Binary cross-entropy against squared error
#
# Write each loss for one observation, as in the formulas above, and check them
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
    for ours, theirs in zip(curves[target], by_torch, strict=True):
        assert torch.allclose(ours, theirs, atol=1e-5)

print("prediction ŷ   y   cross-entropy   squared error")
for target in (1.0, 0.0):
    for i in (9, 499, 989):
        bce, se = curves[target][0][i].item(), curves[target][1][i].item()
        print(f"{y_hat[i]:12.2f}  {target:2.0f}  {bce:14.3f}  {se:14.3f}")

# %% [markdown]
# The two losses agree on the ranking (both are 0 for a perfect prediction and grow as
# $\hat y$ moves away from $y$) but not on the size. Plot both against the prediction,
# for each true class, in colours from `annlab`'s colour-blind-safe
# `COLORS`:

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

# %% [markdown]
# For a probability, the squared error can never exceed 1, however confident the wrong
# answer. Cross-entropy grows without bound as a wrong answer becomes confident: it is
# $-\log 0.01 \approx 4.6$ at $\hat y = 0.01$ for $y = 1$ (the first printed row), and
# $+\infty$ at $\hat y = 0$. PyTorch stops the infinity by clamping each log at $-100$;
# `binary_cross_entropy` does
# the same, so a certain and wrong prediction costs exactly 100:

# %%
from annlab.by_hand.losses import binary_cross_entropy

certain_and_wrong = (torch.tensor([0.0]), torch.tensor([1.0]))
print("annlab: ", binary_cross_entropy(*certain_and_wrong).item())
print("PyTorch:", F.binary_cross_entropy(*certain_and_wrong).item())
assert binary_cross_entropy(*certain_and_wrong).item() == 100.0
assert curves[1.0][1].max() <= 1 and curves[0.0][1].max() <= 1
assert curves[1.0][0][9] > 4.5  # ŷ = 0.01 for y = 1

# %% [markdown]
# That steep wall is what makes cross-entropy the loss for probabilities, and the
# reason shows in the gradient. Training does not follow a loss's size but its slope
# with respect to what the network computes: the logit $z$, with $\hat y = \sigma(z)$.
# By the chain rule, and $\sigma'(z) = \hat y (1 - \hat y)$,
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

# %%
logits = torch.linspace(-6, 6, 5, requires_grad=True)
ones = torch.ones(5)  # class 1 at every logit
probs = torch.sigmoid(logits)
bce_sum = F.binary_cross_entropy(probs, ones, reduction="sum")
(bce_push,) = torch.autograd.grad(bce_sum, logits, retain_graph=True)
(se_push,) = torch.autograd.grad(((probs - ones) ** 2).sum(), logits)
probs = probs.detach()
assert torch.allclose(bce_push, probs - ones)
assert torch.allclose(se_push, 2 * (probs - ones) * probs * (1 - probs))

print("    z      ŷ    ∂BCE/∂z   ∂SE/∂z")
for row in zip(logits.tolist(), probs, bce_push, se_push, strict=True):
    print("{:5.0f}  {:.4f}  {:8.4f}  {:8.4f}".format(*row))
weaker = bce_push[0] / se_push[0]

# %% [markdown]
# At $z = -6$ the prediction is confidently wrong ($\hat y$ = {{ probs[0]:.4f }}).
# Cross-entropy pushes $z$ up with almost full strength, {{ bce_push[0]:.4f }};
# the squared error pushes with {{ se_push[0]:.4f }}, {{ weaker:.0f }} times weaker.
# A sigmoid trained on the squared error learns slowest exactly where it is most
# wrong; with cross-entropy the push is the error itself. Page 8 meets the same
# contrast on the points of a trained classifier.
#
# ## Cost: the mean of the losses
#
# A cost needs predictions. Take the "qwerties" of the classification lectures, 200
# points in two clusters from `qwerties`, and
# one sigmoid neuron with seeded initial weights from
# `mlp`; its untrained predictions, from
# `predict`, are the $\hat y_i$. Average
# the 200 losses by hand and compare with `annlab`'s cost and with PyTorch's three
# reductions:

# %%
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
assert torch.allclose(cost, binary_cross_entropy(y_hat_q, y_q))
assert torch.allclose(cost, nn.BCELoss(reduction="mean")(y_hat_q, y_q))
assert torch.allclose(losses, nn.BCELoss(reduction="none")(y_hat_q, y_q))
assert torch.allclose(n * cost, nn.BCELoss(reduction="sum")(y_hat_q, y_q))

# %% [markdown]
# Because the cost is a mean, so is its gradient: the gradient of the cost over all
# 200 observations is the average of the 200 gradients of the single losses. Check it
# with `sigmoid_bce_gradient`,
# which computes the neuron's gradient on any set of rows (page 5 derives it):

# %%
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
assert torch.allclose(full_gradient, one_by_one.mean(dim=0), atol=1e-6)

# %% [markdown]
# So a step on the full cost is the average of all the single-observation steps,
# taken at once. A step on a *batch* of observations uses the average over the batch
# only, an estimate of the full gradient. How good an estimate? Shuffle the 200 rows
# with a seeded generator from
# `as_generator`, cut them into
# batches, and measure how far each batch's gradient is from the full one, relative to
# its length:

# %%
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
assert spread[1] > 1 and spread[1] > 3 * spread[20] and spread[n] < 1e-6

# %% [markdown]
# The gradient of one observation is, on average, off by {{ spread[1]:.3f }} times the
# full gradient's own length: a single observation can point the step almost anywhere.
# Twenty observations cut that error to {{ spread[20]:.3f }},
# {{ spread[1] / spread[20]:.1f }} times smaller; all {{ n }} give the exact gradient.
# That is the trade the batch size controls: more observations per step means a more
# accurate step, and fewer steps per pass over the data.
#
# ## One, twenty or all: batch size in training
#
# The notes' example has 2000 observations and batches of 20. We keep the proportions
# small enough to build in seconds: the 200 qwerties, batch sizes 1, 20 and 200 (the
# full set), the same neuron with the same initial weights (`seed=0`), the same
# learning rate 0.05 and 10 epochs each. `train`'s `batch_size` shuffles the rows every
# epoch and takes one step per batch. Every run is timed, and afterwards scored on the
# training set and on 1000 fresh qwerties it never saw (`seed=1`), the held-out set.

# %% tags=["wall-clock"]
import time

x_new, y_new = qwerties(n_per_cluster=500, seed=1)
runs, seconds = {}, {}
for batch_size in (1, 20, None):
    model = mlp([2, 1], output_activation="sigmoid", seed=0)
    start = time.perf_counter()
    runs[batch_size] = train(
        model,
        x_q,
        y_q,
        epochs=10,
        loss="bce",
        learning_rate=0.05,
        batch_size=batch_size,
    )
    seconds[batch_size] = time.perf_counter() - start

print("batch  steps per epoch  seconds per epoch  training cost  held-out")
for batch_size, run in runs.items():
    steps = len(run.update_losses) // run.epochs_run
    train_cost = binary_cross_entropy(predict(run.model, x_q), y_q)
    held_out = binary_cross_entropy(predict(run.model, x_new), y_new)
    print(
        f"{batch_size or n:5d}  {steps:15d}  "
        f"{seconds[batch_size] / run.epochs_run:17.4f}  "
        f"{train_cost:13.3f}  {held_out:8.3f}"
    )

# %% [markdown]
# Now draw the costs twice. A training run records two curves, and they need two
# different horizontal axes: `update_losses` has one entry per **step** (the cost of the
# batch that step used, before the step), `epoch_losses` one per **epoch** (the mean of
# that epoch's step costs). With a batch of one, a step's cost is the loss of a single
# observation, so the left panel is honest about how jumpy one observation is.
# `plot_losses` draws each curve.

# %% alt="Two panels. Left, cost against the number of steps on a logarithmic axis from 1 to {{ len(runs[1].update_losses) }}: the full-batch run (200 per step) is a smooth line that takes only {{ len(runs[None].update_losses) }} steps and ends still at {{ runs[None].update_losses[-1]:.2f }}; the batch-of-20 run takes {{ len(runs[20].update_losses) }} steps and falls, jagged, to an average of {{ runs[20].epoch_losses[-1]:.2f }} over its last epoch; the batch-of-1 run takes {{ len(runs[1].update_losses) }} steps and is a dense band of jumps between 0 and up to {{ runs[1].update_losses.max():.2f }}, since each step scores one observation, though its low edge sinks as it goes. Right, cost against epochs 1 to 10: the batch-of-1 run is lowest at every epoch, falling to {{ runs[1].epoch_losses[-1]:.2f }}, the batch-of-20 run in the middle, and the full-batch run highest, falling slowly from {{ runs[None].epoch_losses[0]:.2f }} to {{ runs[None].epoch_losses[-1]:.2f }}."
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

# %%
final = {b: run.epoch_losses[-1].item() for b, run in runs.items()}
assert final[1] < final[20] < final[None]
assert seconds[1] > 10 * seconds[None]
rises = {
    b: (run.update_losses.diff() > 0).float().mean().item()
    for b, run in runs.items()
}
print("share of steps whose cost is higher than the step before:")
for batch_size, share in rises.items():
    print(f"  batch of {batch_size or n:3d}: {share:.0%}")
assert rises[None] == 0 and 0.3 < rises[1] < 0.7

# %% [markdown]
# What the printed table, the shares above and the two panels show:
#
# - **Per epoch, small batches learn fastest** (right panel): in ten passes over the data
#   the batch-of-1 run took {{ len(runs[1].update_losses) }} steps, the batch-of-20 run
#   {{ len(runs[20].update_losses) }} and the full-batch run
#   {{ len(runs[None].update_losses) }}, and the costs of their last epochs are ordered
#   the same way ({{ final[1]:.3f }}, {{ final[20]:.3f }} and {{ final[None]:.3f }}).
# - **Per step, large batches are steadier** (left panel, at the same step number): each
#   full-batch step follows the exact gradient, and its cost fell at every one of its
#   {{ len(runs[None].update_losses) }} steps (printed above). A batch-of-1 step follows
#   one observation and scores the next one: {{ rises[1]:.0% }} of its step costs are
#   higher than the one before.
# - **Wall-clock time follows the number of steps.** On a model this small, a step
#   costs about the same whatever the batch size, so the batch-of-1 run spent far more
#   seconds per epoch (the table's third column; your seconds will differ, the ratio
#   will not by much). Below, the cost of one step is measured on its own.
# - **Mini-batches trade the two**: 20 observations give a gradient
#   {{ spread[1] / spread[20]:.1f }} times more accurate than one (measured above) in
#   {{ len(runs[20].update_losses) }} steps instead of {{ len(runs[1].update_losses) }}.

# %% [markdown]
# **What does one step cost?** Time one gradient computation (forward pass, cost,
# backward pass) on batches of 1, 20 and 200 rows, and on a full batch of a data set a
# thousand times larger, 100,000 qwerties per cluster. Each timing is the fastest of several
# tries, to keep other programs on the machine out of the measurement.

# %% tags=["wall-clock"]
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
assert step_seconds[len(x_big)] > 5 * step_seconds[1]
assert step_seconds[1] / 1 > 100 * step_seconds[len(x_big)] / len(x_big)

# %% [markdown]
# Both halves of the trade are in these numbers. Per observation, a large batch is far
# cheaper: the arithmetic of many rows runs together, and a single row pays the whole
# fixed overhead of a step. Per step, a full batch of a large data set is far dearer:
# every one of the {{ len(x_big):, }} rows is touched before the weights move once. Mini-batches
# sit in between, cheap enough per step and efficient enough per observation.
#
# ## Questions
#
# **Why the ½ in front of the squared error?** Only so that the derivative comes out as
# $\hat y - y$ without a 2. It halves the cost and every gradient (the ratios printed
# above are {{ ratios[0]:.4f }}, {{ ratios[1]:.4f }} and {{ ratios[2]:.4f }}), which is exactly the effect of halving the learning rate: the
# runs with the ½ at 0.1 and without it at 0.05 ended on the same weights. When you
# move between the notes and PyTorch, double or halve the learning rate.
#
# **Does updating after every single observation "overfit"?** Overfitting means
# fitting the training set at the expense of new data: a training cost that keeps
# falling while the cost on held-out data rises. The three runs above cannot answer the
# question. Their neuron has 3 parameters and can only draw one line, so it cannot
# memorise 200 points at any batch size; and at equal epochs they did not train
# equally ({{ len(runs[1].update_losses) }}, {{ len(runs[20].update_losses) }} and
# {{ len(runs[None].update_losses) }} steps). The cell below prints, for each, how far its
# held-out cost lies from its training cost.

# %%
gaps = {}
for batch_size, run in runs.items():
    gap = (
        binary_cross_entropy(predict(run.model, x_new), y_new)
        - binary_cross_entropy(predict(run.model, x_q), y_q)
    ).item()
    print(
        f"batch of {batch_size or n:3d}: held-out minus training cost "
        f"= {gap:+.3f}"
    )
    assert abs(gap) < 0.05
    gaps[batch_size] = gap
held_out = {
    b: binary_cross_entropy(predict(run.model, x_new), y_new).item()
    for b, run in runs.items()
}
assert held_out[1] == min(held_out.values())

# %% [markdown]
# The gaps, held-out minus training cost, are {{ gaps[1]:+.3f }}, {{ gaps[20]:+.3f }}
# and {{ gaps[None]:+.3f }} for batches of 1, 20 and {{ n }}: all tiny. Their order is
# the order of the steps each run took, and also of how noisy its steps were, so these
# three runs cannot tell the two apart.
#
# A real test needs a model that *can* overfit. We take 20 training points per class from two
# overlapping clusters, centres (1, 1) and (3, 1), and a network with two hidden
# layers of 32 ReLU units (more than a thousand parameters, as the cell prints),
# trained with Adam at learning rate 0.01 with batches of 1 and with the full batch,
# 3 seeds each. Every so often we stop and measure the training cost and the cost on
# fresh points of the same two clusters. (Passing `train` an optimizer made once keeps Adam's running
# averages from one call to the next: the measurements do not disturb the run.)

# %% tags=["cpu-sensitive"]
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
        rows[-1, 1] - rows[-1, 0]
        for (b, _), rows in history.items()
        if b == size
    ]
    for size in between
}
every = torch.cat(list(history.values()))  # every stop of every run
gap_link = torch.corrcoef(
    torch.stack([every[:, 0], every[:, 1] - every[:, 0]])
)[0, 1]
print(f"correlation of training cost and gap, all stops: {gap_link:.2f}")
assert min(min(g) for g in final_gaps.values()) > 0.2  # all overfit

# %% tags=["cpu-sensitive"] alt="Held-out cost minus training cost against the training cost, one line per run through its 8 stops, with the training-cost axis reversed so that training goes on from left to right. Blue circles: the 3 runs with batches of 1; orange squares: the 3 runs with the full batch. At the first stop the training costs lie between {{ first_stop[:, 0].min():.2f }} and {{ first_stop[:, 0].max():.2f }} and the gaps near 0 (at most {{ (first_stop[:, 1] - first_stop[:, 0]).max():.2f }}); every line climbs as its training cost falls. Over the training costs both batch sizes reach, their lines run through the same band; the full-batch runs go on to lower training costs and larger gaps, up to {{ max(max(g) for g in final_gaps.values()):.2f }}."
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

# %% [markdown]
# (Thousands of Adam steps magnify the last bits of the arithmetic, which differ from
# one CPU to another: on your machine the table's last decimals, and the numbers
# quoted below, can differ a little. The asserts above hold on every CPU we tried.)
#
# Every run overfits: the gap grows as the training cost falls, to between
# {{ min(min(g) for g in final_gaps.values()):.2f }} and
# {{ max(max(g) for g in final_gaps.values()):.2f }} at the last stop, with batches of
# 1 as with the full batch. What decides the gap is how far the training cost has been
# pushed down (correlation {{ gap_link:.2f }} over every stop of every run), not the
# batch size: at the same training cost, the two batch sizes' lines pass through the
# same region. So the notes are wrong that single-observation updates overfit: a
# model this flexible overfits with any batch size if it trains long enough. What is
# true of
# single-observation updates is that they are **noisy** (on average each step's gradient
# is off by {{ spread[1]:.3f }} times the full gradient's length, and the step costs
# jump) and **slow in wall-clock** (many small steps, each paying a step's fixed
# overhead for a single observation, as timed above).
#
# **Does averaging over too many observations "decrease the sensitivity"?** Not of the
# gradient: the full-batch gradient is the *exact* gradient of the cost, the mean of
# all the single gradients (asserted above), with no noise at all. What is lost is the
# number of steps: one step per pass over the data. With the same learning rate and
# the same 10 epochs, the full-batch run took {{ len(runs[None].update_losses) }} steps
# and ended with the highest cost, {{ final[None]:.3f }}.
# Each observation's influence on a step is $1/n$ of it, by design; it is not lost,
# just shared.
#
# **Is minimising the cost "the entire goal of deep learning"?** It is the means. The
# goal is a model that does well on data it has not seen; the training cost is what
# we can compute and push down, and the held-out cost is how we check that pushing it
# down helped. Pages 9 and 10 meet runs where the training cost stalls; an overfit
# model is the other failure, a training cost far below the held-out one.
#
# **Which loss for which task?** Squared error when the target is a number, binary
# cross-entropy when the prediction is the probability of one of two classes. The
# notes give digit recognition as an example: ten classes need the *categorical*
# cross-entropy $-\sum_k y_k \log \hat y_k$ over a softmax, of which binary
# cross-entropy is the two-class case. PyTorch's `F.cross_entropy` on the two logits
# $(0, z)$ gives exactly binary cross-entropy on the logit $z$:

# %%
z = torch.tensor([-3.0, -0.5, 0.0, 2.0])
labels = torch.tensor([1, 0, 1, 1])
two_class = F.cross_entropy(torch.stack([torch.zeros(4), z], dim=1), labels)
binary = F.binary_cross_entropy(torch.sigmoid(z), labels.float())
print(f"categorical, two classes: {two_class:.6f}")
print(f"binary:                   {binary:.6f}")
assert torch.allclose(two_class, binary)

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
# The sum is $n = 50$ times the mean, so its gradient is 50 times larger and the
# learning rate must be 50 times smaller. With the mean, the learning rate does not
# depend on how many observations a batch holds, which is why it is the default.

# %% [markdown]
# **Exercise 2.** Add a fourth run with batches of 50 (4 steps per epoch). Where does it
# land among the three runs after 10 epochs?

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
print("final epoch cost:")
for batch_size in (1, 20, 50, None):
    run = run_50 if batch_size == 50 else runs[batch_size]
    print(f"  batch of {batch_size or n:3d}: {run.epoch_losses[-1]:.3f}")
assert final[20] < run_50.epoch_losses[-1].item() < final[None]

# %% [markdown] tags=["solution"]
# Between the batches of 20 and the full set ({{ run_50.epoch_losses[-1]:.3f }}, against
# {{ final[20]:.3f }} and {{ final[None]:.3f }}): with the learning rate fixed, fewer
# and larger steps per epoch mean less progress per epoch.

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

# %% [markdown] tags=["solution"]
# The losses are $-\ln 0.9 = 0.105$, $-\ln(1 - 0.2) = 0.223$ and $-\ln 0.6 = 0.511$;
# their mean is $0.839 / 3$, the printed {{ pencil_bce:.3f }}. The squared errors are
# $0.01$, $0.04$ and $0.16$, mean {{ pencil_mse:.3f }}. Both rank the third
# observation worst, the one furthest from its class. Here cross-entropy's ratio of
# worst to best loss, {{ bce_spread:.1f }}, is smaller than the squared error's,
# {{ se_spread:.0f }}, because none of the three is confidently wrong; the loss curves
# near the top of the page show the other end, where cross-entropy has no ceiling.

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
# "will overfit the model" and that averaging over too many "may decrease the
# sensitivity"; they advise batches of "say 20" observations.
#
# After this page you can:
#
# - compute a squared error, a binary cross-entropy and their cost, by hand and with
#   PyTorch;
# - say what the notes' ½ changes (every gradient, by a factor 2) and what it does not;
# - compare batch sizes fairly (each at its own learning rate, per epoch and per step,
#   over many runs, seed by seed) and say what batches of 20 buy.

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
# for $y = 0$ it is $-\log(1 - \hat y)$. The log is the natural one, so a cross-entropy
# is counted in *nats*. (Where the notes write `y _ log ({\hat{y}})`, the `_` is a
# multiplication sign.)
#
# **Cost.** The cost of $n$ observations is the mean of their losses,
#
# $$
# C = \frac{1}{n} \sum_{i=1}^{n} L(\hat y_i, y_i),
# $$
#
# as PyTorch computes it by default, with `reduction="mean"`. (The notes' sum omits
# the index $i$.)
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
# $\partial C / \partial \theta$ is a *partial derivative*: the derivative of $C$ as
# $\theta$ alone changes, every other parameter held fixed. The list of them, one per
# parameter, is the gradient, a vector; its length (`.norm()` in PyTorch) says how
# steep the cost is.

# %% [markdown]
# ## The ½ and the factor 2
#
# Take the regression data of [lecture 45](../../notes/#lecture-45)
# ([page 6](../06_regression/)): 50 points around the line $y = x$
# from `regression_data`. Take a line $\hat y = b + w x$ that does not fit them yet
# ($w = 0.5$, $b = 0.2$), and compute its cost twice: with the notes' ½, through `mse`
# with `half=True`, and with PyTorch's `nn.MSELoss`. PyTorch's
# [autograd](../../glossary/#autograd) computes each gradient
# ([page 5](../05_backpropagation/) shows how): a tensor `w` created with
# `requires_grad=True` records what is computed from it, and `cost.backward()` works
# back through that record and fills `w.grad` with $\partial C / \partial w$.

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
# [chain rule](../../glossary/#chain-rule) through $\hat y_i = b + w x_i$, observation
# $i$'s loss $L_i = \tfrac12(\hat y_i - y_i)^2$ has
#
# $$
# \frac{\partial L_i}{\partial w}
#   = \frac{\partial L_i}{\partial \hat y_i} \, \frac{\partial \hat y_i}{\partial w}
#   = (\hat y_i - y_i)\, x_i ,
# \qquad
# \frac{\partial L_i}{\partial b} = (\hat y_i - y_i) \cdot 1 ,
# $$
#
# so the notes' cost, their mean, has
#
# $$
# \frac{\partial C}{\partial w} = \frac1n \sum_{i=1}^{n} (\hat y_i - y_i)\, x_i ,
# \qquad
# \frac{\partial C}{\partial b} = \frac1n \sum_{i=1}^{n} (\hat y_i - y_i) ,
# $$
#
# and PyTorch's a 2 in front of each (Going deeper checks both against autograd).
#
# Does the ½ matter? Not for *where* the minimum is: halving a function does not move
# its lowest point. By the update rule above, it halves every step, like halving the
# learning rate. Train a single linear unit (`regression_unit`, seeded) for 30
# [epochs](../../glossary/#epoch) (passes over all 50 points) with `train`, once with
# `nn.MSELoss`'s cost at learning rate 0.05 and once with the notes' cost at 0.1.
# Without an `optimizer=` argument, `train`'s *optimiser* (the rule that turns
# gradients into steps) is `"sgd"`, here on all 50 points at once: exactly the update
# rule above (Going deeper tries [Adam](../../glossary/#adam) too).

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
# The two SGD runs end on the same weight and bias, and at every epoch one cost is
# twice the other.
#
# ## Binary cross-entropy against squared error
#
# Write each loss for one observation and check both against PyTorch's, with
# `reduction="none"` (one loss per observation, no averaging):

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
# Plot both losses against the prediction, for each true class:

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
axes[0].set_ylabel("loss of one observation\n(cross-entropy in nats)")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** The loss of one observation against its predicted probability $\hat y$,
# for a true class 1 (left) and 0 (right). The squared error (dashed) never exceeds 1;
# the cross-entropy (solid) has no ceiling as a wrong prediction grows confident.

# %% [markdown]
# Cross-entropy has no ceiling: it is {{ curves[1.0][0][9]:.3f }} at
# $\hat y$ = {{ y_hat[9]:.2f }} for $y = 1$ (the first printed row), and $+\infty$ at
# $\hat y = 0$. After a [sigmoid](../../glossary/#sigmoid), this keeps the gradient
# large for a confidently wrong prediction, where the squared error's nearly vanishes
# (derived in Going deeper).
#
# **The loss on the logit.** [Page 1](../01_perceptron_and_bias/)'s perceptron
# outputs the [logit](../../glossary/#logit) $z$, not a probability, and trains with
# `loss="bce_with_logits"`: the loss applies the sigmoid $\hat y = \sigma(z) =
# 1/(1 + e^{-z})$ itself. For class 1 the loss is then
# $-\log \sigma(z) = \log(1 + e^{-z})$. For class 0, $1 - \sigma(z) =
# e^{-z}/(1 + e^{-z}) = 1/(1 + e^{z})$ (multiply above and below by $e^{z}$), so the
# loss is $\log(1 + e^{z})$. Check both against PyTorch's two functions:

# %%
z_logit = torch.tensor([-4.0, -1.0, 0.0, 1.0, 4.0])
loss_class_1 = torch.log(1 + torch.exp(-z_logit))  # ln(1 + e^-z)
loss_class_0 = torch.log(1 + torch.exp(z_logit))  # ln(1 + e^z)
for target, formula, name in (
    (1.0, loss_class_1, "ln(1 + e^-z)"),
    (0.0, loss_class_0, "ln(1 + e^z)"),
):
    y_true = torch.full_like(z_logit, target)
    via_sigmoid = F.binary_cross_entropy(
        torch.sigmoid(z_logit), y_true, reduction="none"
    )
    on_logit = F.binary_cross_entropy_with_logits(
        z_logit, y_true, reduction="none"
    )
    print(f"y = {target:.0f}, {name}:", " ".join(f"{v:.4f}" for v in formula))
    agree = torch.allclose(formula, via_sigmoid, atol=1e-6) and torch.allclose(
        formula, on_logit, atol=1e-6
    )
    print("   agree with both PyTorch functions:", agree)

# %% tags=["checks"]
for target, formula in ((1.0, loss_class_1), (0.0, loss_class_0)):
    y_true = torch.full_like(z_logit, target)
    assert torch.allclose(
        formula,
        F.binary_cross_entropy_with_logits(z_logit, y_true, reduction="none"),
        atol=1e-6,  # float32 rounding of losses below 5
    )
    assert torch.allclose(
        formula,
        F.binary_cross_entropy(
            torch.sigmoid(z_logit), y_true, reduction="none"
        ),
        atol=1e-6,
    )

# %% [markdown]
# Now a logit far out: $z = 20$ for an observation of class 0, a sure and wrong
# prediction.

# %%
far_z, far_y = torch.tensor([20.0]), torch.tensor([0.0])
through_sigmoid = F.binary_cross_entropy(torch.sigmoid(far_z), far_y).item()
on_the_logit = F.binary_cross_entropy_with_logits(far_z, far_y).item()
print(
    f"z = 20, y = 0: sigmoid, then the loss {through_sigmoid:.1f}; "
    f"the loss on the logit {on_the_logit:.1f}"
)

# %% tags=["checks"]
assert torch.sigmoid(far_z).item() == 1.0  # σ(20) rounds to 1 in float32
assert through_sigmoid == 100.0  # PyTorch's clamp of the log at -100
assert math.isclose(on_the_logit, 20.0, rel_tol=1e-6)  # ln(1 + e^20)

# %% [markdown]
# The two ways agree for moderate logits. Far out they part: $\sigma(20)$ rounds to
# exactly 1 in float32, so the loss through the probability hits PyTorch's cap,
# {{ through_sigmoid:.1f }} ([Going deeper](#a-certain-and-wrong-prediction-costs-100)),
# while the loss on the logit is the true $\log(1 + e^{20})$,
# {{ on_the_logit:.1f }}. That is why page 1's model returns the logit.
#
# ## Cost: the mean of the losses
#
# A cost needs predictions. Take the "qwerties" of
# [lecture 47](../../notes/#lecture-47) ([page 8](../08_qwerties/)) from
# `qwerties`: class 0 around $(1, 1)$, class 1 around $(5, 1)$, 1000 points each
# (the notes' 2000), spread as the cell prints. Take one sigmoid neuron
# with [seeded](../../glossary/#seed) initial weights from `mlp`; its untrained outputs
# from `predict`, probabilities since it ends in a sigmoid (unlike
# [page 1](../01_perceptron_and_bias/)'s perceptron), are the $\hat y_i$. Average the 2000 losses by
# hand and compare with `annlab`'s cost and PyTorch's reductions:

# %%
from annlab.by_hand.losses import binary_cross_entropy
from annlab.data import qwerties
from annlab.models import mlp
from annlab.training import predict

x_q, y_q = qwerties(n_per_cluster=1000, seed=0)
for label in (0, 1):
    cluster = x_q[y_q[:, 0] == label]
    centre, spread_xy = cluster.mean(dim=0), cluster.std(dim=0)
    print(
        f"class {label}: {len(cluster)} points around "
        f"({centre[0]:.2f}, {centre[1]:.2f}), standard deviation "
        f"{spread_xy[0]:.2f} horizontally, {spread_xy[1]:.2f} vertically"
    )
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
# A step on the cost of a *batch*, a few observations, uses the average over that
# batch only: an estimate of the full gradient, exact on average but noisy.
#
# ## One, twenty or all: the batch size
#
# A **step** (or update) changes the parameters once, by the rule above, using the
# cost of one batch of observations. An epoch of $n$ observations in batches of $k$
# takes $n/k$ steps.
# With $k = n$ (the full batch) every step follows the exact gradient of the cost;
# steps on randomly drawn smaller batches are
# [stochastic gradient descent](../../glossary/#sgd) (SGD), with a batch of one
# observation at the small end and a [mini-batch](../../glossary/#mini-batch) of a few
# (the notes suggest "say 20") in between.
#
# How noisy is a batch's gradient? Shuffle the 2000 rows, cut them into batches, and
# measure how far each batch's gradient is from the full one, relative to the full
# gradient's length; summarise the errors by their root-mean-square (RMS), the square
# root of the mean of their squares. `sigmoid_bce_gradient` computes the untrained
# neuron's gradient on any set of rows (page 5 derives it):

# %%
from annlab.by_hand.gradients import sigmoid_bce_gradient
from annlab.seeding import as_generator

weights = neuron[0].weight.detach().reshape(-1)
bias = neuron[0].bias.item()


def gradient_on(rows):
    """∂C/∂(w₁, w₂, b) of the cost over the observations in ``rows``."""
    g = sigmoid_bce_gradient(x_q[rows], y_q[rows], weights, bias)
    return torch.cat([g.weights, torch.tensor([g.bias])])


full_gradient = gradient_on(slice(None))
order = torch.randperm(n, generator=as_generator(0))
spread = {}
for batch_size in (1, 20, n):
    errors = torch.tensor(
        [
            (
                (gradient_on(rows) - full_gradient).norm()
                / full_gradient.norm()
            ).item()
            for rows in torch.split(order, batch_size)
        ]
    )
    spread[batch_size] = errors.pow(2).mean().sqrt().item()
    print(
        f"batch size {batch_size:4d}: {len(errors):4d} steps per epoch, "
        f"RMS error of a step's gradient {spread[batch_size]:.3f}"
    )
print(f"one observation's RMS error / √20 = {spread[1] / math.sqrt(20):.3f}")

# %% tags=["checks"]
assert spread[1] > 1 and spread[1] > 3 * spread[20] and spread[n] < 1e-6

# %% [markdown]
# One observation's gradient is off by {{ spread[1]:.3f }} times the full gradient's
# length (RMS). A batch of 20 is off by
# {{ spread[20]:.3f }}, close to {{ spread[1] / math.sqrt(20):.3f }}, one observation's
# RMS error divided by $\sqrt{20}$ (Going deeper derives why). All {{ n }} give the
# exact gradient.
#
# **A fair race.** A noisy step needs a small learning rate, or it scatters the
# weights; over many steps, exact ones can take larger ones. So one learning rate for all batch sizes
# favours some of them ([exercise 2](#try-it)). Here each batch size gets its own: the
# rate with the lowest mean training cost in a sweep from 0.01 to 30, on most of the
# seeds below (Going deeper). Two budgets: the same work (**one epoch**: every
# observation's gradient computed once) and the **same number of steps**, 100. Each
# setting is trained 25 times (seeds 0, 1, 2, … set the initial weights and the
# shuffles) and scored on the training set and on fresh qwerties, the held-out set.
# `train`'s `batch_size` shuffles the rows every epoch and takes one step per batch.
# With less than an epoch, 100 steps on batches of 1 train on 100 randomly drawn
# points, each once.

# %%
from annlab.training import train

x_new, y_new = qwerties(n_per_cluster=2500, seed=1)


def trained_neuron(batch_size, steps, learning_rate, seed):
    """A fresh neuron after `steps` steps on batches of `batch_size` rows."""
    rows = (batch_size or n) * steps  # observations used, repeats counted
    # Less than an epoch: one pass over `rows` rows drawn at random.
    if rows < n:
        chosen = torch.randperm(n, generator=as_generator(seed))[:rows]
        x_train, y_train, epochs = x_q[chosen], y_q[chosen], 1
    else:
        x_train, y_train, epochs = x_q, y_q, rows // n
    model = mlp([2, 1], output_activation="sigmoid", seed=seed)
    train(
        model,
        x_train,
        y_train,
        epochs=epochs,
        loss="bce",
        learning_rate=learning_rate,
        batch_size=batch_size,
        seed=seed,
    )
    return model


# %% [markdown]
# Train and score each setting (`None`: the full batch) once per seed:

# %%
epoch, steps_100 = "one epoch", "100 steps"  # the two budgets
settings = {  # (budget, batch size): (steps, learning rate)
    (epoch, 1): (2000, 0.3),
    (epoch, 20): (100, 3.0),
    (epoch, None): (1, 0.3),
    (steps_100, 1): (100, 0.3),
    (steps_100, 20): (100, 3.0),
    (steps_100, None): (100, 10.0),
}
seeds = range(25)  # one run per seed
tuning_seeds = range(5, 25)  # the seeds that chose the rates (Going deeper)
models = {}  # (budget, batch size) -> the trained neurons, one per seed
train_cost = {}  # (budget, batch size) -> training costs, one per seed
held_cost = {}  # (budget, batch size) -> held-out costs, one per seed
for (budget, batch_size), (steps, rate) in settings.items():
    trained, on_train, held = [], [], []
    for seed in seeds:
        model = trained_neuron(batch_size, steps, rate, seed)
        trained.append(model)
        on_train.append(binary_cross_entropy(predict(model, x_q), y_q).item())
        held.append(binary_cross_entropy(predict(model, x_new), y_new).item())
    models[budget, batch_size] = trained
    train_cost[budget, batch_size] = torch.tensor(on_train)
    held_cost[budget, batch_size] = torch.tensor(held)

# %%
print(
    "                                training cost, "
    f"{len(seeds)} runs     held-out cost"
)
print(
    "budget     batch  steps  rate  mean  median (lowest-highest)"
    "  mean (lowest-highest)"
)
for (budget, batch_size), (steps, rate) in settings.items():
    on_train = train_cost[budget, batch_size]
    held = held_cost[budget, batch_size]
    print(
        f"{budget:9}  {batch_size or n:5d}  {steps:5d}  {rate:4.1f}  "
        f"{on_train.mean():.3f}  {on_train.median():.3f} "
        f"({on_train.min():.3f}-{on_train.max():.3f})    "
        f"{held.mean():.3f} ({held.min():.3f}-{held.max():.3f})"
    )

# %% tags=["checks"]
# Summaries of each setting's training costs, which the text below quotes.
# (One epoch of batches of 20 is 100 steps: both rows hold the same runs.)
mean_cost = {key: c.mean().item() for key, c in train_cost.items()}
median_cost = {key: c.median().item() for key, c in train_cost.items()}
low = {key: c.min().item() for key, c in train_cost.items()}
high = {key: c.max().item() for key, c in train_cost.items()}
assert torch.equal(train_cost[epoch, 20], train_cost[steps_100, 20])
assert low[epoch, None] > 1.5 * high[epoch, 1]  # one full-batch step: behind
assert mean_cost[epoch, None] > 5 * mean_cost[epoch, 20]
assert low[epoch, 1] < high[epoch, 20] and low[epoch, 20] < high[epoch, 1]
assert median_cost[epoch, 1] > median_cost[steps_100, None]  # not at a minimum

# %% alt="Two panels of training cost on a logarithmic axis, {{ len(seeds) }} hollow circles per batch size (one per run, spread sideways so that none hides another) and a bar at their mean. Left, one epoch each: batches of 1 between {{ low[epoch, 1]:.3f }} and {{ high[epoch, 1]:.3f }}, batches of 20 between {{ low[epoch, 20]:.3f }} and {{ high[epoch, 20]:.3f }}, the two clouds overlapping; the full batch (one step) far above, between {{ low[epoch, None]:.3f }} and {{ high[epoch, None]:.3f }}. Right, 100 steps each: batches of 1 highest, between {{ low[steps_100, 1]:.3f }} and {{ high[steps_100, 1]:.3f }}, batches of 20 between {{ low[steps_100, 20]:.3f }} and {{ high[steps_100, 20]:.3f }}, the full batch lowest, between {{ low[steps_100, None]:.3f }} and {{ high[steps_100, None]:.3f }}."
fig, axes = plt.subplots(
    1, 2, figsize=(10, 3.8), layout="constrained", sharey=True
)
offsets = torch.linspace(-0.25, 0.25, len(seeds))  # spread the runs sideways
for ax, budget in zip(axes, (epoch, steps_100), strict=True):
    labels = []
    for place, batch_size in enumerate((1, 20, None)):
        on_train = train_cost[budget, batch_size]
        ax.plot(
            place + offsets,
            on_train,
            "o",
            markerfacecolor="none",
            color=COLORS["blue"],
        )
        ax.plot(
            [place - 0.3, place + 0.3],
            [on_train.mean()] * 2,
            color=COLORS["orange"],
            linewidth=2,
        )
        steps = settings[budget, batch_size][0]
        word = "step" if steps == 1 else "steps"
        labels.append(f"{batch_size or n} ({steps} {word})")
    ax.set(
        xticks=[0, 1, 2],
        xticklabels=labels,
        xlabel="batch size (steps taken)",
        title=budget + " each",
        yscale="log",
        xlim=(-0.5, 2.5),
    )
    ax.set_yticks([0.06, 0.08, 0.1, 0.2, 0.3, 0.5, 0.8])
    ax.set_yticks([], minor=True)
    ax.yaxis.set_major_formatter("{x:g}")
axes[0].set_ylabel("training cost, cross-entropy (nats, log scale)")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The training cost of {{ len(seeds) }} runs (circles, spread sideways in
# the order of their seeds) per batch size, each at its own learning rate, and their
# mean (bar). Left: after one epoch each. Right: after 100 steps each.

# %% [markdown]
# Runs with the same seed start from the same weights, so compare seed by seed: on how
# many seeds does one batch size end lower than another? If an interval for that share
# ([page 7's primer](../07_slope_challenge/#a-short-statistics-primer)) holds 50%,
# these runs cannot tell which leads.

# %%
from annlab.many_runs.statistics import wilson_interval


def seed_by_seed(label, first, second):
    """On how many seeds the costs `first` end below `second` (one cost
    per seed, same seeds in the same order), with the share's Wilson
    interval."""
    lower = int((first < second).sum())
    share = wilson_interval(torch.tensor([lower]), runs=len(first))
    print(
        f"{label}: lower on {lower:2d} of {len(first)} seeds, "
        f"{share.rate.item():.0%} [{share.low.item():.0%}, "
        f"{share.high.item():.0%}]"
    )
    return lower, share


lower_1, share_1 = seed_by_seed(
    "one epoch, batches of 1 vs 20",
    train_cost[epoch, 1],
    train_cost[epoch, 20],
)
lower_full, share_full = seed_by_seed(
    "100 steps, full batch vs batches of 20",
    train_cost[steps_100, None],
    train_cost[steps_100, 20],
)
lower_20, share_20 = seed_by_seed(
    "100 steps, batches of 20 vs 1",
    train_cost[steps_100, 20],
    train_cost[steps_100, 1],
)
per_step = (
    train_cost[steps_100, 20].median() / train_cost[steps_100, None].median()
)
print(f"100 steps, median cost of batches of 20 / full batch: {per_step:.2f}")

# %% tags=["checks"]
assert share_1.low < 0.5 < share_1.high  # one epoch: cannot tell which leads
assert share_full.low > 0.5 and share_20.low > 0.5  # consistent at 100 steps
assert per_step > 1.1

# %% [markdown]
# After one epoch, the differences seed by seed, and the runs of batches of 20 above
# every run of batches of 1:

# %%
paired = train_cost[epoch, 1] - train_cost[epoch, 20]  # one per seed
print(
    f"one epoch, batches of 1 minus batches of 20: mean "
    f"{paired.mean():+.4f}, median {paired.median():+.4f}"
)
highest_1 = train_cost[epoch, 1].max().item()
behind = []  # the costs of batches of 20 above every batch-of-1 run
for cost_20 in train_cost[epoch, 20].tolist():
    if cost_20 > highest_1:
        behind.append(cost_20)
behind.sort(reverse=True)
print(
    f"one epoch: {len(behind)} runs of batches of 20 end above the highest of "
    f"batches of 1 ({highest_1:.3f}): " + ", ".join(f"{c:.3f}" for c in behind)
)

# %% tags=["checks"]
assert len(behind) == 2  # the prose names both
# Without those two seeds the mean difference is a small part of the mean's.
others = train_cost[epoch, 20] <= highest_1
assert abs(paired[others].mean()) < abs(paired.mean()) / 3
assert abs(paired.median()) < abs(paired.mean()) / 3

# %% [markdown]
# The sweep that chose the rates cannot tell 3.0 from 1.0 for batches of 20, nor
# 0.3 from 0.1 for batches of 1
# ([Going deeper](#each-batch-sizes-learning-rate)). Train each at that
# runner-up rate too, and compare again:

# %%
other_rate = 1.0  # the runner-up rate of batches of 20
other_rate_1 = 0.1  # the runner-up rate of batches of 1
at_other_rate = []  # the training cost of each seed's run, batches of 20
at_other_rate_1 = []  # the same for batches of 1
for seed in seeds:
    model = trained_neuron(20, 100, other_rate, seed)
    at_other_rate.append(binary_cross_entropy(predict(model, x_q), y_q).item())
    model = trained_neuron(1, 2000, other_rate_1, seed)
    at_other_rate_1.append(
        binary_cross_entropy(predict(model, x_q), y_q).item()
    )
at_other_rate = torch.tensor(at_other_rate)
at_other_rate_1 = torch.tensor(at_other_rate_1)
lower_other, share_other = seed_by_seed(
    f"one epoch, batches of 1 vs 20 at rate {other_rate}",
    train_cost[epoch, 1],
    at_other_rate,
)
lower_other_1, share_other_1 = seed_by_seed(
    f"one epoch, batches of 1 at rate {other_rate_1} vs 20",
    at_other_rate_1,
    train_cost[epoch, 20],
)

# %% tags=["checks"]
assert share_other.low > 0.5  # at rate 1.0 for 20, batches of 1 lead
assert share_other_1.high < 0.5  # at rate 0.1 for 1, batches of 20 lead

# %% [markdown]
# What the runs show:
#
# - **The same work, one epoch:** one full-batch step cannot do much (mean
#   {{ mean_cost[epoch, None]:.3f }}, lowest run {{ low[epoch, None]:.3f }}). Batches
#   of 1 end at a mean of {{ mean_cost[epoch, 1]:.3f }} (median
#   {{ median_cost[epoch, 1]:.3f }}) after {{ settings[epoch, 1][0] }} steps, batches
#   of 20 at {{ mean_cost[epoch, 20]:.3f }} (median {{ median_cost[epoch, 20]:.3f }})
#   after {{ settings[epoch, 20][0] }}; batches of 1 end lower on {{ lower_1 }} of
#   {{ len(paired) }} seeds, {{ share_1.rate.item():.0%}}
#   [{{ share_1.low.item():.0%}}, {{ share_1.high.item():.0%}}]: these runs cannot
#   tell which leads. The means differ through {{ len(behind) }} runs of batches of
#   20 that end above every run of batches of 1 ({{ behind[0]:.3f }},
#   {{ behind[1]:.3f }}); the median difference is {{ paired.median():+.4f }}.
# - **The same number of steps, 100:** the full batch, exact and allowed a large rate,
#   gets furthest (mean {{ mean_cost[steps_100, None]:.3f }}), below batches of 20
#   ({{ mean_cost[steps_100, 20]:.3f }}) on {{ lower_full }} of {{ len(paired) }}
#   seeds; batches of 20 end below batches of 1 ({{ mean_cost[steps_100, 1]:.3f }}) on
#   {{ lower_20 }}, {{ share_20.rate.item():.0%}} [{{ share_20.low.item():.0%}},
#   {{ share_20.high.item():.0%}}].
# - **What the notes' 20 buy:** per epoch, a twentieth of the steps (and of the
#   fixed time each costs,
#   [Going deeper](#what-the-steps-cost-in-wall-clock-time)), and no batch size
#   that wins at every rate: which ends lower turns on rates the sweep cannot
#   tell apart. At the sweep's picks, batches of 1 end lower on
#   {{ lower_1 }} of {{ len(seeds) }} seeds; against batches of 20 at
#   {{ other_rate }}, on {{ lower_other }}, {{ share_other.rate.item():.0%}}
#   [{{ share_other.low.item():.0%}}, {{ share_other.high.item():.0%}}]; at their
#   own {{ other_rate_1 }}, on only {{ lower_other_1 }},
#   {{ share_other_1.rate.item():.0%}} [{{ share_other_1.low.item():.0%}},
#   {{ share_other_1.high.item():.0%}}]. Per step, a median cost
#   {{ per_step:.2f }} times the full batch's for a hundredth of its arithmetic.
#
# ## Questions
#
# **Why the ½ in front of the squared error?** So that the derivative is $\hat y - y$
# without a 2. It halves every gradient, which for gradient descent is like halving
# the learning rate: the run with the ½ at 0.1 and the one without at 0.05 ended on
# the same weights. Between the notes and PyTorch, double or halve the learning rate.
#
# **Does updating after every single observation "overfit"?**
# [The notes](../../notes/#lecture-43) say it "will overfit the model". Overfitting
# means fitting the training set at the expense of new data: a training cost well
# below the held-out cost. The gaps (held-out minus training cost) of the one-epoch
# runs:

# %%
print(
    f"batch  held-out − training cost, {len(seeds)} runs"
    "   as a share of the training cost"
)
gaps, shares = {}, []
for batch_size in (1, 20, None):
    on_train = train_cost[epoch, batch_size]
    held = held_cost[epoch, batch_size]
    gaps[batch_size] = (held - on_train).tolist()
    share_of_cost = ((held - on_train).abs() / on_train).tolist()
    shares += share_of_cost
    print(
        f"{batch_size or n:5d}  {min(gaps[batch_size]):+.4f} to "
        f"{max(gaps[batch_size]):+.4f}"
        f"                 at most {max(share_of_cost):.1%}"
    )
every_gap = [g for b in gaps for g in gaps[b]]

# %% tags=["checks"]
assert min(every_gap) < 0 < max(every_gap)
assert max(shares) < 0.15

# %% [markdown]
# All {{ len(every_gap) }} gaps lie between {{ min(every_gap):+.4f }} and
# {{ max(every_gap):+.4f }}, of both signs, at most {{ max(shares):.1% }} of their
# run's training cost, each within what the draw of the points gives by chance (Going
# deeper): this neuron, one straight line, does not overfit measurably at any batch
# size. In Going deeper, a network of over a thousand parameters trained on 20 points
# per class overfits with every batch size, and at equal training cost its batches of
# 1 show no wider gaps. So single-observation updates are **noisy** and **slow in wall-clock
# time** (the notes' "time consuming" is right), but show no sign here of causing
# overfitting.
#
# **Does averaging over too many observations "decrease the sensitivity"?** The notes
# leave it undefined; we read it as how closely each step follows the data. The
# full-batch gradient is the exact gradient of the cost, and per step the full batch
# got furthest. What is lost is steps: after one epoch its mean training cost was
# {{ mean_cost[epoch, None]:.3f }}, against {{ mean_cost[epoch, 20]:.3f }} for
# batches of 20.
#
# **Is minimising the cost "the entire goal of deep learning"?** It is the means; the
# goal is a model that does well on unseen data, which the held-out cost checks. And
# training may stop before any
# minimum: after one epoch, batches of 1 end at a median of
# {{ median_cost[epoch, 1]:.3f }}, above the {{ median_cost[steps_100, None]:.3f }}
# that 100 full-batch steps reach. In a network with hidden layers, an optimiser that
# does settle finds a [local minimum](../../glossary/#local-minimum), not necessarily
# the lowest one.
#
# **Which loss for which task?** Squared error for a number, binary cross-entropy for
# the probability of one of two classes. The notes' digit recognition has ten classes:
# it needs the *categorical* cross-entropy (Going deeper).

# %% [markdown]
# ## Going deeper
#
# Each fold below holds the measurement behind a shorter sentence above.

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
# ### The ½ under Adam
#
# [Page 1](../01_perceptron_and_bias/#two-data-sets-with-and-without-a-bias) trains
# with Adam, which rescales each step by the gradient's recent size
# ([page 6](../06_regression/#adams-update-rule) gives its rule): a gradient twice as
# large gives the same step, so the ½ should change almost nothing. Train both costs
# with Adam at one rate, 0.05:

# %% tags=["deeper"]
adam_pytorch, adam_lecture = (
    train(
        regression_unit(seed=0),
        x,
        y,
        epochs=30,
        loss=loss,
        learning_rate=0.05,
        optimizer="adam",
    ).model
    for loss in ("mse", half_mse)
)
adam_agree = all(
    torch.allclose(a, b, atol=1e-5)
    for a, b in zip(
        adam_pytorch.parameters(), adam_lecture.parameters(), strict=True
    )
)
print(
    "Adam at 0.05, MSELoss or with ½: the same weight and bias within 1e-5:",
    adam_agree,
)

# %% tags=["deeper", "checks"]
assert adam_agree  # Adam divides the 2 out again (up to its tiny epsilon)

# %% [markdown] tags=["deeper"]
# ### Why cross-entropy after a sigmoid: the push on the logit
#
# Training does not follow a loss's size but its slope with respect to what the
# network computes, $\partial L / \partial z$, the *push* on the
# [logit](../../glossary/#logit) $z$, with
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
print(
    f"at z = {logits[0]:.0f}: the cross-entropy's push is {weaker:.0f} times "
    "the squared error's (from the unrounded values)"
)

# %% tags=["deeper", "checks"]
assert torch.allclose(bce_push, probs - ones)
assert torch.allclose(se_push, 2 * (probs - ones) * probs * (1 - probs))

# %% [markdown] tags=["deeper"]
# At $z = -6$ the prediction is confidently wrong ($\hat y$ = {{ probs[0]:.4f }}).
# Cross-entropy pushes $z$ up with almost full strength, {{ bce_push[0]:.4f }};
# the squared error pushes with {{ se_push[0]:.4f }}, {{ weaker:.0f }} times weaker.
# A sigmoid trained on the squared error learns slowest exactly where it is most
# wrong; with cross-entropy the push is the error itself.
# [Page 8](../08_qwerties/#questions) meets the same contrast on the points of a
# trained classifier.

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
# ### The full gradient is the mean of the single gradients
#
# The main path derived it and used it; check it on the untrained neuron, with the
# main path's `gradient_on`:

# %% tags=["deeper"]
one_by_one = torch.stack([gradient_on([i]) for i in range(n)])
print(f"gradient of the cost over all {n}:", full_gradient)
print(f"mean of the {n} single gradients: ", one_by_one.mean(dim=0))

# %% tags=["deeper", "checks"]
assert torch.allclose(full_gradient, one_by_one.mean(dim=0), atol=1e-6)

# %% [markdown] tags=["deeper"]
# ### Why a batch of k divides the error by √k
#
# The main path found a batch of 20's gradient off by about one observation's RMS error
# divided by $\sqrt{20}$. Write $e_i$ for observation $i$'s error (its gradient minus
# the full one; the $e_i$ average to 0). A batch $B$ of $k$ observations is off by
# their mean, whose square is
#
# $$
# \Bigl\|\frac1k \sum_{i \in B} e_i\Bigr\|^2
#   = \frac{1}{k^2}\Bigl(\sum_{i \in B} \|e_i\|^2
#     + \sum_{i \ne j} e_i \cdot e_j\Bigr).
# $$
#
# Over many batches the first sum averages to $k$ times one observation's mean square;
# the cross terms, between independently drawn observations, average to about 0. So
# the mean square is divided by $k$, and the RMS by $\sqrt k$.

# %% [markdown] tags=["deeper"]
# ### Each batch size's learning rate
#
# The main path gave each batch size and budget the learning rate with the lowest mean
# training cost over {{ len(tuning_seeds) }} runs, seeds {{ tuning_seeds[0] }} to
# {{ tuning_seeds[-1] }}, among 0.01, 0.03, 0.1, …, 30. Seeds 0 to
# {{ tuning_seeds[0] - 1 }} took no part in the choice; on the other
# {{ len(tuning_seeds) }} of the main path's {{ len(seeds) }} runs the rate
# was picked on the very runs it is judged on, which flatters each setting a little
# (the lowest of 8 noisy means tends to sit below its rate's true mean). Trying all 8
# rates with `train` would take long (the batch of 1 alone needs 8 × 2000 steps per
# seed, each a fraction of a millisecond, as timed below), so this cell trains all
# runs of a setting, for every
# rate and seed, at once, by hand. For one sigmoid neuron the chain rule gives $\partial L/\partial z = \hat y - y$ (derived above) and
# $\partial z/\partial w_j = x_j$, $\partial z/\partial b = 1$, so a step on a batch
# $B$ of $k$ rows is
#
# $$
# w \leftarrow w - \frac{\eta}{k} \sum_{i \in B} (\hat y_i - y_i)\, x_i ,
# \qquad
# b \leftarrow b - \frac{\eta}{k} \sum_{i \in B} (\hat y_i - y_i) .
# $$
#
# Each run starts from `mlp`'s seeded weights and draws its rows as
# `trained_neuron` does, so at the chosen rates the sweep repeats the main path's
# runs. For each setting the cell also compares the best rate with the runner-up,
# seed by seed: their mean difference with its 95% interval, ±1.96 standard errors
# (the standard deviation of the 20 differences divided by $\sqrt{20}$; a fold below
# and page 7 say more).

# %% tags=["deeper"]
rates = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]


def sweep(batch_size, steps, seeds):
    """Training costs of `trained_neuron`, (rates, seeds), all runs at once."""
    k = batch_size or n
    runs = [(rate, seed) for rate in rates for seed in seeds]
    starts = [
        mlp([2, 1], output_activation="sigmoid", seed=s)[0] for _, s in runs
    ]
    w = torch.stack([layer.weight.detach().reshape(-1) for layer in starts])
    b = torch.stack([layer.bias.detach().reshape(()) for layer in starts])
    eta = torch.tensor([rate for rate, _ in runs])
    rows = []  # each run's rows, step after step, as `train` draws them
    for _, seed in runs:
        if k * steps < n:
            chosen = torch.randperm(n, generator=as_generator(seed))[
                : k * steps
            ]
            rows.append(
                chosen[
                    torch.randperm(len(chosen), generator=as_generator(seed))
                ]
            )
        elif batch_size is None:  # all rows at every step (below)
            rows.append(torch.arange(n))
        else:
            shuffles = as_generator(seed)
            epochs = k * steps // n
            rows.append(
                torch.cat(
                    [
                        torch.randperm(n, generator=shuffles)
                        for _ in range(epochs)
                    ]
                )
            )
    rows = torch.stack(rows)
    targets = y_q.reshape(-1)
    for step in range(steps):
        if batch_size is None:  # every run on all rows: matrix products
            error = torch.sigmoid(w @ x_q.T + b[:, None]) - targets
            w -= eta[:, None] / k * (error @ x_q)
        else:
            batch = rows[:, step * k : (step + 1) * k]  # (runs, k)
            xb, yb = x_q[batch], targets[batch]
            z = (xb * w[:, None, :]).sum(2) + b[:, None]
            error = torch.sigmoid(z) - yb
            w -= eta[:, None] / k * (error[:, :, None] * xb).sum(1)
        b -= eta / k * error.sum(1)
    y_hat = torch.sigmoid(x_q @ w.T + b)  # (n, runs)
    cost = torch.stack(
        [binary_cross_entropy(y_hat[:, r], targets) for r in range(len(runs))]
    )
    return cost.reshape(len(rates), len(seeds))


print(
    f"mean training cost over seeds {tuning_seeds[0]} to {tuning_seeds[-1]}, "
    "at each learning rate"
)
print("budget     batch " + "".join(f"{r:7.2f}" for r in rates))
best, runner_up, repeated, sweep_mean = {}, {}, {}, {}
for (budget, batch_size), (steps, rate) in settings.items():
    if (budget, batch_size) == (steps_100, 20):  # the one-epoch runs again
        best[budget, 20] = best[epoch, 20]
        continue
    swept = sweep(batch_size, steps, seeds=list(seeds))  # (rates, seeds)
    tuning = swept[:, tuning_seeds[0] :]  # the columns of seeds 5 to 24
    mean = tuning.mean(dim=1)
    sweep_mean[budget, batch_size] = mean
    first, second = mean.argsort()[:2].tolist()
    best[budget, batch_size] = rates[first]
    margin = tuning[second] - tuning[first]  # one difference per seed
    runner_up[budget, batch_size] = (
        rates[second],
        margin.mean().item(),
        1.96 * margin.std().item() / math.sqrt(len(margin)),
    )
    print(
        f"{budget:9}  {batch_size or n:5d} "
        + "".join(f"{c:7.3f}" for c in mean.tolist())
    )
    repeated[budget, batch_size] = swept[rates.index(rate)]
print("runner-up rate: its mean cost minus the best rate's, seed by seed")
for (budget, batch_size), (rate, gap, band) in runner_up.items():
    print(
        f"{budget:9}  {batch_size or n:5d}  {rate:5.2f}  "
        f"{gap:+.4f} ± {band:.4f}"
    )
difference = max(
    (swept_at_rate - train_cost[key]).abs().max().item()
    for key, swept_at_rate in repeated.items()
)
print(
    f"seeds 0 to {seeds[-1]} at the chosen rates, largest difference from "
    f"train's runs: {difference:.4f}"
)
# %% tags=["deeper", "checks"]
for key, rate in best.items():
    assert rate == settings[key][1]  # the main path's rates
# float32 rounding over up to 2000 steps in another order, which the large
# rates (3.0 for batches of 20, 10 for the full batch) amplify: 0.0043 here
assert difference < 0.01
near_ties = [(epoch, 1), (epoch, 20), (steps_100, 1)]
for key in near_ties:  # the intervals hold 0
    assert abs(runner_up[key][1]) < runner_up[key][2]
for key in runner_up:  # the other two lead clearly
    if key not in near_ties:
        assert runner_up[key][1] > runner_up[key][2]
# At 100 steps (one epoch of batches of 20 is 100 steps): the noisier the
# step, the lower the best rate, near-ties included.
assert (
    max(best[steps_100, 1], runner_up[steps_100, 1][0])
    < min(best[epoch, 20], runner_up[epoch, 20][0])
    < best[steps_100, None]
)
# One full-batch step: larger rates than its best give higher costs.
one_step = sweep_mean[epoch, None]
assert one_step[rates.index(0.3)] < one_step[rates.index(1.0)]
assert one_step[rates.index(1.0)] < one_step[rates.index(3.0)]
assert best[epoch, None] < best[epoch, 20]
assert other_rate == runner_up[epoch, 20][0]  # the main path's second rate
assert other_rate_1 == runner_up[epoch, 1][0]

# %% [markdown] tags=["deeper"]
# Each row's lowest mean over seeds {{ tuning_seeds[0] }} to {{ tuning_seeds[-1] }} is
# at the rate the main path used, and the hand-made runs of seeds 0 to
# {{ seeds[-1] }} at those rates end within {{ difference:.4f }} of `train`'s
# training costs. Three of the choices are near-ties, intervals that hold 0: for one
# epoch of batches of 1 the runner-up {{ runner_up[epoch, 1][0] }} is behind by
# {{ runner_up[epoch, 1][1]:+.4f }} ± {{ runner_up[epoch, 1][2]:.4f }}, for batches
# of 20 the runner-up {{ runner_up[epoch, 20][0] }} by
# {{ runner_up[epoch, 20][1]:+.4f }} ± {{ runner_up[epoch, 20][2]:.4f }}, for 100
# steps of batches of 1 the runner-up {{ runner_up[steps_100, 1][0] }} by
# {{ runner_up[steps_100, 1][1]:+.4f }} ± {{ runner_up[steps_100, 1][2]:.4f }}. The
# full batch's rates lead clearly: {{ best[steps_100, None] }} for 100 steps
# ({{ runner_up[steps_100, None][1]:+.4f }} ±
# {{ runner_up[steps_100, None][2]:.4f }}), {{ best[epoch, None] }} for one step
# ({{ runner_up[epoch, None][1]:+.4f }} ± {{ runner_up[epoch, None][2]:.4f }}).
#
# So at the same number of steps, 100, batches of 1 do best at
# {{ runner_up[steps_100, 1][0] }} or {{ best[steps_100, 1] }}, batches of 20 at
# {{ runner_up[epoch, 20][0] }} or {{ best[epoch, 20] }}, the full batch at
# {{ best[steps_100, None] }}: there, the noisier the step, the lower the best rate.
# The best rate also depends on the budget. One full-batch step does best at
# {{ best[epoch, None] }}, lower than batches of 20's: with a single step, a larger
# rate goes past the lowest cost along the gradient's direction, and nothing comes
# after to correct it (mean cost {{ one_step[rates.index(0.3)]:.3f }} at 0.3,
# {{ one_step[rates.index(1.0)]:.3f }} at 1.0, {{ one_step[rates.index(3.0)]:.3f }} at
# 3.0). The near-ties of one epoch matter: against batches of 20 at
# {{ other_rate }}, the main path's batches of 1 end lower on {{ lower_other }} of
# {{ len(paired) }} seeds, and at {{ other_rate_1 }} batches of 1 end lower than
# batches of 20 at {{ settings[epoch, 20][1] }} on only {{ lower_other_1 }}.

# %% [markdown] tags=["deeper"]
# ### What the steps cost in wall-clock time
#
# Train one run of each batch size for one epoch at its rate, this time with a
# stopwatch (same seed, so the same runs as the main path's first). Each timing is the
# fastest of 3 tries, to keep other programs on the machine out of the measurement.
# It covers all of `trained_neuron`: building the fresh neuron and `train`'s setup as
# well as the steps, so the "per step" column shares that fixed part out among the
# steps. Compare the single full-batch step's time with that of a whole step on 2000
# rows in the next table, which times the step alone.

# %% tags=["deeper", "wall-clock"]
import time

seconds, again = {}, {}
for batch_size in (1, 20, None):
    steps, rate = settings[epoch, batch_size]
    tries = []
    for _ in range(3):
        start = time.perf_counter()
        again[batch_size] = trained_neuron(batch_size, steps, rate, seed=0)
        tries.append(time.perf_counter() - start)
    seconds[batch_size] = min(tries)
    word = "step" if steps == 1 else "steps"
    print(
        f"batch of {batch_size or n:4d}: {steps:4d} {word}, "
        f"{1e3 * seconds[batch_size]:8.2f} ms per epoch with setup, "
        f"{1e3 * seconds[batch_size] / steps:6.3f} ms per step with setup"
    )
print(
    f"batch of 1 / batch of 20: {seconds[1] / seconds[20]:.1f} times the time,"
    f" {settings[epoch, 1][0] // settings[epoch, 20][0]} times the steps"
)

# %% tags=["deeper", "checks"]
assert seconds[1] > 5 * seconds[20]
for batch_size, model in again.items():  # the same seed gives the same run
    first_run = models[epoch, batch_size][0]
    for p_again, p_first in zip(
        model.parameters(), first_run.parameters(), strict=True
    ):
        assert torch.equal(p_again, p_first)

# %% [markdown] tags=["deeper"]
# (Your milliseconds will differ from these.) The epoch of single observations takes
# many times longer than the epoch in batches of 20, which takes a twentieth of the
# steps (the last line prints both ratios). What does a step cost? Time, on
# batches of 1, 20 and 2000 rows and on a full batch of a data set a hundred times
# larger (100,000 qwerties per cluster), first one gradient computation (forward
# pass, cost, backward pass), then a whole step as `train` takes it (also clearing the
# old gradient, reading the cost with `.item()`, and the optimiser's update). Each
# timing is the fastest of several tries, to keep other programs on the machine out of
# the measurement.

# %% tags=["deeper", "wall-clock"]
import timeit

x_big, y_big = qwerties(n_per_cluster=100_000, seed=2)
gradient_seconds, step_seconds = {}, {}
print("   rows  gradient (ms)  whole step (ms)  step per observation (µs)")
for rows in (1, 20, 2000, len(x_big)):
    model = mlp([2, 1], output_activation="sigmoid", seed=0)
    sgd = torch.optim.SGD(model.parameters(), lr=0.01)

    def one_gradient(rows=rows, model=model):
        model.zero_grad()
        cost = F.binary_cross_entropy(model(x_big[:rows]), y_big[:rows])
        cost.backward()

    def one_step(rows=rows, model=model, sgd=sgd):
        sgd.zero_grad()
        cost = F.binary_cross_entropy(model(x_big[:rows]), y_big[:rows])
        cost.item()
        cost.backward()
        sgd.step()

    gradient_seconds[rows] = (
        min(timeit.repeat(one_gradient, number=5, repeat=5)) / 5
    )
    step_seconds[rows] = min(timeit.repeat(one_step, number=5, repeat=5)) / 5
    print(
        f"{rows:7d}  {1e3 * gradient_seconds[rows]:13.3f}  "
        f"{1e3 * step_seconds[rows]:15.3f}  "
        f"{1e6 * step_seconds[rows] / rows:25.3f}"
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
# ### Is the neuron's gap more than chance?
#
# Each cost is a mean over a sample of points, and another draw of the points would
# give another mean. By the $\sqrt k$ argument above, applied to the losses
# instead of the gradients, a mean of $m$ losses of standard deviation $s$ is off by
# about $s/\sqrt{m}$, its **standard error** (page 7's
# [primer](../07_slope_challenge/#a-short-statistics-primer) says more). The gap, a
# difference of two independent means, is off by about
# $\sqrt{s_1^2/m_1 + s_2^2/m_2}$. A mean of many losses is close to normally
# distributed, and $95\%$ of a normal distribution lies within $1.96$ standard
# deviations of its mean, so $\pm 1.96$ times this is a 95% band: a gap outside it
# would be rare if only the draw of the points were at work. Compare each one-epoch run's gap with
# its band:

# %% tags=["deeper"]
print(f"batch  held-out − training cost, {len(seeds)} runs   95% noise band")
bands = {}
for batch_size in (1, 20, None):
    bands[batch_size] = []
    for m in models[epoch, batch_size]:
        on_train = F.binary_cross_entropy(
            predict(m, x_q), y_q, reduction="none"
        )
        on_new = F.binary_cross_entropy(
            predict(m, x_new), y_new, reduction="none"
        )
        standard_error = (
            on_train.var() / len(on_train) + on_new.var() / len(on_new)
        ).sqrt()
        bands[batch_size].append(1.96 * standard_error.item())
    print(
        f"{batch_size or n:5d}  {min(gaps[batch_size]):+.4f} to "
        f"{max(gaps[batch_size]):+.4f}              "
        f"±{min(bands[batch_size]):.4f} to ±{max(bands[batch_size]):.4f}"
    )

# %% tags=["deeper", "checks"]
assert all(
    abs(g) < band
    for b in gaps
    for g, band in zip(gaps[b], bands[b], strict=True)
)  # every gap within its noise band

# %% [markdown] tags=["deeper"]
# Every one of the {{ len(every_gap) }} gaps lies inside its band (the narrowest is
# ±{{ min(min(b) for b in bands.values()):.4f }}): what separates this neuron's
# training and held-out costs is no more than the draw of the points gives by chance.
# That does not prove the gap is 0, only that these runs cannot tell it from 0.

# %% [markdown] tags=["deeper"]
# ### A model that can overfit
#
# The main path's neuron does not overfit measurably. A test of the notes' claim needs
# a model that can: 20 training points per class from two overlapping clusters,
# centres (1, 1) and (3, 1), and a network with two hidden
# [layers](../../glossary/#layer) of 32 [ReLU](../../glossary/#relu) units (more than a
# thousand parameters, as the cell prints), trained with batches of 1, of 20 (the
# notes' size) and with the full batch, 3 runs (seeds) each. The optimiser is
# [Adam](../../glossary/#adam), which scales each parameter's step by running averages
# of its past gradients and so reaches low training costs in a few hundred steps, few
# enough to build in seconds. Unlike the main path, every batch size gets the same
# learning rate, 0.01, not one tuned for it: this fold shows what happens at that one
# rate, and whether plain SGD behaves the same is not tested here. Every 10 epochs we
# stop and measure the training cost and the cost on 1000 fresh points of the same
# two clusters; the batches of 1 train for 80 epochs, the others for 400 (the table
# prints the steps). (Passing `train` one optimizer and one generator for the
# shuffles, both made once per run, carries Adam's running averages and the shuffle
# sequence from one call to the next: the stops do not disturb the run.)

# %% tags=["deeper", "cpu-sensitive"]
x_small, y_small = qwerties(centres=((1, 1), (3, 1)), n_per_cluster=20, seed=0)
x_far, y_far = qwerties(centres=((1, 1), (3, 1)), n_per_cluster=500, seed=1)
every = 10  # epochs between stops
total_epochs = {1: 80, 20: 400, None: 400}  # batch size -> epochs in all


def reuse(optimizer):
    """An optimizer factory for `train` that hands back this one optimizer."""
    return lambda params: optimizer


history = {}  # (batch size, seed) -> one (training, held-out) row per stop
for batch_size, epochs in total_epochs.items():
    for seed in range(3):
        net = mlp([2, 32, 32, 1], output_activation="sigmoid", seed=seed)
        adam = torch.optim.Adam(net.parameters(), lr=0.01)
        shuffles = as_generator(seed)
        rows = []
        for _ in range(epochs // every):
            train(
                net,
                x_small,
                y_small,
                epochs=every,
                loss="bce",
                optimizer=reuse(adam),
                batch_size=batch_size,
                seed=shuffles,
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
    steps = total_epochs[batch_size] * len(x_small) // size
    last_train, last_held = rows[-1].tolist()
    print(
        f"{size:5d}  {seed:4d}  {steps:5d}  {last_train:13.3f}  "
        f"{last_held:8.3f}  {last_held - last_train:+.3f}"
    )
final_gaps = {
    size: [
        (rows[-1, 1] - rows[-1, 0]).item()
        for (b, _), rows in history.items()
        if b == size
    ]
    for size in total_epochs
}
first_gap = first_stop[:, 1] - first_stop[:, 0]
print(
    f"first stop: training costs {first_stop[:, 0].min():.2f} to "
    f"{first_stop[:, 0].max():.2f}, gaps {first_gap.min():+.3f} to "
    f"{first_gap.max():+.3f}"
)

# %% tags=["deeper", "checks"]
assert min(min(g) for g in final_gaps.values()) > 0.2  # all overfit

# %% [markdown] tags=["deeper"]
# The runs of different batch sizes stop at different training costs, so compare
# their gaps where they reach the same training cost: between the two stops (10
# epochs apart, for every batch size) where a run's training cost first falls past a
# level, read its gap off the straight line joining them. The levels can go no lower
# than the lowest training cost that every run reaches. And how steadily does the gap
# grow as the training cost falls? The [correlation](../../glossary/#correlation) of
# the two measures how close they lie to a straight line; **Spearman's rank
# correlation**, the correlation of their ranks (1st, 2nd, … lowest), measures only
# whether one always falls as the other rises: it is $-1$ when every lower training
# cost comes with a wider gap, whatever the curve's shape. It is computed per run,
# since the stops of one run are not independent draws.

# %% tags=["deeper", "cpu-sensitive"]
levels = (0.30, 0.28, 0.25)
floor = max(rows[:, 0].min().item() for rows in history.values())
print(f"lowest training cost that every run reaches: {floor:.3f}")


def gap_at(rows, level):
    """The gap where the training cost first reaches `level` (interpolated)."""
    cost, gap = rows[:, 0], rows[:, 1] - rows[:, 0]
    for i in range(1, len(cost)):
        if cost[i] <= level < cost[i - 1]:
            part = (cost[i - 1] - level) / (cost[i - 1] - cost[i])
            return (gap[i - 1] + part * (gap[i] - gap[i - 1])).item()
    return math.nan  # never reached


def ranks(values):
    return values.argsort().argsort().float()


matched = {
    (level, size): [
        gap_at(rows, level) for (b, _), rows in history.items() if b == size
    ]
    for level in levels
    for size in total_epochs
}
print("training cost   gaps of the 3 runs, batches of 1 | 20 | full")
for level in levels:
    print(
        f"{level:13.2f}   "
        + " | ".join(
            " ".join(f"{g:.3f}" for g in matched[level, size])
            for size in total_epochs
        )
    )
spearman = [
    torch.corrcoef(torch.stack([ranks(r[:, 0]), ranks(r[:, 1] - r[:, 0])]))[
        0, 1
    ].item()
    for r in history.values()
]
print(
    f"Spearman's correlation of training cost and gap, per run: "
    f"{min(spearman):.2f} to {max(spearman):.2f}"
)

# %% tags=["deeper", "checks"]
assert floor < min(levels) and first_stop[:, 0].min() > max(levels)
lowest_run = [b for (b, _), r in history.items() if r[:, 0].min() == floor]
assert lowest_run == [20]  # the run that stops the levels has batches of 20
assert not any(math.isnan(g) for gaps_ in matched.values() for g in gaps_)
*early, last = levels
for level in early:  # the batches of 1 have the smallest gaps
    assert max(matched[level, 1]) < min(
        matched[level, 20] + matched[level, None]
    )
for size in (20, None):  # at the last level the three ranges overlap
    assert min(matched[last, 1]) < max(matched[last, size])
    assert min(matched[last, size]) < max(matched[last, 1])
assert max(spearman) < -0.5

# %% tags=["deeper", "cpu-sensitive"] alt="Held-out cost minus training cost against the training cost, one line per run through its stops (one every 10 epochs), with the training-cost axis reversed so that training goes on from left to right; a line turns back to the left where its training cost rose between two stops. Blue circles: the 3 runs with batches of 1; green triangles: the 3 runs with batches of 20; orange squares: the 3 runs with the full batch. At the first stop the training costs lie between {{ first_stop[:, 0].min():.2f }} and {{ first_stop[:, 0].max():.2f }} and the gaps between {{ first_gap.min():+.3f }} and {{ first_gap.max():+.3f }}; every line ends well above where it started. Between training costs of {{ levels[0]:.2f }} and {{ levels[-1]:.2f }} the blue lines lie lowest at first, then mingle with the others; the lines end at training costs from {{ min(r[-1, 0] for r in history.values()):.2f }} to {{ max(r[-1, 0] for r in history.values()):.2f }}, with gaps up to {{ max(max(g) for g in final_gaps.values()):.3f }}."
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
style = {
    1: (COLORS["blue"], "o"),
    20: (COLORS["green"], "^"),
    None: (COLORS["orange"], "s"),
}
for (batch_size, seed), rows in history.items():
    color, marker = style[batch_size]
    name = "full batch" if batch_size is None else f"batch of {batch_size}"
    label = name if seed == 0 else None
    ax.plot(
        rows[:, 0],
        rows[:, 1] - rows[:, 0],
        color=color,
        marker=marker,
        markersize=4,
        label=label,
        zorder=3 if batch_size == 1 else 2,  # the short blue lines on top
    )
ax.invert_xaxis()  # training goes on from left to right
ax.set(
    xlabel="training cost, cross-entropy (nats; falls as training goes on)",
    ylabel="held-out cost − training cost (nats)",
    title=f"{n_parameters} parameters, {len(x_small)} training points",
)
ax.legend()
plt.show()

# %% [markdown] tags=["deeper", "caption"]
# **Figure 3.** The gap between held-out and training cost against the training cost,
# for 3 runs each with batches of 1 (circles), 20 (triangles) and the full batch
# (squares), measured every 10 epochs; training goes on from left to right, and a line
# turns back to the left where its training cost rose between two stops. The gaps
# start small (at most {{ first_gap.max():.3f }} at the first stop) and end between
# {{ min(min(g) for g in final_gaps.values()):.3f }} and
# {{ max(max(g) for g in final_gaps.values()):.3f }}.

# %% [markdown] tags=["deeper"]
# (Thousands of Adam steps magnify the last bits of the arithmetic, which differ from
# one CPU to another: on your machine the tables' last decimals, and the numbers
# quoted below, can differ a little. The asserts hold on every CPU we tried.)
#
# All 9 runs overfit: at the last stop the gap is between
# {{ min(final_gaps[1]):.3f }} and {{ max(final_gaps[1]):.3f }} with batches of 1,
# {{ min(final_gaps[20]):.3f }} and {{ max(final_gaps[20]):.3f }} with batches of 20,
# and {{ min(final_gaps[None]):.3f }} and {{ max(final_gaps[None]):.3f }} with the
# full batch. But the runs end at different training costs, after different numbers
# of steps. Where they reach the same training cost, the batches of 1 do not have the
# wider gaps: at {{ levels[0]:.2f }} and {{ levels[1]:.2f }} theirs are the smallest
# (at {{ levels[1]:.2f }}, {{ min(matched[levels[1], 1]):.3f }} to
# {{ max(matched[levels[1], 1]):.3f }}, against
# {{ min(matched[levels[1], 20] + matched[levels[1], None]):.3f }} and more), and at
# {{ levels[2]:.2f }} the three batch sizes' ranges overlap. The levels stop at
# {{ levels[2]:.2f }}, a little above {{ floor:.3f }}, the lowest training cost that
# every run reaches (one run of batches of 20 goes no lower): below it, not every run
# has a gap to compare. Within each run the gap widens as the training cost
# falls, a strong monotone relation: Spearman's correlation is between
# {{ min(spearman):.2f }} and {{ max(spearman):.2f }}, run by run; Figure 3 shows it is
# not a straight line. So, at this one shared Adam rate and with 3 runs per batch
# size, this flexible model overfits with every batch size once it trains long enough
# on few points, and the gap follows how far training has gone; these runs give no
# sign that single-observation updates widen it, against the notes' claim.

# %% [markdown] tags=["deeper"]
# ### More than two classes: categorical cross-entropy
#
# With $K$ classes, the model outputs one probability $\hat y_k$ per class (a softmax
# of $K$ logits, $\hat y_k = e^{z_k} / \sum_j e^{z_j}$), the target is 1 for the true
# class and 0 for the others, and the loss is $-\sum_k y_k \log \hat y_k$, that is
# $-\log \hat y_c$ for the true class $c$. PyTorch's `F.cross_entropy` takes the
# logits. For ten classes, as in the notes' digit recognition, check it by hand on
# three observations with random logits:

# %% tags=["deeper"]
logits_10 = torch.randn(3, 10, generator=as_generator(0))
digits = torch.tensor([3, 7, 0])  # the true class of each observation
softmax = logits_10.exp() / logits_10.exp().sum(dim=1, keepdim=True)
by_hand_10 = -softmax[torch.arange(3), digits].log().mean()
print(f"ten classes, by hand:     {by_hand_10:.6f}")
print(f"F.cross_entropy:          {F.cross_entropy(logits_10, digits):.6f}")

# %% tags=["deeper", "checks"]
assert torch.allclose(by_hand_10, F.cross_entropy(logits_10, digits))

# %% [markdown] tags=["deeper"]
# With two classes and logits $(0, z)$, the softmax gives class 1 the probability
# $e^{z}/(1 + e^{z}) = \sigma(z)$, so the loss is binary cross-entropy on the logit
# $z$:

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
# - The notes' ½ halves every gradient, like halving gradient descent's learning rate;
#   the minimum does not move.
# - Compare batch sizes each at its own learning rate, over many runs, seed by seed.
#   Per epoch, small batches take more steps; per step, large batches take more exact
#   ones. Over {{ len(seeds) }} runs, per epoch, which of batches of 1 and 20
#   ended lower turned on learning rates the sweep cannot tell apart (batches of 1
#   lower on {{ lower_1 }} seeds at the sweep's picks, on {{ lower_other }} against
#   batches of 20 at {{ other_rate }}, on {{ lower_other_1 }} at their own
#   {{ other_rate_1 }}), and batches of 20 took a twentieth of the steps; per step
#   the full batch led on all {{ lower_full }}.
# - Overfitting comes from a flexible model trained long on few points: in Going
#   deeper it overfits with every batch size.

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
# gradient's size does not grow with the number of observations in a batch, so a
# rate keeps its scale when the batch size changes, which is why it is the default.
# A *good* rate still depends on the batch size: for 100 steps the sweep's best were
# {{ runner_up[steps_100, 1][0] }} or {{ best[steps_100, 1] }} for batches of 1,
# {{ runner_up[epoch, 20][0] }} or {{ best[epoch, 20] }} for batches of 20 (each
# pair a near-tie) and {{ best[steps_100, None] }} for the full batch: lower for
# noisier steps. It also depends on the number of steps (Going deeper).

# %% [markdown]
# **Exercise 2.** Give every batch size the batches of 1's learning rate, 0.3: train
# one run (seed 0) with batches of 20 and one with the full batch for one epoch each,
# with `trained_neuron`, and compare their training costs with the batch of 1's at
# that rate. What would these three runs alone say about batch sizes? Compare with
# seed 0 at each setting's own rate, and with all {{ len(seeds) }} seeds.

# %% tags=["solution"]
# train_cost[budget, batch size] holds one cost per seed: [0] is seed 0's.
same_rate = {1: train_cost[epoch, 1][0].item()}  # the main path's run
for batch_size in (20, None):
    steps = n // (batch_size or n)  # one epoch
    model = trained_neuron(batch_size, steps, 0.3, seed=0)
    same_rate[batch_size] = binary_cross_entropy(
        predict(model, x_q), y_q
    ).item()
own_rate = {}
for batch_size in (1, 20, None):
    own_rate[batch_size] = train_cost[epoch, batch_size][0].item()
print("batch  at rate 0.3  at its own rate (seed 0)")
for batch_size, value in same_rate.items():
    rate = settings[epoch, batch_size][1]
    print(
        f"{batch_size or n:5d}  {value:11.3f}  {own_rate[batch_size]:.3f} "
        f"(rate {rate})"
    )
print(
    f"batches of 1 minus 20: {same_rate[1] - same_rate[20]:+.3f} at rate "
    f"0.3, {own_rate[1] - own_rate[20]:+.3f} at their own rates"
)
assert same_rate[1] < same_rate[20] < same_rate[None]
assert own_rate[1] < own_rate[20] < own_rate[None]

# %% [markdown] tags=["solution"]
# At rate 0.3 the costs follow the number of steps: {{ same_rate[1]:.3f }} for
# batches of 1, {{ same_rate[20]:.3f }} for batches of 20 and
# {{ same_rate[None]:.3f }} for the full batch. These three runs alone say "the
# smaller the batch, the better, and by far". At their own rates seed 0 keeps the same
# order ({{ own_rate[1]:.3f }}, {{ own_rate[20]:.3f }}, {{ own_rate[None]:.3f }}):
# 0.3 is already the best rate of batches of 1 and of one full-batch step, but at its
# own rate, {{ settings[epoch, 20][1] }}, the batch of 20 ends at
# {{ own_rate[20]:.3f }} instead of {{ same_rate[20]:.3f }}. On seed 0 the shared
# rate turned a difference of {{ own_rate[1] - own_rate[20]:+.3f }} between batches of
# 1 and 20 into one of {{ same_rate[1] - same_rate[20]:+.3f }}. And one run is one
# seed: over the main path's {{ len(seeds) }} seeds at their own rates, batches of 1
# ended lower on {{ lower_1 }} of them, {{ share_1.rate.item():.0%}}
# [{{ share_1.low.item():.0%}}, {{ share_1.high.item():.0%}}]: these runs cannot tell
# which leads (and the rates decide it: batches of 1 were lower on
# {{ lower_other }} against batches of 20 at {{ other_rate }}, on
# {{ lower_other_1 }} at their own {{ other_rate_1 }}). A
# comparison at one rate, on one run, measures the rate and the seed as much as the
# batch size.

# %% [markdown]
# **Exercise 3 (pencil and paper).** Three predictions $\hat y = (0.9, 0.2, 0.6)$ for
# the classes $y = (1, 0, 1)$. Compute each binary cross-entropy loss and their cost,
# then the mean squared error (without the ½), using $\ln 0.9 \approx -0.105$,
# $\ln 0.8 \approx -0.223$ and $\ln 0.6 \approx -0.511$. Which observation costs most
# under each, and how many times the cheapest? Check with `binary_cross_entropy` and
# `mse`.

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
# observation worst, the one furthest from its class. Cross-entropy's ratio of worst
# to best loss, {{ bce_spread:.1f }}, is smaller than the squared error's,
# {{ se_spread:.0f }}, because of how each grows with the error $e = |\hat y - y|$
# (here $0.1$, $0.2$ and $0.4$). The squared error is $e^2$, so its ratio is
# $(0.4/0.1)^2 = 16$. The cross-entropy is $-\ln(1 - e)$, whose slope at $e = 0$ is 1:
# for small errors it is close to $e$ itself, so its ratio stays near $0.4/0.1 = 4$.
# That holds only while no prediction is confidently wrong; Figure 1 shows the other
# end, where cross-entropy has no ceiling.

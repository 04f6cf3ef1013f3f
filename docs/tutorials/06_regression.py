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
# # 6. Regression

# %% [markdown] tags=["header"]
# **Lecture 45** of the course ([the notes' passage](../../notes/#lecture-45)). The
# notes draw 50 points around the line $y = x$, fit them with one linear unit trained
# by mean squared error and Adam (learning rate 0.01, 100 epochs), plot the fit and the
# loss, and ask: if deep learning is so great, why not use it for everything?
#
# After this page you can: write Adam's update rule and explain why its steps are about
# one learning rate long; derive the least-squares line and compare a trained unit with
# it; bound how many epochs Adam needs; call a PyTorch loss in the right order.

# %% [markdown]
# The smallest network there is, one linear unit with no activation, computes
# $\hat y = w x + b$: a straight line. Trained with the
# [mean squared error](../../glossary/#mse), it is
# doing *linear regression*, which has an exact answer in closed form. So we know the
# right answer in advance, can watch the optimizer walk towards it, count the
# [epochs](../../glossary/#epoch) it needs (one epoch is one pass over the data set,
# here one update), and ask what the network buys over the formula.
#
# ## The idea
#
# The data are $n = 50$ points $y_i = x_i + \varepsilon_i / 2$, where $x_i$ and
# $\varepsilon_i$ are independent standard normal draws: the true line is $y = x$
# (slope 1, intercept 0) and the noise has variance $\tfrac14$. The model
# $\hat y_i = w x_i + b$ is trained on the [cost](../../glossary/#cost)
#
# $$
# C(w, b) = \frac{1}{n} \sum_{i=1}^{n} (w x_i + b - y_i)^2 .
# $$
#
# $C$ is a quadratic in $(w, b)$ that curves upward in every direction (unless all
# $x_i$ are equal): a bowl with one lowest point, where both partial derivatives are
# zero. From $\partial C / \partial b = \tfrac2n \sum_i (w x_i + b - y_i) = 0$ comes
# $b = \bar y - w \bar x$ (bars are means). Put it into
# $\partial C / \partial w = \tfrac2n \sum_i (w x_i + b - y_i)\, x_i = 0$ and the
# equation becomes $\sum_i \bigl(w (x_i - \bar x) - (y_i - \bar y)\bigr) x_i = 0$. The
# bracket is $w x_i + b - y_i$ with that $b$, so by the first equation its sum over $i$
# is zero; subtracting $\bar x$ times that sum (zero) replaces the last $x_i$ by
# $x_i - \bar x$. That gives the *least-squares line*:
#
# $$
# w^\star = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2},
# \qquad b^\star = \bar y - w^\star \bar x .
# $$
#
# The network does not solve these equations. It starts from random $(w, b)$ and takes
# steps downhill with Adam, the optimizer of the lecture (taught below). The smallest
# cost any line can reach on these points is $C(w^\star, b^\star)$: we call it the
# *floor*.
#
# ## The notes' experiment
#
# `regression_data` draws the lecture's data, `regression_unit` builds the one-unit
# model (one `nn.Linear(1, 1)`, printed below) and `train` runs the lecture's loop:
# 100 epochs of Adam at learning rate 0.01 on the full data set. `least_squares`
# computes the closed-form line, and `predict` runs the trained model without recording
# gradients.

# %%
import statistics
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from annlab.data import regression_data
from annlab.metrics import least_squares
from annlab.models import regression_unit
from annlab.training import predict, train

x, y = regression_data(slope=1.0, n_points=50, noise=0.5, seed=0)

model = regression_unit(seed=0)
print(model)
result = train(
    model, x, y, epochs=100, loss="mse", learning_rate=0.01, optimizer="adam"
)
w_net = model[0].weight.item()
b_net = model[0].bias.item()
# the loss of epoch t is computed before that epoch's update: the MSE of the
# final line needs one more evaluation
mse_net = F.mse_loss(predict(model, x), y).item()

fit = least_squares(x, y)
print(f"{'':22s}{'slope':>8s}{'intercept':>11s}{'MSE':>8s}")
print(f"{'true line':22s}{1.0:8.3f}{0.0:11.3f}")
print(
    f"{'least squares':22s}{fit.slope:8.3f}{fit.intercept:11.3f}{fit.mse:8.4f}"
)
print(f"{'network, 100 epochs':22s}{w_net:8.3f}{b_net:11.3f}{mse_net:8.4f}")
print(f"the network's loss in epoch 1:   {result.epoch_losses[0]:.4f}")
print(f"the network's loss in epoch 100: {result.epoch_losses[-1]:.4f}")

# %% tags=["checks"]
assert fit.slope - w_net > 0.1
assert mse_net > 1.1 * fit.mse
# the last recorded loss is one update older than the final line
assert result.epoch_losses[-1] > mse_net

# %% [markdown]
# After the lecture's 100 epochs this run (one start, seed 0) is *not* at the best line
# yet: its slope, {{ w_net:.3f }}, is below the least-squares slope,
# {{ fit.slope:.3f }}, and the MSE of its final line, {{ mse_net:.4f }}, is above the
# floor, {{ fit.mse:.4f }}. (`train` computes an epoch's loss before its update: the
# loss of epoch 100, {{ result.epoch_losses[-1]:.4f }}, is that of the line one step
# earlier.) Neither the network nor least squares recovers the true slope 1 and
# intercept 0 exactly: with 50 noisy points, the best line *for these
# points* is not the line that generated them.

# %% alt="Left: the 50 training points scattered around a rising line, with three lines drawn through them: the true line y = x, the least-squares line almost on top of it, and the network's line after 100 epochs, visibly flatter. Right: the network's loss per epoch falling from {{ result.epoch_losses[0]:.2f }} to {{ result.epoch_losses[-1]:.2f }} over 100 epochs, still above the dashed horizontal line of the least-squares floor at {{ fit.mse:.3f }}."
line_x = torch.linspace(x.min(), x.max(), 2).reshape(-1, 1)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
ax_fit.scatter(x, y, s=20, color="grey", label="training data")
ax_fit.plot(
    line_x,
    line_x,
    color="tab:green",
    linestyle=":",
    label="true line y = x",
)
ax_fit.plot(
    line_x,
    fit.slope * line_x + fit.intercept,
    color="tab:blue",
    label="least squares",
)
ax_fit.plot(
    line_x,
    predict(model, line_x),
    color="tab:orange",
    linestyle="--",
    label="network, 100 epochs",
)
ax_fit.set(xlabel="x", ylabel="y", title="data and fitted lines")
ax_fit.legend()

epochs = torch.arange(1, len(result.epoch_losses) + 1)
ax_loss.plot(
    epochs,
    result.epoch_losses,
    color="tab:orange",
    label="network (Adam, lr 0.01)",
)
ax_loss.axhline(
    fit.mse,
    color="tab:blue",
    linestyle="--",
    label=f"least-squares floor {fit.mse:.3f}",
)
ax_loss.set(
    xlabel="epoch", ylabel="mean squared error", title="loss per epoch"
)
ax_loss.legend()
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** Left: the 50 points with the true line, the least-squares line and the
# network's line after 100 epochs (seed 0). Right: the network's loss in each epoch
# (computed before that epoch's update), from
# {{ result.epoch_losses[0]:.4f }} to {{ result.epoch_losses[-1]:.4f }}, still above
# the least-squares floor at {{ fit.mse:.4f }}.

# %% [markdown]
# ## Adam's update rule
#
# Page 5's [gradient descent](../../glossary/#gradient-descent) updates every parameter
# $\theta$ (here $w$ and $b$) by $\theta \leftarrow \theta - \eta\, g$, with $g$ the
# gradient $\partial C / \partial \theta$ and $\eta$ the
# [learning rate](../../glossary/#learning-rate); with the full data set in every
# step, as here, `torch.optim.SGD` ([SGD](../../glossary/#sgd), stochastic gradient
# descent, named for its usual random mini-batches) does exactly this. Its step is $\eta |g|$: long
# where the slope of the cost is steep, short where it is flat.
#
# Adam (*adaptive moment estimation*, by Kingma and Ba) keeps, for every parameter, two running averages, and at
# step $t = 1, 2, \dots$ updates them and the parameter:
#
# $$
# \begin{aligned}
# m &\leftarrow \beta_1 m + (1 - \beta_1)\, g, &
# v &\leftarrow \beta_2 v + (1 - \beta_2)\, g^2, \\
# \hat m &= \frac{m}{1 - \beta_1^{t}}, &
# \hat v &= \frac{v}{1 - \beta_2^{t}}, \\
# \theta &\leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}. &&
# \end{aligned}
# $$
#
# $m$ and $v$ start at 0; PyTorch's defaults, used here, are $\beta_1 = 0.9$,
# $\beta_2 = 0.999$ and $\epsilon = 10^{-8}$. $m$ is an average of recent gradients
# (it keeps a share $\beta_1$ of its old value per step, so a gradient $k$ steps
# back weighs $(1 - \beta_1)\beta_1^k$: these weights add up to 1, and their
# average age is about $1 / (1 - \beta_1) = 10$ steps), and $v$ an average of
# recent squared gradients (over roughly the last $1 / (1 - \beta_2) = 1000$).
# Because both start at 0, they are too small in the first steps; dividing by
# $1 - \beta^t$, the *bias correction* (a correction of a statistical bias, an
# average pulled towards 0, not the neuron's bias $b$), undoes that: exactly when the gradient is constant, as the next
# paragraph shows, and approximately when it changes slowly.
#
# **Why a step is about $\eta$ long.** Suppose the gradient is the same number $g$ at
# every step. After $t$ steps, $m$ is a geometric sum:
#
# $$
# m = (1 - \beta_1)\,(1 + \beta_1 + \dots + \beta_1^{t-1})\, g = (1 - \beta_1^{t})\, g,
# \qquad \text{so} \qquad \hat m = g,
# $$
#
# and in the same way $v = (1 - \beta_2^{t})\, g^2$ and $\hat v = g^2$. The step is then
# $\eta\, g / (|g| + \epsilon)$: exactly $\eta$ long, in the direction of $-g$,
# whatever the size of $g$ ($\epsilon$ only matters for gradients near
# $10^{-8}$). At the first step this holds for any gradient, since $\hat m = g_1$ and
# $\hat v = g_1^2$. When the gradient keeps its sign and changes slowly, $\hat m$ and
# $\sqrt{\hat v}$ are both about the size of recent gradients and the ratio stays close
# to 1. When the gradient shrinks, $\hat v$ still remembers the larger gradients of the
# past, while $\hat m$ follows the recent ones: the ratio, and the step, drop below 1.
# When the gradient flips sign back and forth, the gradients in $m$ cancel and the
# steps become short. A step can be *longer* than $\eta$ when the gradient suddenly
# grows after many small ones: $\hat m$ follows it within a few steps, while
# $\sqrt{\hat v}$ still remembers the small gradients (a check further down, where
# Adam's steps are recomputed by hand, builds such a step: one large gradient after
# 2000 tiny ones moves more than $2\eta$).
#
# ## How many epochs does it take?
#
# To watch Adam's steps, we write the training loop out, as the lecture does, run it
# for 500 epochs from the same start, and record the slope, the intercept and their
# gradients at every step:

# %%
model = regression_unit(seed=0)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
weight, bias = model[0].weight, model[0].bias
# the start, then the values after every step
slopes, intercepts = [weight.item()], [bias.item()]
losses, slope_gradients, intercept_gradients = [], [], []
for _ in range(500):
    optimizer.zero_grad()
    y_hat = model(x)
    loss = F.mse_loss(y_hat, y)  # (prediction, target): PyTorch's order
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    slope_gradients.append(weight.grad.item())
    intercept_gradients.append(bias.grad.item())
    slopes.append(weight.item())
    intercepts.append(bias.item())
losses = torch.tensor(losses)

# %% tags=["checks"]
# The same loop as inside `train`: its first 100 losses are the ones above.
assert torch.equal(losses[:100], result.epoch_losses)

# %% [markdown]
# Each step's length in learning rates is $|\Delta\theta| / \eta$, the change of the
# parameter in that epoch divided by 0.01. By the rule above it is
# $|\hat m / (\sqrt{\hat v} + \epsilon)|$:

# %%
learning_rate = 0.01
slope_steps = torch.tensor(slopes).diff().abs() / learning_rate
intercept_steps = torch.tensor(intercepts).diff().abs() / learning_rate
print("epoch   ∂C/∂w  |Δw|/η    ∂C/∂b  |Δb|/η")
for t in (1, 2, 3, 5, 10, 20, 50, 100, 200):
    print(
        f"{t:5d} {slope_gradients[t - 1]:7.3f} {slope_steps[t - 1]:7.3f}"
        f"  {intercept_gradients[t - 1]:7.3f} {intercept_steps[t - 1]:7.3f}"
    )
longest = max(slope_steps.max(), intercept_steps.max())
print(f"longest step of either parameter: {longest:.4f} η")


# %% [markdown]
# The first step is one learning rate long for both parameters, though the two
# gradients differ in size ({{ slope_gradients[0]:.3f }} and
# {{ intercept_gradients[0]:.3f }}). Over the first epochs both gradients keep their
# sign and the steps stay close to one learning rate; as the gradients shrink, the
# steps shrink with them. To check that this is the rule above, not something else
# inside `torch.optim.Adam`, apply it by hand to the recorded gradients:


# %%
def adam_steps(gradients, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam's change to a parameter at every step, from its gradients."""
    m, v, steps = 0.0, 0.0, []
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        steps.append(-lr * m_hat / (v_hat**0.5 + eps))
    return torch.tensor(steps, dtype=torch.float64)


by_hand = adam_steps(slope_gradients)
by_torch = torch.tensor(slopes).diff().double()
print("first steps of w, by hand:", [f"{s:.6f}" for s in by_hand[:3]])
print("first steps of w, torch:  ", [f"{s:.6f}" for s in by_torch[:3]])
agree = torch.allclose(by_hand, by_torch, rtol=0, atol=1e-6)
print("all 500 steps agree within 1e-4 learning rates:", agree)

# %% tags=["checks"]
# float32 parameters near 1 are spaced about 6e-8 apart, so a measured step
# carries that error; 1e-6 is 1e-4 learning rates.
assert agree
assert torch.allclose(
    adam_steps(intercept_gradients),
    torch.tensor(intercepts).diff().double(),
    rtol=0,
    atol=1e-6,
)
assert abs(slope_steps[0] - 1) < 1e-4 and abs(intercept_steps[0] - 1) < 1e-4
assert slope_steps.max() < 1.0001 and intercept_steps.max() < 1.0001
# Not a general rule (key points): a large gradient after 2000 tiny ones gives
# a step of almost 3 learning rates.
assert adam_steps([1e-4] * 2000 + [1.0], lr=1.0)[-1] < -2

# %% alt="Left: the gradients of the slope and of the intercept per epoch over the first 300 epochs: the slope's starts at {{ slope_gradients[0]:.3f }} and rises towards 0, the intercept's starts at {{ intercept_gradients[0]:.3f }} and falls to near 0 within about a hundred epochs. Right: each parameter's step length in learning rates: both start at 1 and stay near 1 for the first epochs, then shrink towards 0 as their gradients shrink, the intercept's first: it dips to {{ intercept_steps[dip - 1]:.3f }} at epoch {{ dip }}, grows back to {{ intercept_steps[rebound - 1]:.3f }} at epoch {{ rebound }} and shrinks again."
# epochs (of the first 300) where the intercept's gradient is below 0
negative = [t for t in range(1, 301) if intercept_gradients[t - 1] < 0]
dip = int(intercept_steps[:150].argmin()) + 1  # its shortest step, first 150
rebound = dip + int(intercept_steps[dip:300].argmax()) + 1  # longest after
print(f"∂C/∂b below 0 from epoch {negative[0]} to epoch {negative[-1]}")
print(
    f"|Δb|/η: {intercept_steps[dip - 1]:.4f} at epoch {dip}, "
    f"{intercept_steps[rebound - 1]:.4f} at epoch {rebound}"
)
first_epochs = range(1, 301)
fig, (ax_grad, ax_step) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
ax_grad.plot(
    first_epochs, slope_gradients[:300], color="tab:blue", label="∂C/∂w"
)
ax_grad.plot(
    first_epochs,
    intercept_gradients[:300],
    color="tab:orange",
    label="∂C/∂b",
)
ax_grad.axhline(0, color="grey", linewidth=0.6)
ax_grad.set(xlabel="epoch", ylabel="gradient of the cost", title="gradients")
ax_grad.legend()
ax_step.plot(
    first_epochs, slope_steps[:300], color="tab:blue", label="|Δw| / η"
)
ax_step.plot(
    first_epochs,
    intercept_steps[:300],
    color="tab:orange",
    label="|Δb| / η",
)
ax_step.axhline(1, color="grey", linestyle="--", label="one learning rate")
ax_step.set(
    xlabel="epoch",
    ylabel="step length / learning rate",
    title="Adam's steps",
)
ax_step.legend()
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The first 300 epochs of the run of seed 0. Left: the gradients of the
# cost with respect to the slope and the intercept. Right: the length of each
# parameter's step, in learning rates: one learning rate at the first step, then
# shorter as its gradient shrinks. The intercept's step dips at epoch {{ dip }} and
# grows back until epoch {{ rebound }} (Going deeper explains why).

# %% [markdown]
# Now the epoch count. The loss curve on a logarithmic axis, and the parameters:

# %%
within = losses <= 1.01 * fit.mse
first_close = int(within.float().argmax()) + 1
print(
    f"loss within 1% of the floor from epoch {first_close} on, "
    f"after {first_close - 1} steps"
)
print(
    f"after 500 epochs: slope {slopes[-1]:.5f} (least squares "
    f"{fit.slope:.5f}), intercept {intercepts[-1]:.5f} "
    f"({fit.intercept:.5f})"
)
initial_slope = slopes[0]
distance = fit.slope - initial_slope  # how far the slope has to travel
print(f"initial slope {initial_slope:.4f}, distance to travel {distance:.4f}")
print(f"steps of one learning rate: at least {distance / 0.01:.0f} steps")
# within 1% of the floor needs var(x)·(w - w⋆)² ≤ 1% of the floor
var_x = ((x - x.mean()) ** 2).mean().item()
allowed = (0.01 * fit.mse / var_x) ** 0.5
bound_1pct = (distance - allowed) / 0.01
print(
    f"within 1% needs |w - w⋆| ≤ {allowed:.4f}: "
    f"at least {bound_1pct:.0f} steps"
)
lowest = losses.min().item() - fit.mse
floor32 = torch.tensor(fit.mse, dtype=torch.float32)
spacing = (torch.nextafter(floor32, torch.tensor(1.0)) - floor32).item()
print(f"lowest training loss minus the floor: {lowest:.1e}")
print(f"float32 spacing at the floor: {spacing:.1e}")

# %% tags=["checks"]
assert within[first_close - 1 :].all()  # and it stays there
assert abs(slopes[-1] - fit.slope) < 1e-4
assert abs(intercepts[-1] - fit.intercept) < 1e-4
# both lower bounds fall short of the lecture's 100 epochs
assert bound_1pct < distance / 0.01 < 100 < first_close
assert slope_steps[99] < 0.5

# %% alt="Left: on a logarithmic axis, the loss minus the least-squares floor falls from {{ gap[0]:.2f }} to one millionth, where the plot clips it, at epoch {{ first_clipped }}; the lecture's 100 epochs end well above the dotted 1% line, which the curve crosses {{ first_close - 100 }} epochs later. Right: the slope climbs from {{ slopes[0]:.2f }} to the least-squares slope, {{ fit.slope:.2f }}, and the intercept falls from {{ intercepts[0]:.2f }} to the least-squares intercept, {{ fit.intercept:.2f }}, both settling on their dashed least-squares values."
gap = (losses - fit.mse).clamp(min=1e-6)  # a log axis cannot draw 0 or less
first_clipped = int((gap <= 1e-6).float().argmax()) + 1  # epoch it hits 1e-6
fig, (ax_gap, ax_par) = plt.subplots(
    1, 2, figsize=(10, 4), layout="constrained"
)
ax_gap.semilogy(range(1, 501), gap, color="tab:orange")
ax_gap.axhline(
    0.01 * fit.mse,
    color="grey",
    linestyle=":",
    label="1% of the floor",
)
ax_gap.axvline(
    100,
    color="tab:purple",
    linestyle="--",
    label="the lecture's 100 epochs",
)
ax_gap.axvline(
    first_close,
    color="tab:blue",
    linestyle="--",
    label=f"within 1% from epoch {first_close}",
)
ax_gap.set(
    xlabel="epoch",
    ylabel="loss − floor (clipped at 1e-6)",
    title="distance to the least-squares loss",
)
ax_gap.legend()

ax_par.plot(range(0, 501), slopes, color="tab:blue", label="slope w")
ax_par.plot(range(0, 501), intercepts, color="tab:orange", label="intercept b")
ax_par.axhline(fit.slope, color="tab:blue", linestyle="--")
ax_par.axhline(fit.intercept, color="tab:orange", linestyle="--")
ax_par.set(
    xlabel="epoch",
    ylabel="parameter value",
    title="parameters (dashed: least squares)",
)
ax_par.legend()
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** The same run over 500 epochs. Left: the loss minus the floor, on a
# logarithmic axis, clipped at $10^{-6}$, a value chosen only for drawing (a logarithmic
# axis cannot show 0 or the tiny negative gaps rounding leaves at the end); it is
# within 1% of the floor from epoch {{ first_close }} on. Right: the slope and the
# intercept reach their least-squares values (dashed).

# %% [markdown]
# Gradient descent with Adam does reach the closed-form answer: after 500 epochs its
# slope is {{ slopes[-1]:.5f }} and its intercept {{ intercepts[-1]:.5f }}, against
# {{ fit.slope:.5f }} and {{ fit.intercept:.5f }} from the formula. But its loss is
# within 1% of the floor only from epoch {{ first_close }} on, that is after
# {{ first_close - 1 }} steps (an epoch's loss is computed before its update), well past
# the lecture's 100 epochs. The rule above gives a lower bound. No step of this run is
# longer than one learning rate (the table's longest is {{ longest:.4f }} η), so $N$
# steps change the slope by at most $N \eta$. The slope starts at
# {{ initial_slope:.4f }}, {{ distance:.4f }} from $w^\star$: reaching $w^\star$ takes
# at least {{ distance:.4f }} / 0.01, that is {{ distance / 0.01:.0f }} steps.
#
# The 1% criterion asks a little less: at least {{ bound_1pct:.0f }} steps (derived in
# Going deeper), against the {{ first_close - 1 }} the run takes. Both bounds lie just
# under 100: they do not explain why 100 epochs fall short. The shrinking steps do: at epoch 100 the slope's step is
# only {{ slope_steps[99]:.3f }} η (the table), and the last stretch takes
# {{ first_close - 100 }} more epochs. Going deeper repeats this from 200 starts and
# compares Adam with plain SGD.
#
# ## Questions
#
# **Why is the noise `torch.randn(size, 1)/2`, and what does it do?**
# [The notes](../../notes/#lecture-45) say the noise is there "because it is not
# constant like y-intercept". More precisely: it is a fresh random number for every
# point, with standard deviation ½ and so variance ¼. No line can predict it, so on new
# data from the same source the best possible mean squared error is ¼. On the 50
# training points, the true line's MSE is the mean of their squared noise; the floor,
# the least-squares MSE, can only be lower, since the least-squares line is the
# lowest-cost line for these points: it absorbs a little of their noise. Averaged
# over draws of the data, the floor is $(n-2)/n \cdot \tfrac14$ (derived in Going
# deeper: fitting two parameters uses up two points' worth of noise), but one draw's
# noise can be above or below ¼:

# %%
n = len(x)
print(f"noise variance: 0.25; (n - 2)/n · 0.25 = {(n - 2) / n * 0.25:.2f}")
own_mse = ((x - y) ** 2).mean().item()  # the true line y = x on these points
print(f"true line's MSE on the 50 points:    {own_mse:.4f}")
print(f"least-squares MSE on the 50 points:  {fit.mse:.4f}")
x_new, y_new = regression_data(slope=1.0, n_points=100_000, noise=0.5, seed=1)
new_mse = ((fit.slope * x_new + fit.intercept - y_new) ** 2).mean().item()
print(f"the same line on 100 000 new points: MSE {new_mse:.4f}")

# %% tags=["checks"]
assert fit.mse <= own_mse  # holds for every draw: least squares is the lowest
assert 0.25 < new_mse

# %% [markdown]
# Here the average would be {{ (n - 2) / n * 0.25:.2f }}; this draw's noise gives the
# true line an MSE of {{ own_mse:.4f }} on the 50 points, and least squares gets lower,
# {{ fit.mse:.4f }}. On the new points the same line scores
# {{ new_mse:.4f }}, above ¼, since it is not the true line.

# %% [markdown]
# **Does `loss_func(y, yHat)` matter?** [The notes](../../notes/#lecture-45) call the
# loss with the target first. PyTorch's convention is `loss(prediction, target)`, the
# order of `F.mse_loss(input, target)` and of every loss in `annlab`. For the mean
# squared error the order changes nothing, because $(\hat y - y)^2 = (y - \hat y)^2$:
# the value and the gradient that reaches the model are identical, which is why the
# lecture's network still trained. [Binary cross-entropy](../../glossary/#binary-cross-entropy)
# (page 4) is not symmetric: $-[y \log \hat y + (1 - y)\log(1 - \hat y)]$ takes the log
# of its *first* argument. With the order swapped it takes the log of the 0/1 labels,
# PyTorch clamps $\log 0$ to $-100$, and the loss is nonsense; its gradient
# reaches the probabilities through the *second* argument, where no clamp
# applies, and comes out infinite:

# %%
target = torch.tensor([1.0, 0.0, 1.0])
probability = torch.tensor([0.9, 0.2, 0.6], requires_grad=True)


def value_and_gradient(loss_function, first, second):
    """The loss, and its gradient with respect to `probability`."""
    probability.grad = None
    loss = loss_function(first, second)
    loss.backward()
    return loss.item(), probability.grad.clone()


mse_right = value_and_gradient(F.mse_loss, probability, target)
mse_swapped = value_and_gradient(F.mse_loss, target, probability)
print(f"MSE(ŷ, y) = {mse_right[0]:.2f}, gradient {mse_right[1]}")
print(f"MSE(y, ŷ) = {mse_swapped[0]:.2f}, gradient {mse_swapped[1]}")

bce_right = value_and_gradient(F.binary_cross_entropy, probability, target)
bce_swapped = value_and_gradient(F.binary_cross_entropy, target, probability)
print(f"BCE(ŷ, y) = {bce_right[0]:.2f}, gradient {bce_right[1]}")
print(f"BCE(y, ŷ) = {bce_swapped[0]:.1f}, gradient {bce_swapped[1]}")

# %% tags=["checks"]
assert mse_right[0] == mse_swapped[0]
assert torch.equal(mse_right[1], mse_swapped[1])
assert 0.2 < bce_right[0] < 0.35 and bce_swapped[0] > 20
assert torch.isinf(bce_swapped[1]).all()

# %% [markdown]
# The right order gives a small loss ({{ bce_right[0]:.2f }}) and finite gradients; the
# swapped one gives a loss of {{ bce_swapped[0]:.1f }} and infinite gradients, which
# would wreck the weights at the first step.
#
# **If deep learning is so great, why not use it for everything?** The notes answer
# that statistical models suit small data sets, are mathematically characterized and
# interpretable. This page makes each point concrete on one problem:
#
# - *Small data.* 50 points are enough for the formula to give a slope together with
#   its uncertainty (the interval below, which shrinks as points are added, see
#   Exercise 2). Whether a deep network would need more data is not tested here.
# - *Exact.* Least squares is the lowest point of the bowl, not an approximation of
#   it: the lowest training loss of the 500 epochs minus the floor is
#   {{ lowest:.1e }}, a few float32 spacings at this loss ({{ spacing:.1e }}) at most:
#   rounding. The network only gets close.
# - *Instant.* One formula against {{ first_close - 1 }} gradient steps to come within
#   1% of its loss (Going deeper times both).
# - *Interpretable, with its uncertainty.* The least-squares slope comes with a
#   *standard error*, the typical size of its error over repeated draws of the data
#   (derived, and checked on 2000 draws, in Going deeper),
#   $\mathrm{se}(w^\star) = \sqrt{\tfrac{1}{n-2}\sum_i r_i^2 \big/ \sum_i (x_i - \bar x)^2}$
#   with residuals $r_i = y_i - (w^\star x_i + b^\star)$. The slope ± 2 standard errors is
#   an approximate 95% interval: slopes outside it would be hard to reconcile with
#   these data. Gradient descent gives a number, not an interval.

# %%
residuals = y.flatten() - (fit.slope * x.flatten() + fit.intercept)
spread = ((x - x.mean()) ** 2).sum()
standard_error = ((residuals**2).sum() / (len(x) - 2) / spread).sqrt().item()
low, high = fit.slope - 2 * standard_error, fit.slope + 2 * standard_error
print(
    f"slope {fit.slope:.3f} ± {2 * standard_error:.3f} "
    f"(about 95%): from {low:.3f} to {high:.3f}"
)

# %% tags=["checks"]
# training never beats the formula beyond rounding
assert abs(lowest) <= 4 * spacing
assert low < 1.0 < high

# %% [markdown]
# The true slope 1 lies inside the interval, from {{ low:.3f }} to {{ high:.3f }}. The
# network's slope and intercept *are* interpretable here only because this network is
# linear regression in disguise; the weights of a network with hidden layers (page 10)
# no longer have such a meaning.
# The notes' other point, that deep learning models do "not provide any guarantee
# the optimal solution", does not show on this page: the cost of one linear unit is a bowl, and
# gradient descent reached its bottom. It shows as soon as there is a hidden ReLU
# unit: page 8 trains such networks and
# [counts how often a run gets stuck](../08_qwerties/#seed-1-is-one-run-of-many), and
# [page 9](../09_learning_rates/#the-sweep-40-learning-rates-50-runs-each) measures how
# the learning rate moves that share.
#
# ## Going deeper
#
# Five folds: two details of the run of seed 0; 200 starts, with Adam and with SGD;
# where the floor and the standard error come from; timings on this machine.

# %% [markdown] tags=["deeper"]
# ### The bound for coming within 1%
#
# Write $\Delta w = w - w^\star$, $\Delta b = b - b^\star$ and $r_i$ for the
# least-squares residuals; the error at point $i$ is $\Delta w\, x_i + \Delta b - r_i$.
# The residuals have mean 0 and $\sum_i r_i x_i = 0$ (the two equations of "The
# idea"), so the cross terms vanish:
# $C = \text{floor} + \tfrac1n \sum_i (\Delta w\, x_i + \Delta b)^2
# \ge \text{floor} + s_x^2\, \Delta w^2$, with $s_x^2 = \tfrac1n \sum_i (x_i - \bar x)^2$
# (the smallest mean square over $\Delta b$, at $\Delta b = -\Delta w\, \bar x$). Within
# 1% of the floor thus needs $s_x^2 \Delta w^2 \le 0.01 \cdot \text{floor}$, that is
# $|\Delta w| \le$ {{ allowed:.4f }}. The slope must travel at least
# {{ distance:.4f }} − {{ allowed:.4f }}, which at one learning rate per step takes
# {{ bound_1pct:.0f }} steps (printed with the epoch count).

# %% [markdown] tags=["deeper"]
# ### The intercept's dip in Figure 2
#
# The intercept's gradient, $\partial C / \partial b = 2(w \bar x + b - \bar y)$,
# depends on the slope too. It is below 0 from epoch {{ negative[0] }} to epoch
# {{ negative[-1] }} (printed with Figure 2): the intercept has passed
# $\bar y - w \bar x$, the best intercept for the current slope. Its steps, still
# downward, fall to {{ intercept_steps[dip - 1]:.4f }} η at epoch {{ dip }}; as the
# slope keeps rising, that best intercept moves on, the gradient turns positive and
# grows, and the steps grow back to {{ intercept_steps[rebound - 1]:.4f }} η at epoch
# {{ rebound }} before they shrink.

# %% tags=["deeper", "checks"]
assert negative == list(range(negative[0], negative[-1] + 1))  # one stretch
assert (
    negative[0] < dip < rebound
    and intercept_steps[rebound - 1] > 2 * (intercept_steps[dip - 1])
)
# the intercept keeps moving the same way (down) throughout
assert (torch.tensor(intercepts[:301]).diff() < 0).all()

# %% [markdown] tags=["deeper"]
# ### One start is an anecdote: 200 starts, Adam and SGD
#
# The epoch count above belongs to one start, seed 0, and the start sets how far the
# parameters must travel. `train_many` trains the same unit from 200 seeds at once:
# run $s$ starts exactly where `regression_unit(seed=s)` starts, on the same 50 points.
# We train with Adam and, for comparison, with plain SGD at the same learning rate, and
# find for every run the epoch from which its loss stays within 1% of the floor.

# %% tags=["deeper"]
from annlab.many_runs.statistics import wilson_interval
from annlab.many_runs.trainer import train_many

seeds = range(200)
needed = {}  # optimizer -> epochs each run needs to stay within 1%
for name in ("adam", "sgd"):
    runs = train_many(
        [1, 1],
        x,
        y,
        seeds=seeds,
        learning_rates=0.01,
        epochs=1000,
        loss="mse",
        optimizer=name,
    )
    close = (runs.loss_history <= 1.01 * fit.mse).int()  # (200, 1000)
    # 1 where the loss is within 1% at this epoch and every later one
    stays = close.flip(1).cummin(dim=1).values.flip(1)
    assert stays[:, -1].all()  # every run got there within 1000 epochs
    needed[name] = stays.argmax(dim=1) + 1

quantiles = torch.tensor([0.1, 0.5, 0.9])
adam_p10, adam_p50, adam_p90 = needed["adam"].float().quantile(quantiles)
sgd_p10, sgd_p50, sgd_p90 = needed["sgd"].float().quantile(quantiles)
adam_slowest = int(needed["adam"].max())
print(
    f"adam: 10% of runs by epoch {adam_p10:.0f}, half by {adam_p50:.0f}, "
    f"90% by {adam_p90:.0f}; slowest {adam_slowest}"
)
print(
    f"sgd:  10% of runs by epoch {sgd_p10:.0f}, half by {sgd_p50:.0f}, "
    f"90% by {sgd_p90:.0f}; slowest {int(needed['sgd'].max())}"
)
adam_in_100 = int((needed["adam"] <= 100).sum())
adam_sooner = int((needed["adam"] < needed["sgd"]).sum())
in_100 = wilson_interval(torch.tensor(adam_in_100), len(seeds))
sooner = wilson_interval(torch.tensor(adam_sooner), len(seeds))
print(
    f"Adam runs within 1% by the lecture's 100 epochs: {adam_in_100} of "
    f"{len(seeds)}, {in_100.rate:.1%} [{in_100.low:.1%}, {in_100.high:.1%}]"
)
print(
    f"starts where Adam gets there before SGD: {adam_sooner} of {len(seeds)}, "
    f"{sooner.rate:.1%} [{sooner.low:.1%}, {sooner.high:.1%}]"
)

# %% tags=["deeper", "checks"]
# The seed-0 run is the one above (its first epoch within 1% may shift by one
# where a loss sits on the threshold: the two trainers round differently).
assert abs(int(needed["adam"][0]) - first_close) <= 1

# %% alt="Two clouds of 200 points each: the epochs a run needs to stay within 1% of the floor, against the distance its farther parameter must travel divided by the learning rate. Adam's points lie on a thin curve that starts on the dashed diagonal of one learning rate per epoch and bends upward, steeper the farther the start: about {{ paces[0]:.2f }} epochs per unit of distance below 50, {{ paces[-1]:.2f }} beyond 150, up to {{ adam_slowest }} epochs for the farthest starts. SGD's points form a band that rises only slowly; from the 10th to the 90th percentile they need {{ sgd_p10:.0f }} to {{ sgd_p90:.0f }} epochs." tags=["deeper"]
start = [regression_unit(seed=s)[0] for s in seeds]
travel = (
    torch.tensor(
        [
            max(
                abs(fit.slope - layer.weight.item()),
                abs(fit.intercept - layer.bias.item()),
            )
            for layer in start
        ]
    )
    / 0.01
)  # the fewest epochs at steps of one learning rate
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.scatter(travel, needed["adam"], s=12, color="tab:blue", label="Adam")
ax.scatter(
    travel,
    needed["sgd"],
    s=12,
    marker="s",
    color="tab:orange",
    label="SGD",
)
ax.axline(
    (0, 0),
    slope=1,
    color="grey",
    linestyle="--",
    label="one learning rate per epoch",
)
ax.set(
    xlabel="distance of the farther parameter / learning rate (epochs)",
    ylabel="epochs to stay within 1% of the floor",
    title="200 starts of the same unit",
)
ax.legend()
plt.show()
adam_link = torch.corrcoef(torch.stack([travel, needed["adam"].float()]))[0, 1]
sgd_link = torch.corrcoef(torch.stack([travel, needed["sgd"].float()]))[0, 1]
print(
    f"correlation with the distance: Adam {adam_link:.3f}, SGD {sgd_link:.3f}"
)
sgd_log_link = torch.corrcoef(
    torch.stack([travel.log(), needed["sgd"].float()])
)[0, 1]
print(f"SGD: correlation with the log of the distance {sgd_log_link:.3f}")
beat = float((travel - needed["adam"]).max())  # Adam ahead of the diagonal
print(f"Adam: at most {beat:.1f} epochs ahead of one learning rate per epoch")
# how steep Adam's curve is: a least-squares line through each band
paces = []
for low, high in ((0, 50), (50, 100), (100, 150), (150, float("inf"))):
    band = (travel > low) & (travel <= high)
    pace = least_squares(
        travel[band].reshape(-1, 1),
        needed["adam"][band].float().reshape(-1, 1),
    )
    paces.append(pace.slope)
    print(
        f"distance {low} to {high:g}: {int(band.sum())} starts, "
        f"{pace.slope:.2f} epochs per unit of distance"
    )

# %% [markdown] tags=["deeper", "caption"]
# **Figure 4.** For each of 200 starts, the epochs until the loss stays within 1% of
# the floor, against the fewest epochs that steps of one learning rate allow (the
# farther parameter's distance divided by 0.01). Adam's runs (blue) lie on a thin curve
# that bends upward, none more than {{ beat:.1f }} epochs below the dashed diagonal, which counts the full
# distance while the 1% criterion lets a run stop a little short; SGD's (orange) spread
# from {{ sgd_p10:.0f }} to {{ sgd_p90:.0f }} epochs (10th to 90th percentile).

# %% tags=["deeper", "checks"]
assert adam_link > 0.99
assert paces == sorted(paces)  # steeper with distance
assert sgd_log_link > sgd_link

# %% [markdown] tags=["deeper"]
# So "{{ first_close }} epochs" was one draw. Over 200 starts, half the Adam runs need
# {{ adam_p50:.0f }} epochs or more and the slowest tenth {{ adam_p90:.0f }} or
# more; {{ adam_in_100 }} of 200 ({{ in_100.rate:.1%}}, 95% Wilson interval
# {{ in_100.low:.1%}} to {{ in_100.high:.1%}}: the range of shares this count is
# compatible with, explained in
# [page 7's primer](../07_slope_challenge/#a-short-statistics-primer)) are there by the
# lecture's 100 epochs.
# The lower bound of the main path holds for every start, up to the margin the 1%
# criterion allows: no run gets there more than {{ beat:.1f }} epochs sooner than full
# steps over the full distance would. Above the bound, Adam's epoch counts do not grow
# like the distance: the curve of Figure 4 bends upward, from
# {{ paces[0]:.2f }} epochs per learning rate of distance for starts within 50 to
# {{ paces[-1]:.2f }} beyond 150 (least-squares lines through bands of distance,
# printed above). The reason is $\hat v$, Adam's memory of the squared gradients. In
# $v$ the gradient of step $k$ keeps the weight $\beta_2^{t-k}$ at step $t$; with
# $\beta_2 = 0.999$ these weights stay between $\beta_2^{400}$ (printed below) and 1
# over 400 steps, so $\hat v$ is roughly an average of all past $g^2$, early ones included. A
# far start has large gradients early on; they keep $\sqrt{\hat v}$ large after the
# gradient has shrunk, so $\hat m / \sqrt{\hat v}$, and the late steps, are short.
# The cell below shows it: it trains a near and a far start and compares them when
# the farther parameter still has 10 learning rates to go.


# %% tags=["deeper"]
def adam_memory(gradients, beta1=0.9, beta2=0.999):
    """Adam's m̂ and √v̂ after every step, from one parameter's gradients."""
    m, v, rows = 0.0, 0.0, []
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        rows.append((m / (1 - beta1**t), (v / (1 - beta2**t)) ** 0.5))
    return torch.tensor(rows, dtype=torch.float64)


beta2_400 = 0.999**400  # the weight of a gradient 400 steps old
near_seed = int((travel - 40).abs().argmin())  # a start about 40 η away
far_seed = int(travel.argmax())  # the farthest start
print(f"weight of a gradient 400 steps old: {beta2_400:.2f}")
print("seed  distance  epoch     |g|    √v̂   step |m̂|/√v̂ (η)")
memory = {}  # seed -> (|g|, √v̂, step in η) at 10 η to go
for seed in (near_seed, far_seed):
    unit = regression_unit(seed=seed)
    adam = torch.optim.Adam(unit.parameters(), lr=0.01)
    w_s, b_s = unit[0].weight, unit[0].bias
    # follow the parameter that has farther to go
    if abs(fit.slope - w_s.item()) >= abs(fit.intercept - b_s.item()):
        parameter, goal = w_s, fit.slope
    else:
        parameter, goal = b_s, fit.intercept
    gradients = []
    while abs(goal - parameter.item()) > 0.1:  # until 10 η to go
        adam.zero_grad()
        F.mse_loss(unit(x), y).backward()
        adam.step()
        gradients.append(parameter.grad.item())
    m_hat, root_v_hat = adam_memory(gradients)[-1].tolist()
    memory[seed] = (abs(gradients[-1]), root_v_hat, abs(m_hat) / root_v_hat)
    print(
        f"{seed:4d} {travel[seed]:9.0f} {len(gradients):6d} "
        f"{memory[seed][0]:7.3f} {root_v_hat:7.3f} {memory[seed][2]:8.3f}"
    )

# %% tags=["deeper", "checks"]
near_g, near_root_v, near_step = memory[near_seed]
far_g, far_root_v, far_step = memory[far_seed]
assert far_root_v > 1.5 * near_root_v and far_step < 0.5 * near_step

# %% [markdown] tags=["deeper"]
# With 10 learning rates to go, the near start (seed {{ near_seed }},
# {{ travel[near_seed]:.0f }} learning rates away) has a gradient of
# {{ near_g:.3f }} and $\sqrt{\hat v}$ = {{ near_root_v:.3f }}: its step is
# {{ near_step:.3f }} η. The far start (seed {{ far_seed }},
# {{ travel[far_seed]:.0f }} away) has a gradient of about the same size,
# {{ far_g:.3f }}, but its $\sqrt{\hat v}$, {{ far_root_v:.3f }}, still remembers its
# large early gradients, and its step is only {{ far_step:.3f }} η. Every last stretch
# is slower for a far start, which is why its epoch count grows faster than its
# distance. (A gradient 400 steps old still counts in $v$ with the weight
# {{ beta2_400:.2f }}.)
#
# Plain SGD behaves differently. On this bowl the gradient is proportional to the
# offset from $(w^\star, b^\star)$ (the derivatives of a quadratic are linear), so each
# step multiplies the offset by a fixed factor below 1 along each of the bowl's two
# axes (the bowl's level curves are ellipses; their two axes are the directions in
# which the cost curves most and least), one factor per axis. The epochs to shrink it below a fixed size then grow with the
# *logarithm* of the starting distance: twice as far costs a fixed number of extra
# epochs. SGD's counts are more linear in the log of the distance (correlation
# {{ sgd_log_link:.3f }}) than in the distance itself ({{ sgd_link:.3f }}), and from
# the 10th to the 90th percentile its runs need {{ sgd_p10:.0f }} to
# {{ sgd_p90:.0f }} epochs, against {{ adam_p10:.0f }} to {{ adam_p90:.0f }} for Adam. Which optimizer is "faster" here depends on the start:
# Adam gets there first from {{ adam_sooner }} of the 200 starts
# ({{ sooner.rate:.1%}}, 95% Wilson interval {{ sooner.low:.1%}} to
# {{ sooner.high:.1%}}), SGD from the others or at the same epoch. Exercise 1 looks at
# seed 0.

# %% [markdown] tags=["deeper"]
# ### Where the floor and the standard error come from
#
# Write the data as $y_i = x_i + e_i$, where the noise $e_i$ has variance
# $\sigma^2 = \tfrac14$, independently from point to point and of the $x$'s, and let
# $S = \sum_i (x_i - \bar x)^2$.
#
# **The slope's standard error.** Since $y_i - \bar y = (x_i - \bar x) + (e_i - \bar e)$
# and $\sum_i (x_i - \bar x) = 0$ removes the $\bar e$ term, the formula of "The idea"
# gives $w^\star = 1 + \sum_i (x_i - \bar x)\, e_i / S$. For given $x$'s, the variance of
# a sum of independent terms is the sum of their variances, so
# $\operatorname{Var}(w^\star) = \sum_i (x_i - \bar x)^2 \sigma^2 / S^2 = \sigma^2 / S$.
# The standard error is its square root with $\sigma^2$, unknown in practice, replaced
# by the estimate $\tfrac{1}{n-2} \sum_i r_i^2$; the next paragraph shows why $n - 2$.
#
# **The floor.** Fitting a line to the points $(x_i, y_i)$ leaves the same residuals
# $r_i$ as fitting one to the noise $(x_i, e_i)$ (adding the true line $x_i$ to every
# $y_i$ adds it to the fitted line, too). In vectors, the fitted values of the noise are
# $P e$, where $P$ is the $n \times n$ matrix that projects onto the plane spanned by
# the column of ones and the column of $x$'s, and $r = (I - P)\, e$. A projection
# satisfies $(I - P)^{\mathsf T} (I - P) = I - P$, so
# $\sum_i r_i^2 = e^{\mathsf T} (I - P)\, e = \sum_{i, j} (I - P)_{ij}\, e_i e_j$. On
# average over the noise, $e_i e_j$ averages $\sigma^2$ for $i = j$ and 0 otherwise,
# which leaves $\sigma^2$ times the trace of $I - P$ (the sum of its diagonal): $n$
# minus 2, since a projection onto a plane has trace 2. So $\sum_i r_i^2$ averages
# $(n - 2)\, \sigma^2$, and the floor, divided by $n$, averages
# $(n - 2)/n \cdot \sigma^2$.
#
# **The interval.** With normal noise, $(w^\star - 1) / \mathrm{se}(w^\star)$ follows
# Student's $t$ distribution with $n - 2$ degrees of freedom (a standard result of
# regression theory); with $n - 2 = 48$ degrees of freedom it is close to the standard
# normal, which lies within ±2 with the probability printed below. The cell
# checks all three on 2000 fresh draws of the lecture's data:

# %% tags=["deeper"]
n_draws = 2000
draws = range(1, n_draws + 1)  # seed 0 is the lecture's draw: start at 1
floors, errors, covered = [], [], 0
for draw in draws:
    x_d, y_d = regression_data(slope=1.0, n_points=50, noise=0.5, seed=draw)
    fit_d = least_squares(x_d, y_d)
    spread_d = ((x_d - x_d.mean()) ** 2).sum().item()
    floors.append(fit_d.mse)
    # the slope's error in units of its exact standard deviation σ / √S
    errors.append((fit_d.slope - 1.0) * spread_d**0.5 / 0.5)
    r = y_d.flatten() - (fit_d.slope * x_d.flatten() + fit_d.intercept)
    se_d = ((r**2).sum() / (50 - 2) / spread_d).sqrt().item()
    covered += abs(fit_d.slope - 1.0) <= 2 * se_d
mean_floor = statistics.fmean(floors)
error_sd = statistics.stdev(errors)
coverage = wilson_interval(torch.tensor(covered), len(draws))
normal_2 = (torch.special.ndtr(torch.tensor(2.0)) * 2 - 1).item()
print(
    f"floor: mean {mean_floor:.4f} over {len(draws)} draws; "
    "(n-2)/n · 0.25 = 0.24"
)
print(f"slope error / (σ/√S): standard deviation {error_sd:.3f} (theory 1)")
print(
    f"slope ± 2 se contains 1: {covered} of {len(draws)}, {coverage.rate:.1%} "
    f"[{coverage.low:.1%}, {coverage.high:.1%}]; "
    f"normal within ±2: {normal_2:.1%}"
)

# %% tags=["deeper", "checks"]
# 2000 draws: the mean floor's standard error is about 0.05 / √2000 ≈ 0.001
assert abs(mean_floor - 0.24) < 0.005
assert abs(error_sd - 1) < 0.05  # sd of 2000 draws: about ±1.6%
assert coverage.low < normal_2 < coverage.high

# %% [markdown] tags=["deeper"]
# Over {{ len(draws) }} draws the floor averages {{ mean_floor:.4f }}, against
# $(n - 2)/n \cdot \tfrac14$ = {{ (n - 2) / n * 0.25:.2f }}; the slope's error has a
# standard deviation of {{ error_sd:.3f }} in units of $\sigma / \sqrt S$, against 1;
# and the interval slope ± 2 standard errors contains the true slope in
# {{ coverage.rate:.1%}} of the draws (95% Wilson interval {{ coverage.low:.1%}} to
# {{ coverage.high:.1%}}), which contains the normal's {{ normal_2:.1%}}.

# %% [markdown] tags=["deeper"]
# ### How long each takes on this machine
#
# The closed form against the training loop, timed on the machine that built this
# page, at build time: the numbers change from machine to machine and from build to
# build. Each is timed the same way: the median of 5 calls, after one warm-up call.


# %% tags=["deeper", "wall-clock"]
def median_seconds(function, repeats=5):
    """The median time of `repeats` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


closed_form_seconds = median_seconds(lambda: least_squares(x, y))
training_seconds = median_seconds(
    lambda: train(
        regression_unit(seed=0),
        x,
        y,
        epochs=first_close,
        loss="mse",
        learning_rate=0.01,
        optimizer="adam",
    )
)

print(f"least squares:              {1e3 * closed_form_seconds:8.3f} ms")
print(
    f"training to within 1%:      {1e3 * training_seconds:8.3f} ms "
    f"({first_close} epochs)"
)
print(
    f"training takes {training_seconds / closed_form_seconds:.0f} times "
    "longer (median of 5 calls each), on this machine, this time"
)

# %% [markdown]
# ## Key points
#
# - One linear unit trained on the mean squared error is linear regression; its best
#   line has a closed form, $w^\star$ and $b^\star$, which gradient descent
#   approaches: after 500 epochs the run of seed 0 has slope {{ slopes[-1]:.5f }},
#   the formula {{ fit.slope:.5f }}.
# - Adam: $m$ and $v$ average the gradient and its square, bias correction undoes
#   their start at 0, and the step is $\eta\, \hat m / (\sqrt{\hat v} + \epsilon)$.
# - With a constant gradient, $\hat m = g$ and $\hat v = g^2$: every step is exactly
#   one learning rate long, whatever the gradient's size; when the gradient shrinks
#   or flips sign, the steps get shorter.
# - No step of the run of seed 0 exceeds one learning rate (not a general rule), so
#   coming within 1% needs at least {{ bound_1pct:.0f }} steps; it takes
#   {{ first_close - 1 }}, as its steps shrink with its gradients.
# - PyTorch's losses take `(prediction, target)`; swapping them is harmless for MSE
#   and breaks binary cross-entropy.
#
# ## Try it
#
# **Exercise 1.** Train the same model with plain SGD (`optimizer="sgd"`) at the same
# learning rate 0.01. At which epoch is its loss within 1% of the floor? Is Adam
# faster here?

# %% tags=["solution"]
sgd = train(
    regression_unit(seed=0),
    x,
    y,
    epochs=500,
    loss="mse",
    learning_rate=0.01,
    optimizer="sgd",
)
sgd_close = int((sgd.epoch_losses <= 1.01 * fit.mse).float().argmax()) + 1
print(f"SGD within 1% from epoch {sgd_close}, Adam from epoch {first_close}")
assert sgd_close < first_close

# %% [markdown] tags=["solution"]
# Not from seed 0: SGD is within 1% of the floor from epoch {{ sgd_close }}, Adam from
# epoch {{ first_close }}. SGD's step is the learning rate times the gradient, and the
# gradient is large at the start (the slope is far off), while Adam's first steps are
# one learning rate long whatever the gradient's size. Adam is not always faster: the
# 200 starts of Going deeper compare the two.

# %% [markdown]
# **Exercise 2.** Draw 5000 points instead of 50. How close does the least-squares
# line now come to the true line, and how much narrower is the interval of the
# slope?

# %% tags=["solution"]
x_big, y_big = regression_data(slope=1.0, n_points=5000, noise=0.5, seed=0)
fit_big = least_squares(x_big, y_big)
residuals_big = y_big.flatten() - (
    fit_big.slope * x_big.flatten() + fit_big.intercept
)
se_big = (
    (
        (residuals_big**2).sum()
        / (len(x_big) - 2)
        / ((x_big - x_big.mean()) ** 2).sum()
    )
    .sqrt()
    .item()
)
print(
    f"5000 points: slope {fit_big.slope:.4f} ± {2 * se_big:.4f}, "
    f"intercept {fit_big.intercept:.4f}"
)
narrower = standard_error / se_big
print(f"interval {narrower:.1f} times narrower than with 50")
assert abs(fit_big.slope - 1) < abs(fit.slope - 1)
assert 7 < narrower < 13
assert abs(fit_big.slope - 1) < 2 * se_big

# %% [markdown] tags=["solution"]
# Much closer: the slope is {{ fit_big.slope:.4f }} ± {{ 2 * se_big:.4f }}, an interval
# that contains the true slope 1, and the intercept {{ fit_big.intercept:.4f }}, against
# {{ fit.slope:.3f }} and {{ fit.intercept:.3f }} from 50 points.
# A hundred times more points make the interval {{ narrower:.1f }} times narrower,
# close to $\sqrt{100} = 10$: the standard error shrinks like $1/\sqrt{n}$.

# %% [markdown]
# **Exercise 3 (pencil and paper).** Fit the least-squares line through the three
# points $(0, 0)$, $(1, 1)$ and $(2, 3)$ with the formulas of "The idea": means first,
# then $w^\star$, then $b^\star$. Check your line with `least_squares`.

# %% tags=["solution"]
x_three = torch.tensor([[0.0], [1.0], [2.0]])
y_three = torch.tensor([[0.0], [1.0], [3.0]])
three = least_squares(x_three, y_three)
print(f"slope {three.slope:.4f}, intercept {three.intercept:.4f}")
assert abs(three.slope - 1.5) < 1e-6 and abs(three.intercept + 1 / 6) < 1e-6

# %% [markdown] tags=["solution"]
# $\bar x = 1$ and $\bar y = 4/3$. The deviations are $x_i - \bar x = (-1, 0, 1)$ and
# $y_i - \bar y = (-4/3, -1/3, 5/3)$, so
# $w^\star = \dfrac{(-1)(-4/3) + 0 + (1)(5/3)}{1 + 0 + 1} = \dfrac{3}{2}$ and
# $b^\star = \bar y - w^\star \bar x = 4/3 - 3/2 = -1/6$: the code prints slope
# {{ three.slope:.4f }} and intercept {{ three.intercept:.4f }}.

# %% [markdown]
# **Exercise 4 (pencil and paper).** A parameter gets the gradient $g_1 = 2$ at step 1
# and $g_2 = -2$ at step 2 (the sign flips: it overshot). Work out Adam's $m$, $v$,
# $\hat m$, $\hat v$ and the step $-\eta\,\hat m / \sqrt{\hat v}$ (in learning rates,
# ignore $\epsilon$) at both steps, with $\beta_1 = 0.9$ and $\beta_2 = 0.999$. How does
# the second step compare with a step of SGD? Check with `adam_steps`.

# %% tags=["solution"]
flip = adam_steps(
    [2.0, -2.0], lr=1.0
)  # lr=1: the steps come out in learning rates
print("Adam's two steps, in learning rates:", [f"{s:.4f}" for s in flip])
print("SGD's two steps, in learning rates: ", [-2.0, 2.0])
assert abs(flip[0] + 1) < 1e-6 and 0 < flip[1] < 0.1

# %% [markdown] tags=["solution"]
# Step 1: $m = 0.1 \cdot 2 = 0.2$, $v = 0.001 \cdot 4 = 0.004$, $\hat m = 0.2 / 0.1 = 2$,
# $\hat v = 0.004 / 0.001 = 4$: the step is $-2/\sqrt 4 = -1$ learning rate, as for
# any first step. Step 2: $m = 0.9 \cdot 0.2 + 0.1 \cdot (-2) = -0.02$ and
# $v = 0.999 \cdot 0.004 + 0.001 \cdot 4 = 0.007996$; the corrections divide by
# $1 - 0.81 = 0.19$ and $1 - 0.998001 = 0.001999$, so $\hat m \approx -0.105$ and
# $\hat v = 4$, and the step is $0.105 / 2 \approx 0.053$ learning rates (printed:
# {{ flip[1]:.4f }}). SGD would step 2 learning rates back; Adam, whose $m$ still
# remembers the first gradient, steps back only a little: a flipping sign shortens its
# steps.

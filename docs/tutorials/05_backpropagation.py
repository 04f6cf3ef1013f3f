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
# # 5. Backpropagation
#
# Page 4 gave training its target: one number, the cost, that is low when the
# predictions are good. This page is about how the weights move to make it lower.
# Every weight is nudged a little against the slope of the cost, and the slopes of all
# the weights, however many layers deep, come from one rule of calculus, the chain
# rule, applied from the output back towards the input. That backward sweep is
# *backpropagation*. We derive it for one neuron on paper, compute it by hand with
# `annlab`, check it against PyTorch's autograd, push it through a network of two
# layers, and finally train that network twice, by hand and with `torch.optim.SGD`,
# and watch the two runs agree to the last bit.
#
# ## The idea
#
# **Gradient descent.** Collect the weights (the bias included, as $w_0$) in
# $\tilde w$. One step of gradient descent with learning rate $\eta > 0$ is
#
# $$
# \tilde w \leftarrow \tilde w - \eta\, \frac{\partial C}{\partial \tilde w},
# $$
#
# one subtraction per weight: $w_j \leftarrow w_j - \eta\, \partial C / \partial w_j$.
# Where the cost rises with $w_j$ the slope is positive and $w_j$ goes down; where it
# falls, $w_j$ goes up; either way, downhill.
#
# **Fixes to the notes.** They write $W = W - \eta * \frac{\delta CF}{\delta W}$.
# The arrow matters: read as an equation, $W = W - \eta\,g$ holds only where the
# gradient $g$ is zero; it is an *update*, the new value computed from the old. The
# derivative is a partial one, $\partial$, not $\delta$: the cost depends on every
# weight and we differentiate with respect to one at a time. The notes then write the
# thing to differentiate as $\frac{\partial\, \sigma(X^{\mathsf T} W, \hat Y)}{\partial W}$,
# which mixes up three things. $\sigma$ is the activation, a function of one number,
# not the cost; the cost compares the predictions with the *targets* $y$, and the
# predictions $\hat y$ are not a second input but the output of $\sigma$ itself; and,
# as page 3 showed, the weighted sums of all rows are $X\tilde w$ (one row per
# observation), not $X^{\mathsf T} W$. Written out, the function being differentiated
# is
#
# $$
# C(\tilde w) = \frac{1}{n} \sum_{i=1}^{n} L\bigl(\sigma(\tilde x_i^{\mathsf T} \tilde w),\, y_i\bigr).
# $$
#
# Finally, the notes call the update rule "back propagation". The update is gradient
# descent; backpropagation is the way of *computing* $\partial C/\partial \tilde w$ that
# the update needs. The two are separate steps below: `annlab` computes the gradient in
# one function and applies the update in another.
#
# **The gradient of one sigmoid neuron under binary cross-entropy.** For observation
# $i$, the chain of computations is $\tilde w \to z_i \to \hat y_i \to L_i$:
#
# $$
# z_i = \tilde x_i^{\mathsf T} \tilde w, \qquad
# \hat y_i = \sigma(z_i), \qquad
# L_i = -\bigl[\, y_i \log \hat y_i + (1 - y_i) \log (1 - \hat y_i) \,\bigr].
# $$
#
# The chain rule multiplies the slope of each link:
#
# $$
# \frac{\partial L_i}{\partial w_j}
# = \frac{\partial L_i}{\partial \hat y_i}
#   \cdot \frac{\partial \hat y_i}{\partial z_i}
#   \cdot \frac{\partial z_i}{\partial w_j}.
# $$
#
# Take the three factors one at a time. The loss against the prediction, over a common
# denominator:
#
# $$
# \frac{\partial L_i}{\partial \hat y_i}
# = -\frac{y_i}{\hat y_i} + \frac{1 - y_i}{1 - \hat y_i}
# = \frac{-y_i (1 - \hat y_i) + (1 - y_i)\, \hat y_i}{\hat y_i (1 - \hat y_i)}
# = \frac{\hat y_i - y_i}{\hat y_i (1 - \hat y_i)}.
# $$
#
# The sigmoid against its input (page 3's table): $\sigma'(z) = \sigma(z)(1 - \sigma(z))$,
# so
#
# $$
# \frac{\partial \hat y_i}{\partial z_i} = \hat y_i (1 - \hat y_i).
# $$
#
# The weighted sum against one weight: $\partial z_i / \partial w_j = x_{ij}$, with
# $x_{i0} = 1$ for the bias. Multiply, and the sigmoid's slope cancels the denominator
# of the first factor:
#
# $$
# \frac{\partial L_i}{\partial w_j}
# = \frac{\hat y_i - y_i}{\hat y_i (1 - \hat y_i)} \cdot \hat y_i (1 - \hat y_i) \cdot x_{ij}
# = (\hat y_i - y_i)\, x_{ij}.
# $$
#
# The cost is the mean of the losses, so its gradient is the mean of theirs:
#
# $$
# \frac{\partial C}{\partial \tilde w}
# = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i)\, \tilde x_i
# = \frac{1}{n}\, \tilde X^{\mathsf T} (\hat y - y),
# \qquad
# \frac{\partial C}{\partial b} = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i).
# $$
#
# Each observation pulls on each weight with its error $\hat y_i - y_i$, in
# proportion to the input that weight multiplies.

# %% [markdown]
# ## One observation, with numbers
#
# Before any matrix, run the chain once by hand. One observation
# $x = (1, 2)$ of class $y = 1$, weights $w = (0.5, -0.25)$ and bias $b = 0.25$.
# Forward, node by node:
#
# $$
# z = b + w_1 x_1 + w_2 x_2 = 0.25 + 0.5 \cdot 1 - 0.25 \cdot 2 = 0.25,
# \qquad \hat y = \sigma(z), \qquad L = -\log \hat y \ \ (y = 1).
# $$
#
# Backward, each node's gradient is the next one's times the local slope:
# $\partial L / \partial \hat y = -1/\hat y$, then
# $\partial L / \partial z = \partial L / \partial \hat y \cdot \hat y (1 - \hat y)$,
# then $\partial L / \partial w_j = \partial L / \partial z \cdot x_j$ and
# $\partial L / \partial b = \partial L / \partial z \cdot 1$. The cell does exactly
# these multiplications, then asks autograd for the same numbers.

# %%
import math

import matplotlib.pyplot as plt
import torch

from annlab.plots.colors import COLORS

x1, x2, w1, w2, b = 1.0, 2.0, 0.5, -0.25, 0.25  # and the class y = 1

# forward
z = b + w1 * x1 + w2 * x2
y_hat = 1 / (1 + math.exp(-z))
loss = -math.log(y_hat)
# backward: multiply the local slopes from the loss back to each input
dL_dyhat = -1 / y_hat
dL_dz = dL_dyhat * y_hat * (1 - y_hat)
dL_dw1, dL_dw2, dL_db = dL_dz * x1, dL_dz * x2, dL_dz * 1
print(f"forward:  z = {z:.4f}, ŷ = {y_hat:.4f}, L = {loss:.4f}")
print(f"backward: ∂L/∂ŷ = {dL_dyhat:.4f}, ∂L/∂z = {dL_dz:.4f}")
print(
    f"          ∂L/∂w1 = {dL_dw1:.4f}, ∂L/∂w2 = {dL_dw2:.4f}, "
    f"∂L/∂b = {dL_db:.4f}"
)

params = torch.tensor([w1, w2, b], dtype=torch.float64, requires_grad=True)
z_t = params[2] + params[0] * x1 + params[1] * x2
(-torch.log(torch.sigmoid(z_t))).backward()
print("autograd:", [round(g, 4) for g in params.grad.tolist()])
assert torch.allclose(
    params.grad, torch.tensor([dL_dw1, dL_dw2, dL_db], dtype=torch.float64)
)
assert math.isclose(dL_dz, y_hat - 1)  # the cancellation, for y = 1

# %% [markdown]
# The figure draws the same computation as a graph: each node shows its value from
# the forward pass (above) and the gradient of the loss with respect to it from the
# backward pass (below, in orange); each arrow carries the local slope that the
# backward pass multiplies by.

# %% alt="A computation graph drawn left to right. Five input nodes, x1 = 1, x2 = 2, w1 = 0.5, w2 = -0.25 and b = 0.25, feed a node z = {{ z:.2f }}, which feeds y-hat = {{ y_hat:.4f }}, which feeds the loss L = {{ loss:.4f }}. Under each node, in orange, its gradient: 1 for L, {{ dL_dyhat:.4f }} for y-hat, {{ dL_dz:.4f }} for z, {{ dL_dw1:.4f }} for w1, {{ dL_dw2:.4f }} for w2 and {{ dL_db:.4f }} for b, while the inputs x1 and x2 are data and get none. The arrows are labelled with the local slopes: x1 and x2 on the arrows from the weights, 1 from b, y-hat (1 - y-hat) = {{ y_hat * (1 - y_hat):.4f }} from z to y-hat and -1/y-hat from y-hat to L."
nodes = {  # name: (x, y, forward value, gradient or None)
    "x₁": (0, 4, x1, None),
    "w₁": (0, 3, w1, dL_dw1),
    "x₂": (0, 2, x2, None),
    "w₂": (0, 1, w2, dL_dw2),
    "b": (0, 0, b, dL_db),
    "z": (2, 2, z, dL_dz),
    "ŷ": (4, 2, y_hat, dL_dyhat),
    "L": (6, 2, loss, 1.0),
}
edges = [
    ("x₁", "z", ""),
    ("w₁", "z", "× x₁"),
    ("x₂", "z", ""),
    ("w₂", "z", "× x₂"),
    ("b", "z", "× 1"),
    ("z", "ŷ", f"ŷ(1−ŷ) = {y_hat * (1 - y_hat):.3f}"),
    ("ŷ", "L", "−1/ŷ"),
]
fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
for start, end, slope in edges:
    (sx, sy, *_), (ex, ey, *_) = nodes[start], nodes[end]
    ax.annotate(
        "",
        xy=(ex - 0.35, ey),
        xytext=(sx + 0.35, sy),
        arrowprops={"arrowstyle": "->", "color": COLORS["grey"]},
    )
    ax.text(
        (sx + ex) / 2,
        (sy + ey) / 2 + 0.12,
        slope,
        ha="center",
        fontsize=9,
        color=COLORS["grey"],
    )
for name, (x, y, value, grad) in nodes.items():
    ax.text(
        x,
        y,
        f"{name} = {value:.4g}",
        ha="center",
        va="center",
        bbox={
            "boxstyle": "round",
            "facecolor": "white",
            "edgecolor": COLORS["blue"],
        },
    )
    if grad is not None:
        ax.text(
            x,
            y - 0.42,
            f"∂L/∂{name} = {grad:.4f}",
            ha="center",
            fontsize=9,
            color=COLORS["orange"],
        )
ax.set(xlim=(-0.8, 6.8), ylim=(-0.8, 4.6))
ax.set_title("forward values in the boxes, gradients below (y = 1)")
ax.axis("off")
plt.show()

# %% [markdown]
# With $y = 1$ the error is $\hat y - y$ = {{ dL_dz:.4f }}, and it is exactly
# $\partial L / \partial z$: the $-1/\hat y$ of the loss and the
# $\hat y (1 - \hat y)$ of the sigmoid cancel down to it, as the derivation above
# says. Each weight's gradient is that error times the input it multiplies, so $w_2$,
# on the input 2, gets twice the push of $w_1$. The rest of the page does the same
# with every observation at once, as matrix products.

# %% [markdown]
# ## One neuron: the formula, `annlab` and autograd
#
# The data are page 4's qwerties from
# `qwerties`, two clusters of 100 points, the
# neuron one sigmoid unit with seeded weights from
# `mlp`. Compute the
# gradient three ways: the last formula typed in, with
# `neuron_forward` for $\hat y$;
# `sigmoid_bce_gradient`;
# and PyTorch's autograd on the model, through `annlab`'s
# `binary_cross_entropy`.

# %%
import torch

from annlab.by_hand.gradients import sigmoid_bce_gradient
from annlab.by_hand.losses import binary_cross_entropy
from annlab.by_hand.neuron import neuron_forward
from annlab.data import qwerties
from annlab.models import mlp

x, y_col = qwerties(n_per_cluster=100, seed=0)  # y_col has shape (200, 1)
y = y_col.reshape(-1)  # one target per row, like the neuron's output
n = len(x)
neuron = mlp([2, 1], output_activation="sigmoid", seed=0)
weights = neuron[0].weight.detach().reshape(-1)
bias = neuron[0].bias.item()

y_hat = neuron_forward(x, weights, bias)  # σ(b + x·w) for every row
formula_w = (y_hat - y) @ x / n  # (1/n) Σ (ŷ − y) x
formula_b = (y_hat - y).mean()  # (1/n) Σ (ŷ − y)

by_annlab = sigmoid_bce_gradient(x, y, weights, bias)

cost = binary_cross_entropy(neuron(x), y_col)
cost.backward()
autograd_w = neuron[0].weight.grad.reshape(-1)
autograd_b = neuron[0].bias.grad.item()

print(f"cost: {cost.item():.4f}")
print("               dC/dw1    dC/dw2     dC/db")
for name, g_w, g_b in (
    ("formula", formula_w, formula_b.item()),
    ("annlab", by_annlab.weights, by_annlab.bias),
    ("autograd", autograd_w, autograd_b),
):
    print(f"{name:9s}  {g_w[0]:8.5f}  {g_w[1]:8.5f}  {g_b:8.5f}")
for g_w, g_b in (
    (by_annlab.weights, by_annlab.bias),
    (autograd_w, autograd_b),
):
    assert torch.allclose(formula_w, g_w, atol=1e-6)
    assert abs(formula_b.item() - g_b) < 1e-6

# %% [markdown]
# The three agree. The cancellation at the heart of the derivation can be checked
# too: per observation, $\partial L/\partial \hat y$ times the sigmoid's slope, from
# `sigmoid_derivative`
# at $z_i$ from `weighted_sum`, is
# exactly the error $\hat y_i - y_i$, although neither factor is:

# %%
from annlab.by_hand.activations import sigmoid_derivative
from annlab.by_hand.neuron import weighted_sum

z = weighted_sum(x, weights, bias)
dL_dyhat = -y / y_hat + (1 - y) / (1 - y_hat)
dyhat_dz = sigmoid_derivative(z)
product = dL_dyhat * dyhat_dz
print("row   dL/dŷ   σ'(z)  product   ŷ − y")
for i in (0, 150):
    print(
        f"{i:3d}  {dL_dyhat[i]:6.3f}  {dyhat_dz[i]:6.3f}  "
        f"{product[i]:7.3f}  {y_hat[i] - y[i]:6.3f}"
    )
assert torch.allclose(product, y_hat - y, atol=1e-5)

# %% [markdown]
# ## Two layers: the chain rule, backwards
#
# Now put a hidden layer in front: 8 ReLU units, then one output unit whose raw
# output $z^{(2)}$ is a logit (the sigmoid sits inside the loss, PyTorch's
# `BCEWithLogitsLoss`). In `nn.Linear`'s layout, for all $n$ rows at once:
#
# $$
# Z^{(1)} = X W_1^{\mathsf T} + b_1, \qquad
# H = \operatorname{ReLU}(Z^{(1)}), \qquad
# z^{(2)} = H W_2^{\mathsf T} + b_2, \qquad
# \hat y = \sigma(z^{(2)}).
# $$
#
# The output unit is exactly the neuron of the first part, with the hidden outputs $H$
# as its inputs, so its error signal is the one derived above. Call
# $\delta = \partial C / \partial(\text{weighted sum})$ the error signal of a layer:
#
# $$
# \delta^{(2)} = \frac{\partial C}{\partial z^{(2)}} = \frac{1}{n}(\hat y - y),
# \qquad
# \frac{\partial C}{\partial W_2} = \delta^{(2)\mathsf T} H,
# \qquad
# \frac{\partial C}{\partial b_2} = \sum_i \delta^{(2)}_i .
# $$
#
# The hidden layer's error signal is the output's, sent back through the weights that
# carried the signal forward, times the slope of the hidden activation ($\odot$ is
# entry-by-entry multiplication):
#
# $$
# \delta^{(1)} = \bigl(\delta^{(2)} W_2\bigr) \odot \operatorname{ReLU}'(Z^{(1)}),
# \qquad
# \frac{\partial C}{\partial W_1} = \delta^{(1)\mathsf T} X,
# \qquad
# \frac{\partial C}{\partial b_1} = \sum_i \delta^{(1)}_i .
# $$
#
# $\delta^{(1)}$ can only be computed once $\delta^{(2)}$ is known: the errors travel
# from the output back to the input, hence the name.
# `two_layer_backward`
# does exactly these lines; compare it with autograd on the same network:

# %%
import torch.nn.functional as F

from annlab.by_hand.gradients import two_layer_backward

net = mlp([2, 8, 1], hidden_activation="relu", seed=0)
w1, b1, w2, b2 = (p.detach().clone() for p in net.parameters())
by_hand = two_layer_backward(
    x, y, w1, b1, w2, b2, hidden_activation="relu", loss="bce_with_logits"
)

cost = F.binary_cross_entropy_with_logits(net(x), y_col)
cost.backward()
print(f"cost: by hand {by_hand.loss:.6f}, PyTorch {cost.item():.6f}")
names = ("W1", "b1", "W2", "b2")
hand_gradients = (by_hand.w1, by_hand.b1, by_hand.w2, by_hand.b2)
for name, mine, param in zip(
    names, hand_gradients, net.parameters(), strict=True
):
    difference = (mine - param.grad).abs().max().item()
    print(
        f"dC/d{name}: shape {tuple(mine.shape)}, "
        f"largest difference from autograd {difference:.1e}"
    )
    assert torch.allclose(mine, param.grad, atol=1e-6)

# %% [markdown]
# The same three lines of the backward pass, written out from the forward pass's
# values that `two_layer_backward` returns ($Z^{(1)}$, $H$, $z^{(2)}$), give the same
# gradient for $W_1$. The slope of ReLU is 1 where a unit is active and 0 where it is
# not, so a hidden unit that is silent on a row passes no error back from that row.
# A unit silent on *every* row would get no gradient at all and its weights could not
# learn: pages 9 and 10 meet such "dead" units. Count, for each hidden unit, the rows
# on which it is active:

# %%
delta2 = (torch.sigmoid(by_hand.z2) - y_col) / n
delta1 = (delta2 @ w2) * (by_hand.z1 > 0)
assert torch.allclose(delta1.T @ x, by_hand.w1, atol=1e-7)
active = by_hand.z1 > 0
rows_active = active.sum(dim=0)  # one count per hidden unit
fewest_active = rows_active.min().item()
print(
    "rows (of 200) on which each hidden unit is active:", rows_active.tolist()
)
print(
    "error signals of silent units that are not 0:",
    int((delta1[~active] != 0).sum()),
)
assert (delta1[~active] == 0).all()
assert fewest_active == 1

# %% [markdown]
# One unit is active on only {{ fewest_active }} row of the {{ n }}, and so learns from
# that row alone.
#
# ## Training by hand, step for step with `torch.optim.SGD`
#
# Gradient descent is now two function calls per step: `two_layer_backward` for the
# gradient, `sgd_step` for
# $w \leftarrow w - \eta\, \partial C / \partial w$. Run it for 50 steps beside
# PyTorch's own loop on a second copy of the same network (same seed, so the same
# initial weights), and compare every parameter after every step.

# %%
from annlab.by_hand.gradients import sgd_step

learning_rate = 0.5
steps = 50

torch_net = mlp([2, 8, 1], seed=0)
optimizer = torch.optim.SGD(torch_net.parameters(), lr=learning_rate)
params = [p.detach().clone() for p in mlp([2, 8, 1], seed=0).parameters()]

torch_costs, hand_costs, largest_gap = [], [], 0.0
for step in range(steps):
    optimizer.zero_grad()  # PyTorch: forward, cost, backward, step
    cost = F.binary_cross_entropy_with_logits(torch_net(x), y_col)
    cost.backward()
    optimizer.step()
    torch_costs.append(cost.item())

    grads = two_layer_backward(x, y, *params)  # by hand: gradient, step
    params = sgd_step(
        params, [grads.w1, grads.b1, grads.w2, grads.b2], learning_rate
    )
    hand_costs.append(grads.loss)

    for mine, theirs in zip(params, torch_net.parameters(), strict=True):
        gap = (mine - theirs.detach()).abs().max().item()
        largest_gap = max(largest_gap, gap)
        assert torch.equal(mine, theirs.detach()), (step, gap)

print(
    f"cost: {torch_costs[0]:.4f} before the first step, "
    f"{torch_costs[-1]:.4f} before the last"
)
print(
    f"largest difference of any parameter after any of the {steps} "
    f"steps: {largest_gap}"
)

# %% [markdown]
# Not just close: after each of the 50 steps every parameter of the hand-trained network
# is bit for bit the parameter PyTorch computed (`torch.equal`, asserted at every step).
# `annlab`'s training loop, `train`, is the
# same loop once more, and reports the same costs; then
# `plot_losses` draws the two runs'
# costs on one axis:

# %%
from annlab.training import train

run = train(
    mlp([2, 8, 1], seed=0),
    x,
    y_col,
    epochs=steps,
    loss="bce_with_logits",
    learning_rate=learning_rate,
)
assert torch.allclose(run.epoch_losses, torch.tensor(torch_costs))
assert torch.allclose(torch.tensor(hand_costs), torch.tensor(torch_costs))
print("train() after 50 epochs:", round(run.epoch_losses[-1].item(), 4))

# %% alt="Loss curves of the two training runs over 50 steps, drawn on top of each other: the thick line of torch.optim.SGD and the dashed line with dots of the hand-written updates coincide everywhere, both falling steadily from {{ torch_costs[0]:.2f }} before the first step to {{ torch_costs[-1]:.2f }} before the fiftieth, flattening a little towards the end."
import matplotlib.pyplot as plt

from annlab.plots.curves import plot_losses

fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
plot_losses(
    torch.tensor(torch_costs),
    ax=ax,
    label="torch.optim.SGD",
    x_label="step",
    y_label="cost (binary cross-entropy)",
)
plot_losses(
    torch.tensor(hand_costs),
    ax=ax,
    label="by hand",
    x_label="step",
    y_label="cost (binary cross-entropy)",
)
ax.lines[0].set(linewidth=6, alpha=0.4)  # wide, so the other shows on top
ax.lines[1].set(linestyle="--", marker="o", markersize=3)
ax.legend()
ax.set_title("the same 50 steps, computed twice")
plt.show()

# %% [markdown]
# Why bit for bit, and not just within rounding? Both sides do the same float32
# operations in the same order, and the learning rate 0.5 is a power of two, so
# $\eta \cdot g$ is exact. With $\eta = 0.1$ it is not: `sgd_step` rounds $0.1\,g$
# first and then subtracts (two roundings), while PyTorch's SGD computes
# $w + (-0.1)\,g$ as one operation, which on CPUs with a fused multiply-add rounds
# once. Count how often that changes the last bit, on 10 000 weights and gradients
# drawn uniformly (such draws are exact in float32, so they are the same on every
# machine):

# %%
draws = torch.Generator().manual_seed(0)
w = torch.rand(10_000, generator=draws) - 0.5
g = torch.rand(10_000, generator=draws) - 0.5
differ = {}
for eta in (0.5, 0.1):
    two_roundings = w - eta * g  # as sgd_step computes it
    one_operation = w.add(g, alpha=-eta)  # as torch.optim.SGD computes it
    differ[eta] = (two_roundings != one_operation).sum().item()
    gap = (two_roundings - one_operation).abs().max().item()
    print(
        f"η = {eta}: {differ[eta]} of {len(w)} weights differ, "
        f"by at most {gap:.1e}"
    )
assert differ[0.5] == 0
assert torch.allclose(w - 0.1 * g, w.add(g, alpha=-0.1), rtol=0, atol=1e-7)

# %% [markdown]
# With $\eta = 0.1$, {{ differ[0.1] }} of the {{ len(w) }} updated weights differ, each
# by at most {{ gap:.1e }}, one unit in float32's last place at this size. That count
# is the CPU's, not the math's: this page ran on AVX2 kernels, which fuse the add (its
# stamp names them); PyTorch's plain scalar kernels do not, and there none differ.
# Either way the two updates agree to within $10^{-7}$ (the assert above).
#
# ## The notes' "2D picture": the cost against one weight
#
# The notes describe gradient descent in two dimensions: one weight along the
# horizontal axis, the cost along the vertical. Draw exactly that for the single neuron:
# hold its bias at $-3$ and its second weight at 0, so that the cost depends on $w_1$
# alone, $C(w_1)$. Start at $w_1 = -0.5$, a bad weight, and take 15 steps of gradient
# descent with $\eta = 0.5$, each using the slope $\partial C/\partial w_1$ from
# `sigmoid_bce_gradient`. The figure takes its colours from
# `COLORS`.

# %%
fixed_bias, fixed_w2 = -3.0, 0.0


def cost_at(w1):
    """The cost of the neuron with weights (w1, 0) and bias −3."""
    y_hat = neuron_forward(x, torch.tensor([w1, fixed_w2]), fixed_bias)
    return binary_cross_entropy(y_hat, y).item()


def slope_at(w1):
    """∂C/∂w1 at the same point."""
    gradient = sigmoid_bce_gradient(
        x, y, torch.tensor([w1, fixed_w2]), fixed_bias
    )
    return gradient.weights[0].item()


grid = torch.linspace(-1.0, 2.5, 351)
grid_costs = torch.tensor([cost_at(w1) for w1 in grid.tolist()])
lowest = grid[grid_costs.argmin()].item()

path = [-0.5]
for _ in range(15):
    path.append(path[-1] - 0.5 * slope_at(path[-1]))
path_costs = [cost_at(w1) for w1 in path]

for k in (0, 1, 2, 5, 15):
    print(
        f"step {k:2d}: w1 = {path[k]:7.4f}, cost = {path_costs[k]:.4f}, "
        f"slope = {slope_at(path[k]):8.4f}"
    )
print(f"lowest cost on the grid at w1 = {lowest:.2f}")

# %% alt="The cost of one neuron plotted against its weight w1 from -1 to 2.5: a single valley, high on the left ({{ start_cost:.2f }} at w1 = -0.5), lowest near w1 = {{ lowest:.2f }}, rising gently on the right. Gradient-descent steps are drawn as dots joined by arrows: from w1 = -0.5 the first step jumps far right to w1 = {{ path[1]:.2f }}, down the steep wall, where a dashed tangent shows the steep starting slope; the following steps shrink as the valley flattens and pile up at the bottom, next to a dotted vertical line at the grid's lowest point."
import itertools

from annlab.plots.colors import COLORS

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(grid, grid_costs, color=COLORS["blue"], label="cost C(w₁)")
start, start_cost, start_slope = path[0], path_costs[0], slope_at(path[0])
tangent = torch.tensor([start - 0.5, start + 0.5])
ax.plot(
    tangent,
    start_cost + start_slope * (tangent - start),
    color="black",
    linestyle="--",
    linewidth=1,
    label=f"slope at the start: {start_slope:.2f}",
)
ax.plot(
    path,
    path_costs,
    "o",
    color=COLORS["vermillion"],
    markersize=5,
    label="gradient-descent steps (η = 0.5)",
)
points = list(zip(path, path_costs, strict=True))
for (a, c_a), (b, c_b) in itertools.pairwise(points):
    ax.annotate(
        "",
        xy=(b, c_b),
        xytext=(a, c_a),
        arrowprops={"arrowstyle": "->", "color": COLORS["vermillion"]},
    )
ax.axvline(
    lowest,
    color=COLORS["green"],
    linestyle=":",
    label=f"lowest cost on the grid, w₁ = {lowest:.2f}",
)
ax.set(
    xlabel="weight w₁ (bias −3 and w₂ = 0 held fixed)",
    ylabel="cost C (binary cross-entropy)",
    title="gradient descent on the cost of one weight",
)
ax.legend(loc="upper right", framealpha=1)
plt.show()

# %% [markdown]
# Each step is the learning rate times the slope under it. On the steep wall at the
# start that is a long jump; near the bottom the slope flattens and the steps shrink by
# themselves, with $\eta$ fixed. The cost never rose (over the last steps it changes by
# less than float32 can show), and the walk ends at the grid's lowest point:

# %%
step_sizes = [abs(b - a) for a, b in itertools.pairwise(path)]
print(f"first step {step_sizes[0]:.3f}, last step {step_sizes[-1]:.6f}")
assert all(b <= a for a, b in itertools.pairwise(path_costs))
assert step_sizes[0] > 1000 * step_sizes[-1]
assert abs(path[-1] - lowest) < 0.01

# %% [markdown]
# ## Questions
#
# **Why move *against* the gradient?** Because the gradient points uphill: it is the
# direction in which the cost rises fastest. A small step along it raises the cost, a
# small step against it lowers it, by about $\eta \lVert g \rVert^2$ (to first order).
# Measured on the single neuron, from its seeded start:

# %%
full = torch.cat([by_annlab.weights, torch.tensor([by_annlab.bias])])
cost_now = binary_cross_entropy(neuron_forward(x, weights, bias), y).item()
eta = 0.01
for sign, word in ((-1, "against"), (+1, "along")):
    moved = torch.cat([weights, torch.tensor([bias])]) + sign * eta * full
    moved_cost = binary_cross_entropy(
        neuron_forward(x, moved[:2], moved[2].item()), y
    ).item()
    print(
        f"step {word:7s} the gradient: cost {cost_now:.5f} -> "
        f"{moved_cost:.5f} (change {moved_cost - cost_now:+.5f})"
    )
    assert (moved_cost - cost_now) * sign > 0
print(
    f"first-order prediction of the change: "
    f"{eta * full.norm().item() ** 2:.5f}"
)

# %% [markdown]
# **"For which weight is the cost minimum?"** Gradient descent does not search all
# weights for that answer: it walks downhill from where it starts, using only the
# slope where it stands. For the single neuron under binary cross-entropy that is
# enough, because the cost has one valley. Differentiate the slope
# $\frac1n \sum_i (\hat y_i - y_i)\, x_{i1}$ once more: $y_i$ is a constant and
# $\partial \hat y_i / \partial w_1 = \hat y_i (1 - \hat y_i)\, x_{i1}$, so
#
# $$
# \frac{\partial^2 C}{\partial w_1^2} = \frac{1}{n} \sum_{i=1}^{n} \hat y_i (1 - \hat y_i)\, x_{i1}^2 > 0
# $$
#
# at every $w_1$: the slope only ever increases, so it crosses zero once, at the one
# lowest point, and every downhill walk with a small enough step ends there. (Along any
# direction $d$ in weight space the same computation gives
# $\frac1n \sum_i \hat y_i (1 - \hat y_i) (\tilde x_i^{\mathsf T} d)^2 \ge 0$: the
# whole cost surface is one bowl.) On the figure's grid:

# %%
x1 = x[:, 0]
curvature = torch.stack(
    [(sigmoid_derivative(fixed_bias + w1 * x1) * x1**2).mean() for w1 in grid]
)
print(
    f"second derivative on the grid: from {curvature.min():.4f} "
    f"to {curvature.max():.4f}"
)
assert (curvature > 0).all()

# %% [markdown]
# With a hidden layer that is no longer true. Swap two hidden units of the trained
# network (their rows of $W_1$ and $b_1$, their columns of $W_2$): the network computes
# the same function, so the cost is the same (up to float32's last digit: the sums run
# in another order), at a different point of weight space. Halfway between the two points, the cost is *higher* than at either end.
# A bowl cannot do that (its cost halfway is at most the cost at the ends), so the
# cost of a network with hidden units has several valleys. (The cost below is
# `binary_cross_entropy_with_logits`,
# the numerically safe form for logits.)

# %%
import math

from annlab.by_hand.losses import binary_cross_entropy_with_logits


def net_cost(w1, b1, w2, b2):
    """The two-layer network's cost at the given parameters."""
    logits = torch.relu(x @ w1.T + b1) @ w2.T + b2
    return binary_cross_entropy_with_logits(logits, y_col).item()


def swap_units(i, j):
    """The trained parameters with hidden units i and j swapped."""
    w1, b1, w2, b2 = params  # after the 50 steps of training
    order = torch.arange(len(b1))
    order[[i, j]] = order[[j, i]]
    return w1[order], b1[order], w2[:, order], b2


def halfway_cost(i, j):
    swapped = swap_units(i, j)
    return net_cost(
        *[(a + b) / 2 for a, b in zip(params, swapped, strict=True)]
    )


trained = net_cost(*params)
pairs = [(i, j) for i in range(8) for j in range(i + 1, 8)]
for i, j in pairs:
    # Equal up to rounding, not bit for bit: the swapped network adds its
    # hidden units' products in another order, and float32 keeps about 7
    # digits, so the costs may differ in the last one or two.
    assert math.isclose(net_cost(*swap_units(i, j)), trained, rel_tol=1e-6)
i, j = max(pairs, key=lambda pair: halfway_cost(*pair))
print(f"trained network:              cost {trained:.4f}")
print(
    f"hidden units {i} and {j} swapped: cost {net_cost(*swap_units(i, j)):.4f}"
)
print(f"halfway between the two:      cost {halfway_cost(i, j):.4f}")
assert halfway_cost(i, j) > trained + 0.01

# %% [markdown]
# The swapped copies are equally good, so they do no harm by themselves. But once the
# cost is not a single bowl, nothing promises that every valley is as deep as the
# best one, or that a downhill walk reaches the one you want: where training ends can
# depend on where it starts, and pages 9 and 10 measure how often it ends badly.
#
# **Is backpropagation the same as gradient descent?** No, as the idea section said:
# backpropagation computes the gradient, the update rule uses it. In this page's code
# they are two functions, `two_layer_backward` and `sgd_step`, and the same gradient
# could feed a different update rule (Adam, page 6) without changing a line of the
# backward pass.
#
# ## Try it
#
# **Exercise 1.** Check `sigmoid_bce_gradient` without any calculus: nudge each
# parameter by $h = 10^{-5}$ up and down and divide the change of the cost by $2h$ (a
# central difference). Work in float64, where such small differences keep their digits.

# %% tags=["solution"]
x64, y64 = x.double(), y.double()
w64, b64 = weights.double(), bias
h = 1e-5


def cost64(w, b):
    # b as a float64 tensor: annlab would round a plain float bias to float32
    b = torch.tensor(b, dtype=torch.float64)
    return binary_cross_entropy(neuron_forward(x64, w, b), y64).item()


numeric = []
for j in range(2):
    step = torch.zeros(2, dtype=torch.float64)
    step[j] = h
    change = cost64(w64 + step, b64) - cost64(w64 - step, b64)
    numeric.append(change / (2 * h))
numeric.append((cost64(w64, b64 + h) - cost64(w64, b64 - h)) / (2 * h))
exact = sigmoid_bce_gradient(x64, y64, w64, b64)
exact = [*exact.weights.tolist(), exact.bias]
print("central differences:", [f"{v:.6f}" for v in numeric])
print("sigmoid_bce_gradient:", [f"{v:.6f}" for v in exact])
assert all(abs(a - b) < 1e-8 for a, b in zip(numeric, exact, strict=True))

# %% [markdown]
# **Exercise 2.** Replace the hidden ReLU by tanh. Which line of the backward pass
# changes? Check `two_layer_backward(..., hidden_activation="tanh")` against autograd
# on `mlp([2, 8, 1], hidden_activation="tanh", seed=0)`.

# %% tags=["solution"]
tanh_net = mlp([2, 8, 1], hidden_activation="tanh", seed=0)
tanh_hand = two_layer_backward(
    x,
    y,
    *(p.detach() for p in tanh_net.parameters()),
    hidden_activation="tanh",
    loss="bce_with_logits",
)
F.binary_cross_entropy_with_logits(tanh_net(x), y_col).backward()
tanh_grads = (tanh_hand.w1, tanh_hand.b1, tanh_hand.w2, tanh_hand.b2)
for mine, param in zip(tanh_grads, tanh_net.parameters(), strict=True):
    assert torch.allclose(mine, param.grad, atol=1e-6)
print("tanh: all four gradients match autograd")

# %% [markdown] tags=["solution"]
# One factor of one line changes: in $\delta^{(1)}$ the slope
# $\operatorname{ReLU}'(Z^{(1)})$ becomes $1 - \tanh^2 Z^{(1)}$. Every other formula of
# the backward pass stays as it was (its numbers change, since $H$ does).

# %% [markdown]
# **Exercise 3 (pencil and paper).** Take the one observation of "One observation,
# with numbers" ($x = (1, 2)$, $y = 1$, $w = (0.5, -0.25)$, $b = 0.25$), but with the
# squared error $L = (\hat y - y)^2$ instead of cross-entropy. Derive
# $\partial L / \partial z$ with the chain rule, put in the numbers (you know
# $\hat y$ from the figure), and compare with the cross-entropy's
# $\partial L / \partial z$. Then check with autograd.

# %% tags=["solution"]
x1, x2, w1, w2, b = 1.0, 2.0, 0.5, -0.25, 0.25  # the observation, y = 1
y_hat = 1 / (1 + math.exp(-(b + w1 * x1 + w2 * x2)))
se_dL_dz = 2 * (y_hat - 1) * y_hat * (1 - y_hat)  # by the chain rule
dL_dz = y_hat - 1  # cross-entropy's, from the section
params = torch.tensor([w1, w2, b], dtype=torch.float64, requires_grad=True)
z_t = params[2] + params[0] * x1 + params[1] * x2
((torch.sigmoid(z_t) - 1) ** 2).backward()
print(f"squared error: ∂L/∂z = {se_dL_dz:.4f}, ∂L/∂w1 = {se_dL_dz * x1:.4f}")
print(f"autograd:      ∂L/∂w1 = {params.grad[0].item():.4f}")
print(f"cross-entropy: ∂L/∂z = {dL_dz:.4f}")
assert math.isclose(params.grad[0].item(), se_dL_dz * x1, rel_tol=1e-9)
shrink = dL_dz / se_dL_dz

# %% [markdown] tags=["solution"]
# $\partial L / \partial \hat y = 2(\hat y - y)$ and
# $\partial \hat y / \partial z = \hat y (1 - \hat y)$, so
# $\partial L / \partial z = 2(\hat y - y)\,\hat y (1 - \hat y)$
# = {{ se_dL_dz:.4f }}, and $\partial L / \partial w_1$ is the same times $x_1 = 1$.
# The cross-entropy gave {{ dL_dz:.4f }}: the squared error's push is
# {{ shrink:.1f }} times weaker here, because the sigmoid's slope
# $\hat y(1 - \hat y) \le \tfrac14$ stays in it (page 4 shows how much weaker it gets
# when the prediction is confidently wrong).

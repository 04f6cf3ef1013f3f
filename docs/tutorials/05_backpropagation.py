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

# %% [markdown] tags=["header"]
# **Lecture 44** of the course ([the notes' passage](../../notes/#lecture-44)).
# The notes give training's update rule and the derivative it needs, without
# computing it, and ask for which weight the cost is lowest; the page derives and
# computes that derivative, and fixes their notation.
#
# After this page you can:
#
# - derive the gradient of one sigmoid neuron under binary cross-entropy,
#   $\frac1n \sum_i (\hat y_i - y_i)\, x_i$, and check it against PyTorch;
# - push the chain rule through a hidden ReLU layer, for one unit and in matrix
#   form, with every shape;
# - train a network with hand-written updates that match `torch.optim.SGD` step for
#   step.

# %% [markdown]
# Page 4 gave training a target, the cost. Here the weights move to lower it: each
# is nudged against the cost's slope, and all the slopes, however many layers deep,
# come from the [chain rule](../../glossary/#chain-rule) of calculus applied from the
# output back to the input. That backward sweep is *backpropagation*.
#
# ## The idea
#
# **Gradient descent.** A model's [parameters](../../glossary/#parameter) are the
# numbers training may change: its weights and biases. Collect one neuron's in
# $\tilde w$ (the bias $b$ as $w_0$, with an input $x_0 = 1$, as on page 3). The
# *gradient* $\partial C / \partial \tilde w$ is the list of the cost's slopes, one
# per parameter: how fast $C$ changes when that parameter alone moves. One step of
# *gradient descent* with *learning rate* $\eta > 0$ (the step-size factor we choose)
# is
#
# $$
# \tilde w \leftarrow \tilde w - \eta\, \frac{\partial C}{\partial \tilde w},
# $$
#
# one subtraction per parameter: $w_j \leftarrow w_j - \eta\, \partial C / \partial w_j$.
# A positive slope lowers $w_j$, a negative one raises it: downhill either way.

# %% [markdown]
# **What the notes write, and the fix.** The
# [notes](../../notes/#lecture-44) write the update as
#
# $$
# W = W - \eta * \frac{\delta{CF}}{\delta{W}}
# $$
#
# and the derivative to compute as
#
# $$
# \frac{\delta{ \sigma { ( X^{T}W, \hat{Y} ) } } }{\delta{W}}.
# $$
#
# Three fixes. The arrow: as an equation, $W = W - \eta\,g$ holds only where the
# gradient $g$ is zero; it is an *update*, the new value computed from the old. The
# symbol: we differentiate with respect to one weight at a time, a *partial*
# derivative, $\partial$, not $\delta$. The function: $\sigma$ is the activation, not
# the cost; the cost compares the predictions $\hat y$ (the output of $\sigma$) with
# the *targets* $y$; and the weighted sums of all rows are $\tilde X \tilde w$ (page
# 3's augmented matrix, a column of ones in front), not $X^{T}W$. Written correctly,
# the notes' derivative is
# $\partial C / \partial \tilde w$ of
#
# $$
# C(\tilde w) = \frac{1}{n} \sum_{i=1}^{n} L\bigl(\sigma(\tilde x_i^{\mathsf T} \tilde w),\, y_i\bigr),
# $$
#
# the mean of the loss $L$ over the $n$ observations. The notes also call the update
# rule "back propagation"; the Questions below tell the two apart.

# %% [markdown]
# **The gradient of one sigmoid neuron under binary cross-entropy.** For observation
# $i$, the chain of computations is $\tilde w \to z_i \to \hat y_i \to L_i$, with the
# sigmoid and the [binary cross-entropy](../04_loss_and_cost/#binary-cross-entropy-against-squared-error)
# of page 4:
#
# $$
# z_i = \tilde x_i^{\mathsf T} \tilde w = \sum_j w_j x_{ij}, \qquad
# \hat y_i = \sigma(z_i), \qquad
# L_i = -\bigl[\, y_i \log \hat y_i + (1 - y_i) \log (1 - \hat y_i) \,\bigr].
# $$
#
# $L_i$ depends on $w_j$ only through $z_i$, and $z_i$ reaches $L_i$ only through
# $\hat y_i$. The chain rule says: the slope of such a chain is the product of the
# slopes of its links,
#
# $$
# \frac{\partial L_i}{\partial w_j}
# = \frac{\partial L_i}{\partial \hat y_i}
#   \cdot \frac{\partial \hat y_i}{\partial z_i}
#   \cdot \frac{\partial z_i}{\partial w_j}.
# $$
#
# One factor at a time. The loss against the prediction: the slope of
# $\log u$ (the natural logarithm) is $1/u$, so $\log \hat y_i$ has slope $1/\hat y_i$, and by the chain
# rule $\log(1 - \hat y_i)$ has slope $\frac{1}{1 - \hat y_i} \cdot (-1)$ (the inner
# $1 - \hat y_i$ falls as $\hat y_i$ rises). Put them in $L_i$:
#
# $$
# \frac{\partial L_i}{\partial \hat y_i}
# = -\Bigl[\, y_i \cdot \frac{1}{\hat y_i} + (1 - y_i) \cdot \frac{-1}{1 - \hat y_i} \,\Bigr]
# = -\frac{y_i}{\hat y_i} + \frac{1 - y_i}{1 - \hat y_i},
# $$
#
# and over a common denominator
#
# $$
# \frac{\partial L_i}{\partial \hat y_i}
# = \frac{-y_i (1 - \hat y_i) + (1 - y_i)\, \hat y_i}{\hat y_i (1 - \hat y_i)}
# = \frac{-y_i + y_i \hat y_i + \hat y_i - y_i \hat y_i}{\hat y_i (1 - \hat y_i)}
# = \frac{\hat y_i - y_i}{\hat y_i (1 - \hat y_i)}.
# $$
#
# The sigmoid against its input
# ([page 3's table](../03_forward_pass/#three-activation-functions-and-their-derivatives)):
# $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, so
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
# The cost is the mean of the losses, so its slope is the mean of theirs:
#
# $$
# \frac{\partial C}{\partial w_j} = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i)\, x_{ij},
# \qquad
# \frac{\partial C}{\partial b} = \frac{\partial C}{\partial w_0} = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i).
# $$

# %% [markdown]
# ## One observation, with numbers
#
# Run the chain once by hand. One observation $x = (1, 2)$ of class $y = 1$, weights
# $w = (0.5, -0.25)$ and bias $b = 0.25$. Forward:
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
# $\partial L / \partial b = \partial L / \partial z \cdot 1$.
#
# The cell does these multiplications, then asks PyTorch's
# [*autograd*](../../glossary/#autograd) for the same numbers. Autograd records every
# operation done on a tensor made with `requires_grad=True` (a model's parameters are
# such tensors); `.backward()` on the result then applies the chain rule back through
# that record and leaves each slope in the tensor's `.grad`.

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

# the same with autograd: w1, w2 and b as one tensor that records its uses
params = torch.tensor([w1, w2, b], dtype=torch.float64, requires_grad=True)
z_t = params[2] + params[0] * x1 + params[1] * x2
(-torch.log(torch.sigmoid(z_t))).backward()
print("autograd:", [round(g, 4) for g in params.grad.tolist()])

# %% tags=["checks"]
assert torch.allclose(
    params.grad, torch.tensor([dL_dw1, dL_dw2, dL_db], dtype=torch.float64)
)
assert math.isclose(dL_dz, y_hat - 1)  # the cancellation, for y = 1

# %% alt="A computation graph drawn left to right. Five input nodes, x1 = 1, x2 = 2, w1 = 0.5, w2 = -0.25 and b = 0.25, feed a node z = {{ z:.2f }}, which feeds y-hat = {{ y_hat:.4f }}, which feeds the loss L = {{ loss:.4f }}. Under each node, in orange, its gradient: 1 for L, {{ dL_dyhat:.4f }} for y-hat, {{ dL_dz:.4f }} for z, {{ dL_dw1:.4f }} for w1, {{ dL_dw2:.4f }} for w2 and {{ dL_db:.4f }} for b, while the inputs x1 and x2 are data and get none. The arrows are labelled with the local slopes: x1 and x2 on the arrows from the weights, 1 from b, y-hat (1 - y-hat) = {{ y_hat * (1 - y_hat):.3f }} from z to y-hat and -1/y-hat from y-hat to L."
nodes = {  # name: (position x, position y, forward value, gradient or None)
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


def draw_graph(nodes, edges, ax, along=0.3):
    """Draw boxes with forward values, gradients below, arrows with slopes.

    A level arrow has its slope above its middle; a slanted one has it on the
    arrow, turned with it, the fraction `along` of the way from its start.
    """
    for start, end, slope in edges:
        (sx, sy, *_), (ex, ey, *_) = nodes[start], nodes[end]
        (ax0, ay0), (ax1, ay1) = (sx + 0.35, sy), (ex - 0.35, ey)
        ax.annotate(
            "",
            xy=(ax1, ay1),
            xytext=(ax0, ay0),
            arrowprops={"arrowstyle": "->", "color": COLORS["grey"]},
        )
        style = {"ha": "center", "fontsize": 9, "color": COLORS["grey"]}
        if sy == ey:
            ax.text((ax0 + ax1) / 2, sy + 0.12, slope, **style)
            continue
        ax.text(
            ax0 + along * (ax1 - ax0),
            ay0 + along * (ay1 - ay0),
            slope,
            va="center",
            rotation=math.degrees(math.atan2(ay1 - ay0, ax1 - ax0)),
            rotation_mode="anchor",
            transform_rotates_text=True,  # the angle is the arrow's on screen
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            **style,
        )
    for name, (px, py, value, grad) in nodes.items():
        ax.text(
            px,
            py,
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
                px,
                py - 0.42,
                f"∂L/∂{name} = {grad:.4f}",
                ha="center",
                fontsize=9,
                color=COLORS["orange"],
            )


fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
draw_graph(nodes, edges, ax)
ax.set(xlim=(-0.8, 6.8), ylim=(-0.8, 4.6))
ax.set_title("forward values in the boxes, gradients below (y = 1)")
ax.axis("off")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** The one-observation example as a computation graph: each box holds the
# value of the forward pass, the orange number under it the gradient of the loss with
# respect to it, and each arrow the local slope the backward pass multiplies by.

# %% [markdown]
# With $y = 1$ the error $\hat y - y$ is {{ y_hat - 1:.4f }}, and $\partial L / \partial z$
# is {{ dL_dz:.4f }}: the $-1/\hat y$ of the loss and the $\hat y (1 - \hat y)$ of the
# sigmoid cancel down to the error, as derived. Each weight's gradient is that error
# times its input: $w_2$, on the input 2, gets twice the push of $w_1$.
#
# ## One neuron: the formula, `annlab` and autograd
#
# Now all observations at once: page 4's qwerties, two clusters of 100 points in the
# plane, class 0 and class 1, and one sigmoid unit from `mlp`, its weights drawn with
# a fixed [seed](../../glossary/#seed). Compute the gradient three ways: the formula
# typed in; `annlab`'s `sigmoid_bce_gradient`; and autograd.

# %%
from annlab.by_hand.gradients import sigmoid_bce_gradient
from annlab.by_hand.losses import binary_cross_entropy
from annlab.by_hand.neuron import neuron_forward
from annlab.data import qwerties
from annlab.models import mlp

x, y_col = qwerties(n_per_cluster=100, seed=0)  # x: (200, 2), y_col: (200, 1)
y = y_col.reshape(-1)  # one target per row, like the neuron's output
n = len(x)
neuron = mlp([2, 1], output_activation="sigmoid", seed=0)
print(neuron)  # what mlp built: an nn.Linear of 2 inputs, 1 output; a sigmoid
weights = neuron[0].weight.detach().reshape(-1)
bias = neuron[0].bias.item()

y_hat = neuron_forward(x, weights, bias)  # σ(b + x·w) for every row
# (1/n) Σ (ŷ_i − y_i) x_i: the row of 200 errors times x sums each column of
# x weighted by the errors, one result per weight
formula_w = (y_hat - y) @ x / n
formula_b = (y_hat - y).mean()  # (1/n) Σ (ŷ_i − y_i)

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

# %% tags=["checks"]
for g_w, g_b in (
    (by_annlab.weights, by_annlab.bias),
    (autograd_w, autograd_b),
):
    # float32 sums of 200 terms in different orders: 1e-6 is a few last digits
    assert torch.allclose(formula_w, g_w, atol=1e-6)
    assert abs(formula_b.item() - g_b) < 1e-6

# %% [markdown]
# The three rows agree to the printed digits.
#
# ## The chain rule through two layers
#
# Now put a hidden layer of [ReLU](../../glossary/#relu) units (page 3) in front of
# the neuron:
#
# $$
# \operatorname{ReLU}(z) = \max(0, z), \qquad
# \operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0, \\ 0 & z < 0, \end{cases}
# $$
#
# (at $z = 0$ the slope is undefined; PyTorch takes 0). A unit with $z > 0$ is
# *active* and outputs its $z$ unchanged; one with $z < 0$ is *silent* and outputs 0.
#
# ### One unit per layer, by hand
#
# Start with the smallest such network, 1-1-1: one input $x$, one hidden ReLU unit,
# one sigmoid output. As on page 3, a superscript numbers the layer: four parameters
# $w^{(1)}, b^{(1)}$ (the hidden unit's weight and bias) and $w^{(2)}, b^{(2)}$ (the
# output's), all numbers:
#
# $$
# z^{(1)} = w^{(1)} x + b^{(1)}, \qquad h = \operatorname{ReLU}(z^{(1)}), \qquad
# z^{(2)} = w^{(2)} h + b^{(2)}, \qquad \hat y = \sigma(z^{(2)}),
# $$
#
# and the loss $L$ of $\hat y$ against the target $y$ (binary cross-entropy). Go
# backwards, one link at a time. The output unit is exactly the neuron above, with
# $h$ as its input, so
#
# $$
# \frac{\partial L}{\partial z^{(2)}} = \hat y - y, \qquad
# \frac{\partial L}{\partial w^{(2)}} = \frac{\partial L}{\partial z^{(2)}} \cdot \frac{\partial z^{(2)}}{\partial w^{(2)}} = (\hat y - y)\, h, \qquad
# \frac{\partial L}{\partial b^{(2)}} = \hat y - y.
# $$
#
# The new step: $w^{(1)}$ and $b^{(1)}$ reach $L$ only through $h$, and $h$ enters
# $z^{(2)}$ multiplied by $w^{(2)}$, so $\partial z^{(2)} / \partial h = w^{(2)}$ and
#
# $$
# \frac{\partial L}{\partial h} = \frac{\partial L}{\partial z^{(2)}} \cdot \frac{\partial z^{(2)}}{\partial h} = (\hat y - y)\, w^{(2)} .
# $$
#
# Then through the ReLU, $\partial h / \partial z^{(1)} = \operatorname{ReLU}'(z^{(1)})$:
#
# $$
# \frac{\partial L}{\partial z^{(1)}} = \frac{\partial L}{\partial h} \cdot \frac{\partial h}{\partial z^{(1)}}
# = (\hat y - y)\, w^{(2)} \operatorname{ReLU}'(z^{(1)}),
# $$
#
# and last through $z^{(1)} = w^{(1)} x + b^{(1)}$, where
# $\partial z^{(1)} / \partial w^{(1)} = x$ and $\partial z^{(1)} / \partial b^{(1)} = 1$:
#
# $$
# \frac{\partial L}{\partial w^{(1)}} = (\hat y - y)\, w^{(2)} \operatorname{ReLU}'(z^{(1)})\, x, \qquad
# \frac{\partial L}{\partial b^{(1)}} = (\hat y - y)\, w^{(2)} \operatorname{ReLU}'(z^{(1)}).
# $$
#
# Call the slope with respect to a layer's weighted sum its *error signal*, $s$:
# $s^{(2)} = \partial L / \partial z^{(2)} = \hat y - y$ and
# $s^{(1)} = \partial L / \partial z^{(1)} = s^{(2)}\, w^{(2)} \operatorname{ReLU}'(z^{(1)})$.
# The hidden unit's error signal is the output's, sent back through the weight
# $w^{(2)}$ that carried $h$ forward, times the ReLU's slope; it needs $s^{(2)}$
# first: the errors travel from the output back to the input. With numbers, $x = 1.5$,
# $y = 1$, $w^{(1)} = 0.8$, $b^{(1)} = -0.2$, $w^{(2)} = -0.5$, $b^{(2)} = 0.3$:

# %%
x_, y_ = 1.5, 1.0  # one observation (the underscore keeps x and y above)
w1, b1, w2, b2 = 0.8, -0.2, -0.5, 0.3  # w⁽¹⁾, b⁽¹⁾, w⁽²⁾, b⁽²⁾

# forward
z1 = w1 * x_ + b1
h = max(0.0, z1)  # ReLU
z2 = w2 * h + b2
y_hat_ = 1 / (1 + math.exp(-z2))
loss_111 = -math.log(y_hat_)  # binary cross-entropy for y = 1
# backward, one link at a time
s2 = y_hat_ - y_  # the error signal ∂L/∂z⁽²⁾
dL_dw2, dL_db2 = s2 * h, s2
dL_dh = s2 * w2
relu_slope = 1.0 if z1 > 0 else 0.0
s1 = dL_dh * relu_slope  # the error signal ∂L/∂z⁽¹⁾
dL_dw1, dL_db1 = s1 * x_, s1
print(
    f"forward:  z⁽¹⁾ = {z1:.4f}, h = {h:.4f}, "
    f"z⁽²⁾ = {z2:.4f}, ŷ = {y_hat_:.4f}"
)
print(f"backward: s⁽²⁾ = {s2:.4f}, ∂L/∂h = {dL_dh:.4f}, s⁽¹⁾ = {s1:.4f}")
hand_111 = [dL_dw1, dL_db1, dL_dw2, dL_db2]
print("by hand   [w⁽¹⁾, b⁽¹⁾, w⁽²⁾, b⁽²⁾]:", [round(g, 4) for g in hand_111])

p = torch.tensor([w1, b1, w2, b2], dtype=torch.float64, requires_grad=True)
z2_t = p[2] * torch.relu(p[0] * x_ + p[1]) + p[3]
loss_t = -torch.log(torch.sigmoid(z2_t))  # binary cross-entropy for y = 1
loss_t.backward()
print(
    "autograd  [w⁽¹⁾, b⁽¹⁾, w⁽²⁾, b⁽²⁾]:",
    [round(g, 4) for g in p.grad.tolist()],
)

# %% tags=["checks"]
assert torch.allclose(p.grad, torch.tensor(hand_111, dtype=torch.float64))
assert z1 > 0  # the example's hidden unit is active

# %% alt="A computation graph of the 1-1-1 network drawn left to right: x = 1.5, w(1) = 0.8 and b(1) = -0.2 feed z(1) = {{ z1:.4g }}, which feeds h = {{ h:.4g }} through the ReLU; h, w(2) = -0.5 and b(2) = 0.3 feed z(2) = {{ z2:.4g }}, which feeds y-hat = {{ y_hat_:.4f }}, which feeds the loss L = {{ loss_111:.4f }}. Under each node, in orange, its gradient: {{ -1 / y_hat_:.4f }} for y-hat, {{ s2:.4f }} for z(2) and b(2), {{ dL_dw2:.4f }} for w(2), {{ dL_dh:.4f }} for h, {{ s1:.4f }} for z(1), {{ dL_db1:.4f }} for b(1) and {{ dL_dw1:.4f }} for w(1); the input x gets none. Each arrow carries its local slope, written along it: x on the arrow from w(1), 1 from b(1) and from b(2), ReLU'(z(1)) = {{ relu_slope:.0f }} from z(1) to h, w(2) from h to z(2), h from w(2), y-hat (1 - y-hat) = {{ y_hat_ * (1 - y_hat_):.3f }} from z(2) to y-hat, and -1/y-hat from y-hat to the loss."
nodes_111 = {  # name: (position x, position y, forward value, gradient)
    "x": (0, 3.2, x_, None),
    "w⁽¹⁾": (0, 2, w1, dL_dw1),
    "b⁽¹⁾": (0, 0.8, b1, dL_db1),
    "z⁽¹⁾": (2, 2, z1, s1),
    "h": (4, 2, h, dL_dh),
    "w⁽²⁾": (4, 3.4, w2, dL_dw2),
    "b⁽²⁾": (4, 0.6, b2, dL_db2),
    "z⁽²⁾": (6, 2, z2, s2),
    "ŷ": (8, 2, y_hat_, -1 / y_hat_),
    "L": (10, 2, loss_111, 1.0),
}
edges_111 = [
    ("x", "z⁽¹⁾", ""),
    ("w⁽¹⁾", "z⁽¹⁾", "× x"),
    ("b⁽¹⁾", "z⁽¹⁾", "× 1"),
    ("z⁽¹⁾", "h", f"ReLU′(z⁽¹⁾) = {relu_slope:.0f}"),
    ("h", "z⁽²⁾", "× w⁽²⁾"),
    ("w⁽²⁾", "z⁽²⁾", "× h"),
    ("b⁽²⁾", "z⁽²⁾", "× 1"),
    ("z⁽²⁾", "ŷ", f"ŷ(1−ŷ) = {y_hat_ * (1 - y_hat_):.3f}"),
    ("ŷ", "L", "−1/ŷ"),
]
fig, ax = plt.subplots(figsize=(11, 4.5), layout="constrained")
draw_graph(nodes_111, edges_111, ax, along=0.5)
ax.set(xlim=(-0.8, 10.8), ylim=(0.0, 4.0))
ax.set_title("the 1-1-1 network: forward values in the boxes, gradients below")
ax.axis("off")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The 1-1-1 network as a computation graph, drawn like figure 1: the
# output's error signal $s^{(2)}$ = {{ s2:.4f }} (the product of the last two slopes)
# reaches $w^{(1)}$ and $b^{(1)}$ only through $h$, multiplied on the way by $w^{(2)}$
# and by ReLU's slope.

# %% [markdown]
# By hand and autograd agree. Because $w^{(2)}$ is negative, the error signal changes
# sign on its way back: $s^{(2)}$ = {{ s2:.4f }} but $s^{(1)}$ = {{ s1:.4f }}, so
# gradient descent raises $w^{(2)}$ and lowers $w^{(1)}$.
#
# ### The same chain for many rows and units: matrix form
#
# A real layer has many units and sees many observations. Page 3's
# [transpose](../../glossary/#transpose), $(A^{\mathsf T})_{jk} = A_{kj}$, and
# [matrix product](../../glossary/#matrix-product),
# $(AB)_{ij} = \sum_k A_{ik} B_{kj}$ (`A @ B`), write all those chains at once.
#
# The network: 2 inputs, 8 hidden ReLU units, 1 output unit. PyTorch's `nn.Linear`
# stores a layer's weights as a matrix of shape *out × in*: row $j$ holds unit $j$'s
# weights. So $W^{(1)}$ is $8 \times 2$, $b^{(1)}$ has 8 entries, $W^{(2)}$ is
# $1 \times 8$. The $n = 200$ observations are the rows of $X$ ($200 \times 2$).
# Forward, as on page 3:
#
# $$
# \underbrace{Z^{(1)}}_{200 \times 8} = \underbrace{X}_{200 \times 2}\, \underbrace{W^{(1)\mathsf T}}_{2 \times 8} + b^{(1)}, \qquad
# H = \operatorname{ReLU}(Z^{(1)}), \qquad
# \underbrace{z^{(2)}}_{200 \times 1} = \underbrace{H}_{200 \times 8}\, \underbrace{W^{(2)\mathsf T}}_{8 \times 1} + b^{(2)}, \qquad
# \hat y = \sigma(z^{(2)}).
# $$
#
# The transpose is what makes the product a weighted sum:
# $Z^{(1)}_{ij} = \sum_k X_{ik} W^{(1)}_{jk} + b^{(1)}_j$ is unit $j$'s weighted sum for
# observation $i$ ($b^{(1)}$ is added to every row). Backward, one row $i$ and its
# loss $L_i$ at a time, in four steps, exactly the links of the 1-1-1 net:
#
# **Step 1, the output.** $s^{(2)}_i = \partial L_i / \partial z^{(2)}_i = \hat y_i - y_i$,
# so $s^{(2)} = \hat y - y$, a $200 \times 1$ column.
#
# **Step 2, into the hidden outputs.** $z^{(2)}_i = \sum_j H_{ij} W^{(2)}_{1j} + b^{(2)}$,
# so $\partial L_i / \partial H_{ij} = s^{(2)}_i W^{(2)}_{1j}$. For all rows and units at
# once that is the product
# $\bigl[\partial L_i / \partial H_{ij}\bigr] = s^{(2)} W^{(2)}$:
# $(200 \times 1)(1 \times 8) = 200 \times 8$, row $i$ holding the slopes of $L_i$
# (the cost's $\frac1n$ enters in step 4).
#
# **Step 3, through the ReLU.** $H_{ij}$ depends only on $Z^{(1)}_{ij}$, with slope
# $\operatorname{ReLU}'(Z^{(1)}_{ij})$. Multiply entry by entry ($\odot$) to get the
# hidden layer's error signals, one per row and unit:
#
# $$
# S^{(1)} = \bigl(s^{(2)} W^{(2)}\bigr) \odot \operatorname{ReLU}'(Z^{(1)}) \qquad (200 \times 8).
# $$
#
# **Step 4, into the weights.** $Z^{(1)}_{ij} = \sum_k X_{ik} W^{(1)}_{jk} + b^{(1)}_j$,
# so $\partial L_i / \partial W^{(1)}_{jk} = S^{(1)}_{ij} X_{ik}$. The cost averages over
# rows: $\partial C / \partial W^{(1)}_{jk} = \frac1n \sum_i S^{(1)}_{ij} X_{ik}$, which
# is entry $(j, k)$ of a product with the transpose:
#
# $$
# \frac{\partial C}{\partial W^{(1)}} = \frac{1}{n}\, \underbrace{S^{(1)\mathsf T}}_{8 \times 200} \underbrace{X}_{200 \times 2}, \qquad
# \frac{\partial C}{\partial W^{(2)}} = \frac{1}{n}\, \underbrace{s^{(2)\mathsf T}}_{1 \times 200} \underbrace{H}_{200 \times 8}, \qquad
# \frac{\partial C}{\partial b^{(1)}} = \frac{1}{n} \sum_i S^{(1)}_i, \qquad
# \frac{\partial C}{\partial b^{(2)}} = \frac{1}{n} \sum_i s^{(2)}_i .
# $$
#
# Each gradient has the shape of its parameter ($8 \times 2$ and $1 \times 8$), as it
# must for $W \leftarrow W - \eta\, \partial C / \partial W$. The cell writes these
# lines and compares every entry with autograd's, bit for bit.

# %%
import torch.nn.functional as F

net = mlp([2, 8, 1], hidden_activation="relu", seed=0)
print(net)
W1, b1, W2, b2 = (p.detach() for p in net.parameters())

# forward
Z1 = x @ W1.T + b1  # (200, 2) @ (2, 8) -> (200, 8)
H = torch.relu(Z1)
z2 = H @ W2.T + b2  # (200, 8) @ (8, 1) -> (200, 1)
y_hat2 = torch.sigmoid(z2)
# backward, with the cost's 1/n put in at the start: dC_dz2 is ∂C/∂z⁽²⁾ =
# s⁽²⁾/n, and every later line is linear in it, so no gradient divides again
# (autograd divides at the same point, so the two can agree bit for bit)
dC_dz2 = (y_hat2 - y_col) / n  # (200, 1)
dC_dH = dC_dz2 @ W2  # (200, 1) @ (1, 8) -> (200, 8)
dC_dZ1 = dC_dH * (Z1 > 0)  # ⊙ ReLU'(Z1), entry by entry: S⁽¹⁾ / n
grad_W1 = dC_dZ1.T @ x  # (8, 200) @ (200, 2) -> (8, 2)
grad_b1 = dC_dZ1.sum(dim=0)  # (8,)
grad_W2 = dC_dz2.T @ H  # (1, 200) @ (200, 8) -> (1, 8)
grad_b2 = dC_dz2.sum(dim=0)  # (1,)

# autograd's side: binary_cross_entropy_with_logits takes z⁽²⁾, a logit (the
# sigmoid's input), and applies the sigmoid inside
cost = F.binary_cross_entropy_with_logits(net(x), y_col)
cost.backward()
names = ("W⁽¹⁾", "b⁽¹⁾", "W⁽²⁾", "b⁽²⁾")
mine = (grad_W1, grad_b1, grad_W2, grad_b2)
for name, g, param in zip(names, mine, net.parameters(), strict=True):
    same = torch.equal(g, param.grad)  # every entry, bit for bit
    print(
        f"dC/d{name}: shape {tuple(g.shape)}, parameter "
        f"{tuple(param.shape)}, identical to autograd: {same}"
    )

# %% tags=["checks"]
from annlab.by_hand.gradients import two_layer_backward

for g, param in zip(mine, net.parameters(), strict=True):
    assert torch.equal(g, param.grad)
# annlab's two_layer_backward does the same lines, 1/n first
by_hand = two_layer_backward(
    x, y, W1, b1, W2, b2, hidden_activation="relu", loss="bce_with_logits"
)
for g, theirs in zip(
    mine, (by_hand.w1, by_hand.b1, by_hand.w2, by_hand.b2), strict=True
):
    assert torch.equal(g, theirs)
assert math.isclose(by_hand.loss, cost.item(), rel_tol=1e-6)

# %% [markdown]
# All four are identical to autograd's. `annlab`'s `two_layer_backward` does these
# same lines, $\frac1n$ first (the checks compare it too), and the training below
# uses it.

# %% [markdown]
# ## Training by hand, step for step with `torch.optim.SGD`
#
# PyTorch's training loop uses an *optimiser*, an object that applies an update rule
# to a model's parameters. [`torch.optim.SGD`](../../glossary/#sgd) is gradient
# descent: `step()` does $w \leftarrow w - \eta \cdot$ `w.grad` for every parameter.
# ("Stochastic", because it is usually given the gradient of a random
# [mini-batch](../../glossary/#mini-batch) of rows; here every step sees all {{ n }}.)
# Autograd *adds* each new slope to `.grad`, so `zero_grad()` clears them first.
#
# By hand, a step is two calls: `two_layer_backward` for the gradient and `sgd_step`
# for $w \leftarrow w - \eta\, \partial C / \partial w$. Run 50 steps with
# $\eta = 0.5$ both ways, from the same initial weights (the same seed), and compare
# every parameter after every step.

# %%
from annlab.by_hand.gradients import sgd_step, two_layer_backward

learning_rate = 0.5
steps = 50

torch_net = mlp([2, 8, 1], seed=0)
optimizer = torch.optim.SGD(torch_net.parameters(), lr=learning_rate)
params = [p.detach().clone() for p in mlp([2, 8, 1], seed=0).parameters()]

torch_costs, hand_costs, identical = [], [], True
for _ in range(steps):
    # PyTorch: clear the slopes, forward, cost, backward, update
    optimizer.zero_grad()
    cost = F.binary_cross_entropy_with_logits(torch_net(x), y_col)
    cost.backward()
    optimizer.step()
    torch_costs.append(cost.item())

    # by hand: the gradient, then the update
    grads = two_layer_backward(x, y, *params)
    params = sgd_step(
        params, [grads.w1, grads.b1, grads.w2, grads.b2], learning_rate
    )
    hand_costs.append(grads.loss)

    for mine, theirs in zip(params, torch_net.parameters(), strict=True):
        identical = identical and torch.equal(mine, theirs.detach())

print(
    f"cost: {torch_costs[0]:.4f} before the first step, "
    f"{torch_costs[-1]:.4f} before the last"
)
print(f"every parameter identical after every step: {identical}")
# steps counted from 1, as in the figure: the steps whose cost (computed
# before their update) is higher than the step before's
rise_at = [
    k for k in range(2, steps + 1) if torch_costs[k - 1] > torch_costs[k - 2]
]
rises = [torch_costs[k - 1] - torch_costs[k - 2] for k in rise_at]
rise_steps = " and ".join(str(k) for k in rise_at)
print(
    f"the cost went up at {len(rises)} of {steps - 1} steps "
    f"(steps {rise_steps}), by at most {max(rises):.4f}"
)

# %% tags=["checks"]
import itertools

from annlab.training import train

assert identical  # torch.equal: bit for bit, at every step
assert torch.allclose(torch.tensor(hand_costs), torch.tensor(torch_costs))
# annlab's training loop, train, is the same loop once more (an epoch is one
# pass over the data: here one step on all rows)
run = train(
    mlp([2, 8, 1], seed=0),
    x,
    y_col,
    epochs=steps,
    loss="bce_with_logits",
    learning_rate=learning_rate,
)
assert torch.allclose(run.epoch_losses, torch.tensor(torch_costs))

# numbers for figure 3's alt text: drop[k] is how much lower the cost before
# step k is than the cost before step k - 1 (negative: an uptick)
drop = {
    k: torch_costs[k - 2] - torch_costs[k - 1] for k in range(2, steps + 1)
}
zigzag_start, zigzag_end = 28, 41  # read off the figure, checked below
steady = [drop[k] for k in range(3, zigzag_start + 1)]
zigzag = [drop[k] for k in range(zigzag_start + 1, zigzag_end + 1)]
late = [drop[k] for k in range(zigzag_end + 1, steps + 1)]
assert drop[2] == max(drop.values())  # the first step drops most
assert min(steady) > 0 and min(late) > 0
# from zigzag_start to zigzag_end, larger and smaller drops take turns
turns = [
    drop[k] - drop[k - 1] for k in range(zigzag_start + 1, zigzag_end + 1)
]
assert all(a * b < 0 for a, b in itertools.pairwise(turns))

# %% alt="Two cost curves over the steps 1 to 50, drawn on top of each other: a thick pale line for torch.optim.SGD and a dashed line with dots for the hand-written updates, which coincide at every step. The biggest drop is the first, from {{ torch_costs[0]:.2f }} before step 1 to {{ torch_costs[1]:.2f }} before step 2. Up to step {{ zigzag_start }} the cost then goes down by {{ min(steady):.3f }} to {{ max(steady):.3f }} a step, a smooth curve. From step {{ zigzag_start }} to step {{ zigzag_end }} larger and smaller drops take turns, a zig-zag, the cost changing by between {{ -max(zigzag):+.3f }} and {{ -min(zigzag):+.3f }} a step: at steps {{ rise_steps }} the cost ticks up slightly. From step {{ zigzag_end + 1 }} the cost goes down by {{ min(late):.3f }} to {{ max(late):.3f }} a step, smoothly at this scale, to {{ torch_costs[-1]:.2f }} before the last step."
from annlab.plots.curves import plot_losses

fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
for costs, label in (
    (torch_costs, "torch.optim.SGD"),
    (hand_costs, "by hand"),
):
    plot_losses(
        torch.tensor(costs),
        ax=ax,
        label=label,
        x_label="step (the cost computed before its update)",
        y_label="cost (binary cross-entropy)",
    )
ax.lines[0].set(linewidth=6, alpha=0.4)  # wide, so the other shows on top
ax.lines[1].set(linestyle="--", marker="o", markersize=3)
ax.legend()
ax.set_title("the same 50 steps, computed twice")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** The cost before each of the 50 steps, for `torch.optim.SGD` (thick
# line) and the hand-written updates (dashed, dots): the two lie on each other. The
# cost goes from {{ torch_costs[0]:.2f }} to {{ torch_costs[-1]:.2f }}, with small
# upticks at steps {{ rise_steps }}.

# %% [markdown]
# Every parameter is bit for bit the same after every step (`torch.equal`; Going
# deeper says why). The cost is higher than at the step before at {{ len(rises) }} of
# the {{ steps - 1 }} steps (steps {{ rise_steps }}), by at most
# {{ max(rises):.4f }}: a step of fixed size can overshoot a little.
#
# ## The notes' two dimensions: the cost against one weight
#
# The notes put one weight on one axis and the cost on the other ("in 2D"). Draw that
# for the single neuron: hold its bias at $-3$ and its second weight at 0, so the cost
# depends on $w_1$ alone, $C(w_1)$. Start at $w_1 = -0.5$, a bad weight, and take 15
# steps of gradient descent with $\eta = 0.5$, each using the slope
# $\partial C/\partial w_1$ from `sigmoid_bce_gradient`.

# %%
import itertools

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
step_sizes = [abs(b - a) for a, b in itertools.pairwise(path)]
print(f"first step {step_sizes[0]:.3f}, last step {step_sizes[-1]:.6f}")
went_up = sum(b > a for a, b in itertools.pairwise(path_costs))
print(f"steps after which the cost went up: {went_up}")

# %% tags=["checks"]
assert went_up == 0
assert step_sizes[0] > 1000 * step_sizes[-1]
assert abs(path[-1] - lowest) < 0.01

# %% alt="The cost of one neuron plotted against its weight w1 from -1 to 2.5: a single valley, high and almost straight on the left ({{ start_cost:.2f }} at w1 = -0.5), lowest near w1 = {{ lowest:.2f }}, rising gently on the right. At w1 = -0.5 a ring marks where a thick orange dashed tangent touches the curve; the tangent, with slope {{ start_slope:.2f }}, runs along the straight left part and then drops below the curve, where the curve bends into the valley. Gradient-descent steps are drawn as dots joined by arrows: from w1 = -0.5 the first step jumps far right to w1 = {{ path[1]:.2f }}; the following steps shrink and pile up at the bottom, next to a dotted vertical line at the grid's lowest point."
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(grid, grid_costs, color=COLORS["blue"], label="cost C(w₁)")
start, start_cost, start_slope = path[0], path_costs[0], slope_at(path[0])
tangent = torch.tensor([start - 0.45, start + 1.1])
ax.plot(
    tangent,
    start_cost + start_slope * (tangent - start),
    color=COLORS["orange"],
    linestyle="--",
    linewidth=2.5,
    zorder=3,
    label=f"tangent at w₁ = {start}: slope {start_slope:.2f}",
)
ax.plot(
    start,
    start_cost,
    "o",
    markersize=14,
    markerfacecolor="none",
    markeredgecolor="black",
    zorder=4,
)
ax.plot(
    path,
    path_costs,
    "o",
    color=COLORS["vermillion"],
    markersize=5,
    zorder=5,
    label="gradient-descent steps (η = 0.5)",
)
for (a, c_a), (b, c_b) in itertools.pairwise(
    zip(path, path_costs, strict=True)
):
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
    ylim=(-0.2, None),
    title="gradient descent on the cost of one weight",
)
ax.legend(loc="upper right", framealpha=1)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 4.** The cost of the single neuron against its weight $w_1$, on the notes'
# two axes. The orange dashed line is the tangent at the start (ringed), whose
# slope {{ start_slope:.2f }} sets the first step; the dots joined by arrows are the 15
# gradient-descent steps, which shrink as the valley flattens.

# %% [markdown]
# Each step is the learning rate times the slope under it: a long jump on the steep
# wall ({{ step_sizes[0]:.3f }}), then, with $\eta$ fixed, shorter steps as the slope
# flattens, down to {{ step_sizes[-1]:.6f }}. The cost went up at none of the 15 steps,
# and the walk ends next to the grid's lowest point ($w_1$ = {{ path[-1]:.4f }} against
# {{ lowest:.2f }}).
#
# ## Questions
#
# **Why move *against* the gradient?** Figure 4's tangent says it: near a point, the
# cost changes by about its slope times the step. Moving $w_j$ alone by a small
# $\Delta_j$ changes $C$ by about $g_j \Delta_j$, where $g_j = \partial C/\partial w_j$.
# Move the parameters one after the other: over small steps their slopes hardly
# change, so the changes add up:
#
# $$
# C(\tilde w + \Delta) - C(\tilde w) \approx \sum_j g_j \Delta_j .
# $$
#
# A step against the gradient has $\Delta_j = -\eta\, g_j$, so the cost changes by
# about
#
# $$
# \sum_j g_j \cdot (-\eta\, g_j) = -\eta \sum_j g_j^2 = -\eta \lVert g \rVert^2 ,
# $$
#
# where $\lVert g \rVert^2$ is the sum of the squared slopes: negative unless every
# slope is 0. A step along the gradient raises the cost by about as much. Measured on
# the single neuron, with $\eta = 0.01$:

# %%
full = torch.cat([by_annlab.weights, torch.tensor([by_annlab.bias])])
cost_now = binary_cross_entropy(neuron_forward(x, weights, bias), y).item()
eta = 0.01
change = {}
for sign, word in ((-1, "against"), (+1, "along")):
    moved = torch.cat([weights, torch.tensor([bias])]) + sign * eta * full
    moved_cost = binary_cross_entropy(
        neuron_forward(x, moved[:2], moved[2].item()), y
    ).item()
    change[word] = moved_cost - cost_now
    print(
        f"step {word:7s} the gradient: cost {cost_now:.5f} -> "
        f"{moved_cost:.5f} (change {change[word]:+.5f})"
    )
predicted = eta * full.norm().item() ** 2  # η ‖g‖²
print(f"predicted change against the gradient, −η‖g‖²: {-predicted:+.5f}")
off = max(abs(abs(c) - predicted) for c in change.values()) / predicted
print(f"largest gap between a measured change's size and η‖g‖²: {off:.1%}")

# %% tags=["checks"]
assert change["against"] < 0 < change["along"]
assert off < 0.05

# %% [markdown]
# Both changes are within {{ off:.1% }} of $\eta \lVert g \rVert^2$ in size; the tangent
# leaves out the curve's bend.
#
# **"For which weight is the cost minimum?"** Gradient descent does not search all
# weights: it walks downhill from where it starts. On figure 4's line that is enough.
# Differentiate the slope $\partial C/\partial w_1 = \frac1n \sum_i (\hat y_i - y_i)\, x_{i1}$
# once more: $y_i$ and $x_{i1}$ are constants, and
# $\partial \hat y_i / \partial w_1 = \hat y_i (1 - \hat y_i)\, x_{i1}$ (the sigmoid's
# slope times $\partial z_i / \partial w_1$), so
#
# $$
# \frac{\partial^2 C}{\partial w_1^2} = \frac{1}{n} \sum_{i=1}^{n} \hat y_i (1 - \hat y_i)\, x_{i1}^2 > 0,
# $$
#
# every term being positive unless $x_{i1} = 0$. The slope strictly increases along the
# line, so it crosses zero at most once, and where it does the cost is lowest. On
# figure 4's grid:

# %%
from annlab.by_hand.activations import sigmoid_derivative

x_1 = x[:, 0]
curvature = torch.stack(
    [
        (sigmoid_derivative(fixed_bias + w1 * x_1) * x_1**2).mean()
        for w1 in grid
    ]
)
print(
    f"second derivative on the grid: from {curvature.min():.4f} "
    f"to {curvature.max():.4f}"
)
slope_left, slope_right = slope_at(grid[0].item()), slope_at(grid[-1].item())
print(
    f"slope at w1 = {grid[0]:.1f}: {slope_left:.4f}, "
    f"at w1 = {grid[-1]:.1f}: {slope_right:.4f}"
)

# %% tags=["checks"]
assert (curvature > 0).all()
assert slope_left < 0 < slope_right

# %% [markdown]
# It crosses zero once, between $w_1$ = {{ grid[0]:.1f }} (slope {{ slope_left:.4f }})
# and {{ grid[-1]:.1f }} (slope {{ slope_right:.4f }}), at the bottom of figure 4's
# valley. Going deeper shows the same along every straight line through all three
# parameters, and that the cost has a lowest point because the classes overlap.
#
# With a hidden layer the cost is not one bowl: Going deeper swaps two hidden units of
# the trained network, which gives a second, equally good point, and counts the swaps
# with a worse point halfway between the two. Where training ends can then depend on
# where it starts (pages 9 and 10 measure how often it ends badly).
#
# **Is backpropagation the same as gradient descent?** No: backpropagation computes
# the gradient, the update rule uses it. In this page's code they are two functions,
# `two_layer_backward` and `sgd_step`; [page 6](../06_regression/) feeds gradients to
# another update rule, Adam.

# %% [markdown]
# ## Going deeper
#
# Six closer looks, one per fold: float agreement, the cancellation row by row,
# silent units, one neuron's cost (two folds), and a network's.

# %% [markdown] tags=["deeper"]
# ### Why the two runs agree bit for bit
#
# Both sides do the same float32 operations in the same order, and the learning rate
# 0.5 is a power of two, so $\eta \cdot g$ is exact. With $\eta = 0.1$ it is not:
# `sgd_step` rounds $0.1\,g$ first and then subtracts (two roundings), while PyTorch's
# SGD computes $w + (-0.1)\,g$ as one operation, which on CPUs with a fused
# multiply-add rounds once. Count how often that changes the last bit, on 10 000
# weights and gradients drawn uniformly (from a seeded generator, so the same draws on
# every machine):

# %% tags=["deeper"]
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

# %% tags=["deeper", "checks"]
assert differ[0.5] == 0
assert torch.allclose(w - 0.1 * g, w.add(g, alpha=-0.1), rtol=0, atol=1e-7)

# %% [markdown] tags=["deeper"]
# With $\eta = 0.1$, {{ differ[0.1] }} of the {{ len(w) }} updated weights differ, each
# by at most {{ gap:.1e }}, one unit in float32's last place at this size. That count
# is the CPU's, not the math's: this page ran on AVX2 kernels, which fuse the add (its
# stamp names them); PyTorch's plain scalar kernels would not fuse, so there we expect
# none to differ.
# Either way the two updates agree to within $10^{-7}$ (the check above).

# %% [markdown] tags=["deeper"]
# ### The cancellation, row by row
#
# The derivation's key step can be checked on every observation: per row,
# $\partial L/\partial \hat y$ times the sigmoid's slope (`sigmoid_derivative` at $z_i$
# from `weighted_sum`) is exactly the error $\hat y_i - y_i$, although neither factor
# is. Two rows, one of each class:

# %% tags=["deeper"]
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

# %% tags=["deeper", "checks"]
# float32 quotients and products: 1e-5 is a few last digits at these sizes
assert torch.allclose(product, y_hat - y, atol=1e-5)

# %% [markdown] tags=["deeper"]
# ### Silent hidden units pass no error back
#
# ReLU's slope is 0 where a unit is silent, so in $S^{(1)}$ a hidden unit that is
# silent on a row passes no error back from that row. A unit silent on *every* row
# would get no gradient at all and its weights could not learn: pages 9 and 10 meet
# such "dead" units. Count, for each hidden unit of the untrained 2-8-1 network above,
# the rows on which it is active:

# %% tags=["deeper"]
active = Z1 > 0
rows_active = active.sum(dim=0)  # one count per hidden unit
fewest_active = rows_active.min().item()
print(
    "rows (of 200) on which each hidden unit is active:", rows_active.tolist()
)
print(
    "error signals of silent units that are not 0:",
    int((dC_dZ1[~active] != 0).sum()),
)

# %% tags=["deeper", "checks"]
assert (dC_dZ1[~active] == 0).all()
assert fewest_active == 1

# %% [markdown] tags=["deeper"]
# One unit is active on only {{ fewest_active }} row of the {{ n }}, and so, at the
# first step, learns from that row alone.

# %% [markdown] tags=["deeper"]
# ### One neuron's cost bends upward along every line
#
# Figure 4 showed the cost along one line, $w_1$ alone moving. Take any straight line
# through the three parameters $\tilde w = (b, w_1, w_2)$: start at $\tilde w$ and
# move $t$ times a fixed direction $v$ (three numbers, how far each parameter moves per
# unit of $t$), to $\tilde w + t v$. Along it the cost is a function of one number,
# $C(t)$, and school calculus applies. Each weighted sum moves along a line too,
# $z_i(t) = \tilde x_i^{\mathsf T} (\tilde w + t v) = z_i(0) + t\, \tilde x_i^{\mathsf T} v$,
# so $dz_i/dt = \tilde x_i^{\mathsf T} v$, a constant. The chain rule of the gradient's
# derivation, with $dz_i/dt$ in place of $\partial z_i / \partial w_j$, gives the slope;
# differentiating it once more ($y_i$ and $\tilde x_i^{\mathsf T} v$ are constants,
# $d\hat y_i/dt = \hat y_i (1 - \hat y_i)\, \tilde x_i^{\mathsf T} v$) gives the
# second derivative:
#
# $$
# \frac{dC}{dt} = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i)\, \tilde x_i^{\mathsf T} v,
# \qquad
# \frac{d^2 C}{dt^2} = \frac{1}{n} \sum_{i=1}^{n} \hat y_i (1 - \hat y_i)\, (\tilde x_i^{\mathsf T} v)^2 \ge 0 .
# $$
#
# A square is never negative, so along every line the slope never decreases: the cost
# has no dip that is lowest only nearby. From a point where all three slopes are 0,
# every line has slope 0 there and then goes up (or at least not down) both ways, so
# such a point is the lowest. A check along one random direction, at the seeded
# start: the second difference $\bigl(C(h) - 2C(0) + C(-h)\bigr)/h^2$ (the slope
# over $[0, h]$ minus the slope over $[-h, 0]$, divided by $h$) against the formula,
# in float64.

# %% tags=["deeper"]
# the augmented rows (1, x1, x2) and the parameters (b, w1, w2), in float64
x_tilde = torch.cat([torch.ones(n, 1), x], dim=1).double()
start_w = torch.tensor([bias, *weights.tolist()], dtype=torch.float64)
# a direction drawn at random, from a seeded generator
v = torch.randn(3, generator=torch.Generator().manual_seed(1)).double()


def cost_on_line(t):
    """C(t), the cost at the parameters start_w + t v."""
    y_hat = torch.sigmoid(x_tilde @ (start_w + t * v))
    return binary_cross_entropy(y_hat, y.double()).item()


y_hat0 = torch.sigmoid(x_tilde @ start_w)
formula = (y_hat0 * (1 - y_hat0) * (x_tilde @ v) ** 2).mean().item()
step_h = 1e-4
second_difference = (
    cost_on_line(step_h) - 2 * cost_on_line(0.0) + cost_on_line(-step_h)
) / step_h**2
print(f"direction v = {[round(c, 3) for c in v.tolist()]}")
print(f"d²C/dt² by the formula:           {formula:.6f}")
print(f"d²C/dt² by the second difference: {second_difference:.6f}")

# %% tags=["deeper", "checks"]
# float64: the second difference carries rounding of about 1e-16 / h² = 1e-8
# and a truncation error of about h² = 1e-8, so 1e-6 is ample
assert math.isclose(formula, second_difference, rel_tol=1e-6)
assert formula > 0

# %% [markdown] tags=["deeper"]
# ### One neuron's cost has a lowest point: the classes overlap
#
# Suppose a straight line separated the classes: some direction $v$ of the parameters
# with $\tilde x_i^{\mathsf T} v > 0$ on every class-1 row and $< 0$ on every class-0
# row. The cost's slope along $v$ is $dC/dt$ of the fold above,
# $\frac1n \sum_i (\hat y_i - y_i)\, \tilde x_i^{\mathsf T} v$, and every term is
# negative ($\hat y_i - y_i < 0$ where $y_i = 1$, $> 0$ where $y_i = 0$), at every
# point. So no point has all slopes zero, and gradient descent would move the weights
# out along $v$ forever, the cost shrinking toward 0 without reaching it.
#
# Here no line separates the classes, because a class-0 point lies inside a triangle of
# three class-1 points: a line with the three corners on its class-1 side has the
# whole triangle there too. (Even a line through the point fails: the corners cannot
# all lie on it.) So in every direction $v$ some row is on the wrong side, and far out
# along $v$ its loss grows without bound, in proportion to the distance: the cost
# rises far out in every direction, and has a lowest point in between. The cell finds
# such a point and triangle.


# %% tags=["deeper"]
def inside(p, a, b, c):
    """Is the point p strictly inside the triangle a, b, c?"""

    def side(u, v):  # > 0 if p is left of the line from u to v, < 0 if right
        return (v[0] - u[0]) * (p[1] - u[1]) - (v[1] - u[1]) * (p[0] - u[0])

    sides = (side(a, b), side(b, c), side(c, a))
    return all(s > 0 for s in sides) or all(s < 0 for s in sides)


class_0, class_1 = x[y == 0], x[y == 1]
for point in class_0:
    # try the triangles of the 10 class-1 points nearest to it
    nearest = class_1[(class_1 - point).norm(dim=1).argsort()[:10]].tolist()
    corners = itertools.combinations(nearest, 3)
    triangle = next((t for t in corners if inside(point.tolist(), *t)), None)
    if triangle is not None:
        break
print(f"the class-0 point {[round(c, 3) for c in point.tolist()]} lies inside")
print(
    "the triangle of class-1 points",
    [[round(c, 3) for c in t] for t in triangle],
)

# %% tags=["deeper", "checks"]
assert triangle is not None
assert inside(point.tolist(), *triangle)

# %% [markdown] tags=["deeper"]
# ### With a hidden layer, the cost is not one bowl
#
# Swap two hidden units of the trained network (their rows of $W^{(1)}$ and
# $b^{(1)}$, their columns of $W^{(2)}$): the network computes the same function, so
# the cost is the same (up to float32's last digit: the sums run in another order), at
# a different point of the parameters. A single bowl cannot have a higher cost halfway
# between two points than at both of them (its cost halfway is at most the higher of
# the two). The cell tries every pair of the 8 hidden units and counts the pairs
# whose halfway point costs more than both ends. (The cost below is
# `binary_cross_entropy_with_logits`, the numerically safe form for
# [logits](../../glossary/#logit), the sigmoid's inputs.)

# %% tags=["deeper"]
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
pairs = list(itertools.combinations(range(8), 2))  # the 28 pairs of units
rise = {}  # how far the halfway cost lies above the higher of the two ends
for pair in pairs:
    ends = max(trained, net_cost(*swap_units(*pair)))
    rise[pair] = halfway_cost(*pair) - ends
higher = [r for r in rise.values() if r > 0]
lower = [-r for r in rise.values() if r <= 0]
worse_halfway = len(higher)
i, j = max(pairs, key=rise.get)
print(
    f"pairs whose halfway cost is above both ends: {worse_halfway} of "
    f"{len(pairs)}, by {min(higher):.1e} to {max(higher):.4f}"
)
print(f"the other {len(lower)}: below the ends by at most {max(lower):.1e}")
print("the pair with the largest rise:")
print(f"trained network:              cost {trained:.4f}")
print(
    f"hidden units {i} and {j} swapped: cost {net_cost(*swap_units(i, j)):.4f}"
)
print(f"halfway between the two:      cost {halfway_cost(i, j):.4f}")

# %% tags=["deeper", "checks"]
for a, b in pairs:
    # Equal up to rounding, not bit for bit: the swapped network adds its
    # hidden units' products in another order, and float32 keeps about 7
    # digits, so the costs may differ in the last one or two.
    assert math.isclose(net_cost(*swap_units(a, b)), trained, rel_tol=1e-6)
assert halfway_cost(i, j) > trained + 0.01
# every rise is far from 0 next to float32's rounding of a cost of about
# 0.16 (1e-8), so the count of rises above 0 does not hang on rounding
assert all(abs(r) > 1e-6 for r in rise.values())
assert worse_halfway > len(pairs) / 2

# %% [markdown] tags=["deeper"]
# For {{ worse_halfway }} of the {{ len(pairs) }} pairs the cost halfway is higher than
# at both ends, by {{ min(higher):.1e }} to {{ max(higher):.4f }} (for the other
# {{ len(lower) }}, a little lower): one such pair is enough to show that this
# network's cost is not one bowl. The swapped copies are equally good, so they do no
# harm by themselves. But once the
# cost is not a single bowl, nothing promises that every valley is as deep as the
# best one, or that a downhill walk reaches the one you want: what training reaches is
# a [local minimum](../../glossary/#local-minimum), not necessarily the lowest cost.

# %% [markdown]
# ## Key points
#
# - Gradient descent: $w \leftarrow w - \eta\, \partial C / \partial w$ for every
#   parameter; backpropagation computes the gradient $\partial C / \partial w$.
# - For a sigmoid neuron under binary cross-entropy the sigmoid's slope cancels:
#   $\partial C / \partial w = \frac1n \sum_i (\hat y_i - y_i)\, x_i$, the error times
#   the input.
# - Through a hidden layer the error signal goes back through the weights and the
#   activation's slope, $S^{(1)} = (s^{(2)} W^{(2)}) \odot \operatorname{ReLU}'(Z^{(1)})$;
#   each weight gradient has its $W$'s shape (out × in).
# - Hand-written gradients agree with autograd; hand-written updates reproduced
#   `torch.optim.SGD` bit for bit over this page's 50 steps.
# - One neuron's cost has one valley; a network's cost with a hidden layer is not one
#   bowl (two equally good points, a worse one halfway between them).

# %% [markdown]
# ## Try it
#
# **Exercise 1.** Check `sigmoid_bce_gradient` without any calculus: nudge each
# parameter by $h = 10^{-5}$ up and down and divide the change of the cost by $2h$ (a
# central difference, the slope of the line through the two nudged points). Work in
# float64 (`.double()`), where such small differences keep their digits.

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
# **Exercise 2.** Replace the hidden ReLU by tanh, whose slope is
# $\tanh'(z) = 1 - \tanh^2 z$
# ([page 3's table](../03_forward_pass/#three-activation-functions-and-their-derivatives)).
# Which line of the backward pass changes? Change it in a copy of the matrix-form
# cell's lines, and check your four gradients against autograd on
# `mlp([2, 8, 1], hidden_activation="tanh", seed=0)` with `torch.allclose` (with
# tanh, the two may round differently in the last bit).

# %% tags=["solution"]
tanh_net = mlp([2, 8, 1], hidden_activation="tanh", seed=0)
W1, b1, W2, b2 = (p.detach() for p in tanh_net.parameters())
# forward, with tanh for the hidden layer
Z1 = x @ W1.T + b1
H = torch.tanh(Z1)
z2 = H @ W2.T + b2
# backward: only dC_dZ1's slope changes, ReLU'(Z1) -> 1 - tanh²(Z1)
dC_dz2 = (torch.sigmoid(z2) - y_col) / n
dC_dZ1 = (dC_dz2 @ W2) * (1 - torch.tanh(Z1) ** 2)
tanh_grads = (dC_dZ1.T @ x, dC_dZ1.sum(dim=0), dC_dz2.T @ H, dC_dz2.sum(dim=0))

F.binary_cross_entropy_with_logits(tanh_net(x), y_col).backward()
for mine, param in zip(tanh_grads, tanh_net.parameters(), strict=True):
    # autograd may compute tanh's slope in another order: 1e-6 is a few
    # last float32 digits at these sizes
    assert torch.allclose(mine, param.grad, atol=1e-6)
print("tanh: all four gradients match autograd")
# annlab's two_layer_backward has the same option
tanh_hand = two_layer_backward(x, y, W1, b1, W2, b2, hidden_activation="tanh")
assert torch.allclose(tanh_hand.w1, tanh_grads[0], atol=1e-7)

# %% [markdown] tags=["solution"]
# One factor of one line changes: in $S^{(1)}$ the slope
# $\operatorname{ReLU}'(Z^{(1)})$ becomes $1 - \tanh^2 Z^{(1)}$. The forward pass
# changes too ($H = \tanh Z^{(1)}$), and with it the numbers, but every other formula
# of the backward pass stays as it was.

# %% [markdown]
# **Exercise 3 (pencil and paper).** Take the 1-1-1 network of figure 2 with one
# change, $b^{(1)} = -1.5$ instead of $-0.2$. Compute $z^{(1)}$ and $h$, then the four
# gradients with the chain rule. Which parameters does a gradient-descent step on this
# observation move? Can steps on this observation alone ever make the hidden unit
# active? Check with autograd.

# %% tags=["solution"]
x_, y_ = 1.5, 1.0  # the observation of figure 2
w1, b1, w2, b2 = 0.8, -1.5, -0.5, 0.3  # b1 changed
z1 = w1 * x_ + b1
h = max(0.0, z1)  # ReLU
y_hat_ = 1 / (1 + math.exp(-(w2 * h + b2)))
s2 = y_hat_ - y_
s1 = s2 * w2 * (1.0 if z1 > 0 else 0.0)  # ReLU'(z⁽¹⁾) = 0
silent_111 = [s1 * x_, s1, s2 * h, s2]  # w⁽¹⁾, b⁽¹⁾, w⁽²⁾, b⁽²⁾
print(f"z⁽¹⁾ = {z1:.4f}, h = {h}, ŷ = σ(b⁽²⁾) = {y_hat_:.4f}, s⁽²⁾ = {s2:.4f}")
# (+ 0.0 turns the -0.0 of a product with a negative factor into 0.0)
print(
    "by hand   [w⁽¹⁾, b⁽¹⁾, w⁽²⁾, b⁽²⁾]:",
    [round(g, 4) + 0.0 for g in silent_111],
)

p = torch.tensor([w1, b1, w2, b2], dtype=torch.float64, requires_grad=True)
z2_t = p[2] * torch.relu(p[0] * x_ + p[1]) + p[3]
(-torch.log(torch.sigmoid(z2_t))).backward()
print(
    "autograd  [w⁽¹⁾, b⁽¹⁾, w⁽²⁾, b⁽²⁾]:",
    [round(g, 4) for g in p.grad.tolist()],
)
assert torch.allclose(p.grad, torch.tensor(silent_111, dtype=torch.float64))
assert silent_111[:3] == [0.0, 0.0, 0.0]

# %% [markdown] tags=["solution"]
# $z^{(1)} = 0.8 \cdot 1.5 - 1.5$ = {{ z1:.1f }} $< 0$, so $h = 0$ and
# $\operatorname{ReLU}'(z^{(1)}) = 0$; then $z^{(2)} = b^{(2)}$,
# $\hat y = \sigma(b^{(2)})$ = {{ y_hat_:.4f }} and $s^{(2)}$ = {{ s2:.4f }}. Going
# back: $\partial L / \partial b^{(2)} = s^{(2)}$, but
# $\partial L / \partial w^{(2)} = s^{(2)} h = 0$ (the unit sends nothing forward), and
# $s^{(1)} = s^{(2)} w^{(2)} \cdot 0 = 0$, so
# $\partial L / \partial w^{(1)} = \partial L / \partial b^{(1)} = 0$. A step moves
# $b^{(2)}$ alone. $w^{(1)}$ and $b^{(1)}$ never change, so $z^{(1)}$ stays
# {{ z1:.1f }}: this observation
# cannot wake the unit. Only rows on which it is active can; a unit silent on every row
# is a [dead unit](../../glossary/#dead-unit), and stays dead.

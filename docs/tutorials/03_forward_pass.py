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
# # 3. The forward pass

# %% [markdown] tags=["header"]
# **Lecture 42** of the course ([the notes' passage](../../notes/#lecture-42)). The
# notes write what one neuron computes, $Y = \sigma(\text{bias} + \sum(X^{\mathsf T} W))$,
# fold the bias into the weights as $W_0$ of a constant input, compare heatmaps of
# $1 - 2x_1 + x_2$ with and without a sigmoid, and name the sigmoid, tanh and ReLU.
#
# After this page you can: compute a neuron's output, and a small network's, by hand;
# write a layer as $H = \varphi(X W^{\mathsf T} + b)$ and name every shape in it; give
# the sigmoid, tanh and ReLU with their derivatives.

# %% [markdown]
# At prediction time a trained network is nothing but arithmetic: each neuron
# multiplies its inputs by its weights, adds them up with its bias and bends the result
# with an activation function. That one-way trip from input to output is the *forward
# pass*. This page writes one neuron out by hand, then a network of three neurons, and
# checks both against PyTorch.
#
# ## One neuron
#
# A neuron with inputs $x_1, \dots, x_d$ (the [features](../../glossary/#feature) of
# one [observation](../../glossary/#observation)), weights $w_1, \dots, w_d$ and bias $b$
# computes a weighted sum and passes it through an activation function $\varphi$ (the
# sigmoid $\sigma$, tanh or ReLU, all three defined below):
#
# $$
# z = b + \sum_{i=1}^{d} x_i w_i, \qquad \hat y = \varphi(z).
# $$
#
# The weights and the bias are the neuron's [parameters](../../glossary/#parameter):
# the numbers training will change. The bias is just one more weight. Add a constant
# input $x_0 = 1$ to every observation and call the bias $w_0$; with the *augmented*
# vectors $\tilde{x} = (1, x_1, \dots, x_d)$ and $\tilde{w} = (b, w_1, \dots, w_d)$,
#
# $$
# \hat y = \varphi\!\left(\sum_{i=0}^{d} x_i w_i\right) = \varphi\!\left(\tilde{x}^{\mathsf T} \tilde{w}\right).
# $$
#
# Here $\tilde{x}^{\mathsf T} \tilde{w}$ is the *dot product* of two vectors of equal
# length: multiply entry by entry and add, one number.
#
# **A fix to [the notes' notation](../../notes/#lecture-42).** The notes write
# $\sigma(\sum(X^{\mathsf T} W))$, with $\sigma$ for any activation; here $\sigma$ is
# always the sigmoid and $\varphi$ any activation. The notes' $X$ is one observation
# and $W$ its weights, both column vectors, and $X^{\mathsf T} W$, like
# $\tilde{x}^{\mathsf T}\tilde{w}$, *is already* the sum $\sum_i x_i w_i$: the extra
# $\sum$ adds nothing. (For a whole data set the sums become a matrix product, defined
# in the section on networks below.)
#
# We use three observations of two features, and the notes' neuron: bias $b = 1$ and
# weights $w = (-2, 1)$, that is $z = 1 - 2x_1 + x_2$.
# `neuron_forward` keeps the bias apart;
# `neuron_forward_augmented` absorbs it as $w_0$ of the constant input added by
# `add_bias_input`.

# %%
import matplotlib.pyplot as plt
import torch
from torch import nn

from annlab.by_hand.activations import get_activation, relu, sigmoid
from annlab.by_hand.neuron import (
    add_bias_input,
    neuron_forward,
    neuron_forward_augmented,
)
from annlab.models import mlp
from annlab.plots.curves import plot_activations
from annlab.plots.diagrams import draw_network
from annlab.plots.surfaces import plot_surface

x = torch.tensor([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5]])
weights = torch.tensor([-2.0, 1.0])
bias = 1.0

y_separate = neuron_forward(x, weights, bias, activation="sigmoid")
y_augmented = neuron_forward_augmented(x, torch.tensor([bias, -2.0, 1.0]))
print("x with the constant input x0 = 1:\n", add_bias_input(x))
print("bias kept apart:    ", y_separate)
print("bias absorbed as w0:", y_augmented)

# %% tags=["checks"]
assert torch.allclose(y_separate, y_augmented)

# %% [markdown]
# The middle output is arithmetic you can do by hand. For $x = (1, 2)$ the weighted
# sum is $z = 1 - 2 \cdot 1 + 1 \cdot 2 = 1$, and the sigmoid gives
# $\hat y = 1 / (1 + e^{-1})$, with $e^{-1}$ = {{ 1 / y_separate[1] - 1:.4f }}: that is
# {{ y_separate[1]:.4f }}, the value printed. The first observation, $x = (0, 0)$, has
# $z = b = 1$ too, hence the same output.
#
# PyTorch's `nn.Linear` stores exactly these two things, a weight matrix and a bias
# vector, and computes $x W^{\mathsf T} + b$ (the section on networks explains the
# $\mathsf T$). Copy our numbers into one and the outputs agree. PyTorch records
# every computation on a layer's parameters for training
# ([autograd](../../glossary/#autograd), page 5); `with torch.no_grad():` switches
# that off so that we may overwrite them, and a method whose name ends in an underscore
# (`copy_`, `fill_`) changes its tensor in place.

# %%
layer = nn.Linear(in_features=2, out_features=1)
with torch.no_grad():  # we set the parameters ourselves: nothing to record
    # one row, the weights of the one unit; copy_ overwrites in place
    layer.weight.copy_(weights.reshape(1, 2))
    layer.bias.fill_(bias)  # every entry of the bias (here one) set to 1

# layer(x) has shape (3, 1), one column per unit; squeeze(1) drops that column
# dimension, giving the shape (3,) of y_augmented
y_torch = torch.sigmoid(layer(x)).squeeze(1)
# detach() drops the record autograd keeps, so only the numbers are printed
print("nn.Linear + sigmoid:", y_torch.detach())

# %% tags=["checks"]
assert torch.allclose(y_torch, y_augmented)

# %% [markdown]
# ## What the activation does to the plane
#
# Draw the weighted sum $z = 1 - 2x_1 + x_2$ and the neuron's output $\sigma(z)$ over
# the square $[-4, 4]^2$ with `plot_surface`, then evaluate both on a grid of
# 201 × 201 points to read off their ranges:


# %% alt="Two heatmaps over the square from -4 to 4. Left: the weighted sum 1 - 2 x1 + x2 grows steadily from {{ z_lower_right:.0f }} in the lower right to {{ z_upper_left:.0f }} in the upper left, in a diverging colour map that is white on the dashed line z = 0, blue below it and red above it. Right: its sigmoid, near 0 on one side and near 1 on the other, changing within a band along the same line; the dashed line z = 0 is where the sigmoid equals one half." tags=["keep-colours"]
def weighted_sum_of(points):
    return neuron_forward(points, weights, bias, activation="identity")


def output_of(points):
    return neuron_forward(points, weights, bias, activation="sigmoid")


names = ("feature x₁", "feature x₂")
fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot_surface(
    weighted_sum_of,
    axes[0],
    cmap="RdBu_r",  # diverging: blue below 0, red above
    center=0.0,  # white at z = 0, although z runs further up than down
    feature_names=names,
    colorbar_label="weighted sum z = 1 − 2x₁ + x₂",
)
plot_surface(
    output_of,
    axes[1],
    feature_names=names,
    colorbar_label="neuron output σ(z)",
)
for ax in axes:
    ax.plot([-1.5, 2.5], [-4, 4], "k--", label="z = 0")  # x₂ = 2x₁ − 1
    ax.legend(loc="lower right")
plt.show()
corners = torch.tensor([[4.0, -4.0], [-4.0, 4.0]])  # lower right, upper left
z_lower_right, z_upper_left = weighted_sum_of(corners)

# %% [markdown] tags=["caption"]
# **Figure 1.** The notes' neuron over the square $[-4, 4]^2$. Left: its weighted sum
# $z$, from {{ z_lower_right:.0f }} in the lower right corner to
# {{ z_upper_left:.0f }} in the upper left. Right: its output $\sigma(z)$, squeezed
# between 0 and 1. The dashed line $z = 0$ is where the output is ½.

# %%
grid = torch.linspace(-4, 4, 201)  # 201 values from -4 to 4, 0.04 apart
# x1[i, j] = grid[j] and x2[i, j] = grid[i]: every pair of grid values,
# held as two 201 x 201 tables
x1, x2 = torch.meshgrid(grid, grid, indexing="xy")
# flatten() turns each table into one long row; stack puts the two rows
# side by side: one observation (x1, x2) per row, 201 * 201 rows
points = torch.stack([x1.flatten(), x2.flatten()], dim=1)
z = weighted_sum_of(points).reshape(x1.shape)  # back to a 201 x 201 table
y = output_of(points).reshape(x1.shape)
print(f"weighted sum z: from {z.min():.0f} to {z.max():.0f}")
print(f"sigmoid(z):     from {y.min():.7f} to {y.max():.7f}")

# %% [markdown]
# The weighted sum runs from {{ z.min():.0f }} to {{ z.max():.0f }} on this grid of
# 201 × 201 points, the extremes sitting at the corners.
# [The notes](../../notes/#lecture-42) read "−10 to 12" off their colour bar; their
# grid of `nCount = 100` points per side (`nCount` is the notes' variable name) also
# contains the corners (`linspace` includes both ends), so its exact extremes are also
# {{ z.min():.0f }} and
# {{ z.max():.0f }}. The sigmoid squeezes everything into $(0, 1)$: its printed
# extremes, {{ y.min():.7f }} and {{ y.max():.7f }}, lie strictly inside. The notes
# call this "transforming the coordinate" and take the smaller range as the reason for
# an activation (the Questions below show it is not). The sigmoid is *strictly
# increasing* (a larger $z$ always gives a larger $\sigma(z)$), so it keeps the order of the values and every line $z = c$ stays a
# line $\sigma = \sigma(c)$. In particular the dashed line $z = 0$ is exactly where
# $\sigma(z) = \tfrac12$: $z > 0$ and $\sigma(z) > \tfrac12$ say the same thing, which
# makes the line the natural place to split "class 1" from "class 0"
# (Going deeper checks it on the grid, and what rounding does on the line itself).
#
# ## Three activation functions and their derivatives
#
# | name | $\varphi(z)$ | $\varphi'(z)$ | output range |
# |---|---|---|---|
# | sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$ | $(0, 1)$ |
# | tanh | $\tanh(z) = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh^2(z)$ | $(-1, 1)$ |
# | ReLU | $\operatorname{ReLU}(z) = \max(0, z)$ | $1$ if $z > 0$, else $0$ | $[0, \infty)$ |
#
# The derivatives follow from the rules of school calculus.
#
# - **Sigmoid.** Write $\sigma = (1 + e^{-z})^{-1}$; the chain rule gives
#   $\sigma' = e^{-z} / (1 + e^{-z})^2 = \sigma \cdot \dfrac{e^{-z}}{1 + e^{-z}}$, and the
#   last fraction is $1 - \sigma$. Completing the square, with $p = \sigma(z)$,
#   $p(1 - p) = \tfrac14 - (p - \tfrac12)^2 \le \tfrac14$, with equality only at
#   $p = \tfrac12$: the slope is largest, ¼, where $\sigma = \tfrac12$, at $z = 0$.
# - **tanh.** With $u = e^z - e^{-z}$ and $v = e^z + e^{-z}$ we have $u' = v$ and
#   $v' = u$, so the quotient rule gives
#   $\tanh' = (v \cdot v - u \cdot u) / v^2 = 1 - (u/v)^2 = 1 - \tanh^2$: largest,
#   1, at $z = 0$, where $\tanh = 0$.
# - **ReLU.** For $z > 0$ it is the line $z$ (slope 1); for $z < 0$ it is the constant
#   0 (slope 0). At $z = 0$ it has a kink and no derivative; PyTorch, and `annlab`, use
#   0 there.
#
# The derivatives matter as much as the functions:
# [backpropagation](../05_backpropagation/) (page 5) multiplies them along the network,
# and [page 8](../08_qwerties/) and [page 9](../09_learning_rates/) come back to them to
# explain vanishing gradients and "dead" ReLU units. `get_activation` returns each
# function with its derivative; `plot_activations` draws them.

# %% alt="Sigmoid, tanh and ReLU over z from -5 to 5 as solid lines, each with its derivative dashed in the same colour and each named in the legend: the sigmoid's derivative σ′(z) is a low bump peaking at {{ sigmoid_peak:.3f }}, tanh′(z) a taller bump peaking at {{ tanh_peak:.3f }}, ReLU′(z) a step from 0 to 1 at z = 0. The vertical axis stops at 2.2, so the ReLU line leaves the top of the plot at z = 2.2."
z_line = torch.linspace(-5, 5, 501)
peak = {}
for name in ("sigmoid", "tanh", "relu"):
    _, derivative = get_activation(name)
    peak[name] = derivative(z_line).max()
    print(f"{name:8s} largest slope: {peak[name]:.3f}")
sigmoid_peak, tanh_peak = peak["sigmoid"], peak["tanh"]

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
plot_activations(("sigmoid", "tanh", "relu"), ax, z_range=(-5, 5))
ax.set_ylim(-1.2, 2.2)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The three activations (solid) and their derivatives (dashed, same
# colour) for $z$ from −5 to 5. The sigmoid's slope peaks at {{ sigmoid_peak:.3f }}
# and tanh's at {{ tanh_peak:.3f }}, both at $z = 0$; ReLU's jumps from 0 to 1 there.
# The vertical axis stops at 2.2 to keep the small slopes readable: the ReLU line,
# which goes on to 5 at $z = 5$, leaves the plot at $z = 2.2$.

# %% tags=["checks"]
slopes = {}
for name in ("sigmoid", "tanh", "relu"):
    _, derivative = get_activation(name)
    slopes[name] = derivative(z_line).max().item()
assert abs(slopes["sigmoid"] - 0.25) < 1e-6
assert abs(slopes["tanh"] - 1.0) < 1e-6
assert slopes["relu"] == 1.0

# %% [markdown]
# So the sigmoid's slope is never above ¼, tanh's never above 1, and ReLU's is 1
# wherever the unit is *active* ($z > 0$), 0 elsewhere.
#
# ## From one neuron to a network
#
# A [layer](../../glossary/#layer) is several neurons that read the same inputs; a
# [network](../../glossary/#network) feeds one layer's outputs to the next as inputs.
# The network of Figure 3 has 2 inputs, a *hidden* layer of 2 ReLU units and an
# output layer of 1 sigmoid unit: a 2 → 2 → 1 network, with 6 weights and 3 biases.
# `draw_network` draws it.

# %% alt="A diagram of a 2-2-1 network: on the left two input circles, x₁ above x₂, labelled input, 2 features; each is joined by a line to both circles of the hidden layer in the middle, h₁ above h₂, labelled hidden, 2 ReLU; both hidden circles are joined to one output circle on the right, ŷ, labelled output, 1 sigmoid. Above the lines stand the shapes of the weight matrices, W⁽¹⁾: 2 × 2 and W⁽²⁾: 1 × 2."
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
draw_network(
    [2, 2, 1],
    ax,
    activations=["ReLU", "sigmoid"],
    # the name of each unit's value, written in its circle, top to bottom
    unit_labels=[["x₁", "x₂"], ["h₁", "h₂"], ["ŷ"]],
)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** A 2 → 2 → 1 network, drawn by `draw_network`. Each circle shows the
# name of its value ($h_1$ is the output of hidden unit 1). Every line carries one
# weight; above the lines stand the shapes, out × in, of the two weight matrices
# $W^{(1)}$ and $W^{(2)}$. The biases are not drawn.

# %% [markdown]
# ### The forward pass by hand
#
# Take the observation $x = (x_1, x_2) = (1, 2)$ and these parameters:
#
# - hidden unit 1: weights $(1, -1)$, bias $0.5$;
# - hidden unit 2: weights $(2, 1)$, bias $-1$;
# - output unit: weights $(0.5, 1)$ on $(h_1, h_2)$, bias $-2$.
#
# Each hidden unit is a neuron as above, with ReLU as its activation:
#
# $$
# \begin{aligned}
# z_1 &= 0.5 + 1 \cdot 1 + (-1) \cdot 2 = -0.5, & h_1 &= \max(0, -0.5) = 0, \\
# z_2 &= -1 + 2 \cdot 1 + 1 \cdot 2 = 3, & h_2 &= \max(0, 3) = 3.
# \end{aligned}
# $$
#
# The output unit reads $(h_1, h_2)$ as its inputs:
#
# $$
# z^{(2)} = -2 + 0.5 \cdot 0 + 1 \cdot 3 = 1, \qquad \hat y = \sigma(1).
# $$
#
# Hidden unit 1 is inactive for this observation: its output 0 contributes nothing,
# whatever its outgoing weight. The same arithmetic in Python, one unit at a time:

# %%
x_1, x_2 = 1.0, 2.0
z_1 = 0.5 + 1 * x_1 + (-1) * x_2
z_2 = -1 + 2 * x_1 + 1 * x_2
h_1, h_2 = max(0.0, z_1), max(0.0, z_2)
z_out = -2 + 0.5 * h_1 + 1 * h_2
y_hat_by_hand = sigmoid(torch.tensor(z_out)).item()
print(f"hidden: z = ({z_1}, {z_2}), h = ({h_1}, {h_2})")
print(f"output: z = {z_out}, y_hat = sigmoid(z) = {y_hat_by_hand:.4f}")

# %% [markdown]
# The output is {{ y_hat_by_hand:.4f }}.
#
# ### The same pass as matrices
#
# Writing every unit out does not scale to layers of hundreds of units and thousands
# of observations. Matrices do it in one line per layer; here is what they mean.
#
# **A layer's weights as a matrix.** A layer with $d_\text{in}$ inputs and
# $d_\text{out}$ units stores its weights as a matrix $W$ of shape
# $d_\text{out} \times d_\text{in}$ (*out × in*, rows × columns): row $j$ holds the
# weights of unit $j$. Its biases form a vector $b$ of length $d_\text{out}$. A
# superscript numbers the layer (subscripts keep numbering units and inputs). For our
# network,
#
# $$
# W^{(1)} = \begin{pmatrix} 1 & -1 \\ 2 & 1 \end{pmatrix} \;(2 \times 2), \quad
# b^{(1)} = (0.5, -1), \qquad
# W^{(2)} = \begin{pmatrix} 0.5 & 1 \end{pmatrix} \;(1 \times 2), \quad b^{(2)} = (-2).
# $$
#
# **The data as a matrix.** $X$ holds one observation per row: $n \times d_\text{in}$,
# here the three observations of the first cell, $3 \times 2$.
#
# **The [transpose](../../glossary/#transpose)** $W^{\mathsf T}$ swaps rows and columns:
# $(W^{\mathsf T})_{kj} = W_{jk}$, so it has shape $d_\text{in} \times d_\text{out}$ and
# unit $j$'s weights now stand in column $j$.
#
# **The [matrix product](../../glossary/#matrix-product)** $AB$ of an $n \times m$
# matrix $A$ and an $m \times p$ matrix $B$ is the $n \times p$ matrix of all dot
# products of a row of $A$ with a column of $B$:
# $(AB)_{ij} = \sum_{k=1}^{m} A_{ik} B_{kj}$. The inner sizes must agree ($m$ columns
# of $A$, $m$ rows of $B$); the outer ones give the shape of the result.
#
# Put together,
#
# $$
# (X W^{\mathsf T})_{ij} = \sum_{k=1}^{d_\text{in}} X_{ik}\, W_{jk}
# \qquad (n \times d_\text{in}) \cdot (d_\text{in} \times d_\text{out}) = n \times d_\text{out}:
# $$
#
# entry $(i, j)$ is the weighted sum of observation $i$ with the weights of unit $j$,
# exactly the sum we wrote by hand. Adding $b$ adds $b_j$ to every entry of column
# $j$ (PyTorch repeats the vector down the rows, which it calls *broadcasting*). The
# whole forward pass is then
#
# $$
# \begin{aligned}
# Z^{(1)} &= X W^{(1)\mathsf T} + b^{(1)} & &(3 \times 2)(2 \times 2) \to 3 \times 2, &
# H &= \operatorname{ReLU}(Z^{(1)}) & &3 \times 2, \\
# Z^{(2)} &= H W^{(2)\mathsf T} + b^{(2)} & &(3 \times 2)(2 \times 1) \to 3 \times 1, &
# \hat Y &= \sigma(Z^{(2)}) & &3 \times 1,
# \end{aligned}
# $$
#
# with the activation applied to every entry on its own. Capital letters are the
# matrices of all observations: row $i$ of $\hat Y$ is the output $\hat y$ of
# observation $i$, and row $i$ of $Z^{(2)}$ its output sum $z^{(2)}$. With one observation per
# row and $W$ stored out × in (this course's and `nn.Linear`'s convention), the
# product is $X W^{\mathsf T}$; the notes' $X^{\mathsf T} W$ gives the same sums when
# each observation is stored as a column of $X$ and $W$ as in × out. In code, `@` is the matrix product and `.T`
# the transpose:

# %%
W1 = torch.tensor([[1.0, -1.0], [2.0, 1.0]])  # 2 units x 2 inputs
b1 = torch.tensor([0.5, -1.0])
W2 = torch.tensor([[0.5, 1.0]])  # 1 unit x 2 inputs
b2 = torch.tensor([-2.0])

Z1 = x @ W1.T + b1
H = relu(Z1)
y_hat = sigmoid(H @ W2.T + b2)
print(
    "shapes: X", tuple(x.shape), " W1", tuple(W1.shape), " H", tuple(H.shape)
)
print("        W2", tuple(W2.shape), " y_hat", tuple(y_hat.shape))
print("Z1 =\n", Z1)
print("H =\n", H)
print("y_hat =\n", y_hat)

# %% [markdown]
# The middle row is the observation $(1, 2)$ and repeats the hand computation:
# $Z^{(1)}$ = ({{ Z1[1, 0]:.4f }}, {{ Z1[1, 1]:.4f }}), $H$ = ({{ H[1, 0]:.4f }},
# {{ H[1, 1]:.4f }}), $\hat Y$ = {{ y_hat[1, 0]:.4f }}. Forgetting the transpose is a
# classic bug. For $W^{(2)}$ ($1 \times 2$) PyTorch refuses `H @ W2`, since the inner
# sizes 2 and 1 disagree; for the square $W^{(1)}$ it computes `x @ W1` without complaint and
# pairs each input with the wrong weight:

# %%
try:
    H @ W2
except RuntimeError as error:
    print("H @ W2 fails:", error)
print("x @ W1.T + b1, middle row:", (x @ W1.T + b1)[1])
print("x @ W1   + b1, middle row:", (x @ W1 + b1)[1], "(wrong)")

# %% [markdown]
# `nn.Linear(in_features, out_features)` stores its `weight` exactly as out × in and
# computes $x W^{\mathsf T} + b$. Build the network from two of them, copy our
# parameters in, and it gives the same three outputs:

# %%
network = nn.Sequential(
    nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1), nn.Sigmoid()
)
with torch.no_grad():
    network[0].weight.copy_(W1)
    network[0].bias.copy_(b1)
    network[2].weight.copy_(W2)
    network[2].bias.copy_(b2)
print(network)
print(
    "weight shapes:",
    tuple(network[0].weight.shape),
    tuple(network[2].weight.shape),
)
# detach(): the numbers only; flatten(): the (3, 1) column as one row of 3
print("outputs:", network(x).detach().flatten())

# %% tags=["checks"]
# Halves and whole numbers are exact in binary: exact equality is safe here.
assert (z_1, z_2, h_1, h_2, z_out) == (-0.5, 3.0, 0.0, 3.0, 1.0)
assert torch.equal(Z1[1], torch.tensor([z_1, z_2]))
assert torch.allclose(y_hat[1, 0], torch.tensor(y_hat_by_hand))
assert not torch.allclose(x @ W1 + b1, Z1)
assert network[0].weight.shape == (2, 2) and network[2].weight.shape == (1, 2)
assert torch.allclose(network(x), y_hat)

# %% [markdown]
# ## Questions
#
# **How can $\varphi(b + \sum x_i w_i)$ be written without the bias?** By treating the
# bias as the weight of an input that is always 1. The first code cell printed the
# augmented inputs (a column of ones in front), and both forms, and `nn.Linear`, gave
# the same outputs.
#
# **Why do we need an activation function at all?** The notes answer with the range
# of the heatmaps, but a smaller range is no reason: a linear map squeezes it too, as
# $(z + {{ -z.min():.0f }}) / {{ z.max() - z.min():.0f }}$ sends the printed
# {{ z.min():.0f }} to {{ z.max():.0f }} onto $[0, 1]$. The reason is that without an
# activation, a stack of layers is still a single linear map, however deep. Two
# linear layers in a row, applied to a row $x$, multiply
# out as
#
# $$
# (x W^{(1)\mathsf T} + b^{(1)})\, W^{(2)\mathsf T} + b^{(2)}
# = x\, W^{(1)\mathsf T} W^{(2)\mathsf T} + (b^{(1)} W^{(2)\mathsf T} + b^{(2)})
# = x\, (W^{(2)} W^{(1)})^{\mathsf T} + (b^{(1)} W^{(2)\mathsf T} + b^{(2)}),
# $$
#
# using $B^{\mathsf T} A^{\mathsf T} = (AB)^{\mathsf T}$ (entry $(i, j)$ of both sides is
# $\sum_k A_{jk} B_{ki}$): one linear layer with weight $W^{(2)} W^{(1)}$ and bias
# $b^{(1)} W^{(2)\mathsf T} + b^{(2)}$. The cell below builds a random
# 2 → 5 → 1 stack of linear layers with `annlab`'s `mlp` (its layer sizes, the
# activation between them, here none, and a seed), merges it into that single layer
# (weight shapes $(1 \times 5)(5 \times 2) = 1 \times 2$) and compares the two on every
# grid point.

# %%
# mlp builds random layers of these sizes from a seed (page 2 seeded its data);
# "identity" puts no activation between them
stack = mlp([2, 5, 1], hidden_activation="identity", seed=0)
print(stack)
first, second = stack[0], stack[1]
merged = nn.Linear(2, 1)
with torch.no_grad():
    merged.weight.copy_(second.weight @ first.weight)
    merged.bias.copy_(first.bias @ second.weight.T + second.bias)
    two_layers = second(first(points))
    one_layer = merged(points)
same = torch.allclose(two_layers, one_layer, rtol=1e-5, atol=1e-6)
print("two linear layers and one merged layer agree:", same)

# %% tags=["checks"]
# Equal up to float32 rounding: the two compute the sums in another order,
# so the last digits differ, and differ from CPU to CPU.
assert same

# %% [markdown]
# So depth buys nothing without a non-linear activation between the layers; with one,
# the network can bend its [decision boundary](../../glossary/#decision-boundary)
# ([page 10](../10_multilayer/) uses exactly this).
#
# **Which activation goes where?** The notes' rule of thumb is sound: a sigmoid at
# the output when the answer is a probability (its range is $(0, 1)$), ReLU (or tanh)
# inside the network. Figure 2 shows why ReLU inside: its slope is 1 where it is
# active, while the sigmoid's is at most ¼, and backpropagation multiplies one such
# factor per layer ([page 8](../08_qwerties/) measures what that does to deep sigmoid
# stacks).
#
# ## Going deeper
#
# One fold: what floating-point rounding does to the points that lie exactly on the
# line $z = 0$.

# %% [markdown] tags=["deeper"]
# ### Points on the line z = 0: decided by rounding
#
# The cell below compares the sign of $z$ with the side of ½ at every grid point, and
# looks closely at the points that lie on the line $z = 0$, where in exact arithmetic
# $z = 0$ and $\sigma(z) = \tfrac12$. A float32 *step* is the gap between
# neighbouring float32 numbers; the cell prints the one just above ½.

# %% tags=["deeper"]
on_the_line = z.abs() <= 1e-5
off_the_line = ~on_the_line
agree = (z > 0) == (y > 0.5)
half = torch.tensor(0.5)
step_above_half = (torch.nextafter(half, torch.tensor(1.0)) - half).item()
n_on_line = int(on_the_line.sum())
n_exact_zero = int((z[on_the_line] == 0).sum())
n_half = int((y[on_the_line] == 0.5).sum())
n_half_below = int((on_the_line & (z < 0) & (y == 0.5)).sum())
n_disagree_on = int((~agree & on_the_line).sum())
n_disagree_off = int((~agree & off_the_line).sum())
line_within = bool((z[on_the_line].abs() < 1e-6).all())
print("grid points:", z.numel())
print("on the line (|z| <= 1e-5):", n_on_line)
print("  of them, |z| < 1e-6:", line_within)
print("  of them, z exactly 0:", n_exact_zero)
print("  of them, sigmoid(z) exactly 0.5:", n_half)
print("    of these, z < 0:", n_half_below)
print("disagreements on the line:", n_disagree_on)
print("disagreements off the line:", n_disagree_off)
print(f"float32 step just above 0.5: {step_above_half:.3g}")

# %% tags=["deeper", "checks"]
assert agree[off_the_line].all()
assert line_within
# z exactly 0 gives sigmoid exactly 0.5: neither test says "above", so
# they agree.
exact_zero = on_the_line & (z == 0)
assert (y[exact_zero] == 0.5).all() and agree[exact_zero].all()
# A disagreement needs a residue so small that sigmoid rounds back to 0.5.
assert (z[~agree].abs() <= 2 * step_above_half).all()
assert (y[~agree] == 0.5).all()
# Every point of the line with sigmoid exactly 0.5 has z = 0, z > 0 (a
# disagreement) or z < 0.
assert n_half == n_exact_zero + n_disagree_on + n_half_below

# %% [markdown] tags=["deeper"]
# Off the line, the sign of $z$ and the side of ½ agree at every grid point. On it,
# float32 gives exactly 0 for {{ n_exact_zero }} of the {{ n_on_line }} points; the
# others get a residue smaller than $10^{-6}$, because the grid values ($-4 + 0.04\,k$)
# are not exact in binary and every addition rounds. Where $z$ is exactly 0,
# $\sigma(0)$ is exactly 0.5 and neither "$z > 0$" nor "$\sigma(z) > 0.5$" holds: they
# agree.
#
# A tiny residue can vanish as well. Near 0, $\sigma(z) \approx \tfrac12 + z/4$ (the
# tangent at 0: value ½, slope ¼), so a residue $z$ moves the output by only $z/4$.
# Float32 rounds every result to the *nearest* float32 number, and those just above ½
# are {{ step_above_half:.3g }} apart: a result less than half a step above ½ rounds
# back to ½. So any positive $z$ with $z/4$ below half a step, that is $z$ below two
# steps, gives $\sigma(z)$ = 0.5 exactly: "$z > 0$" holds and "$\sigma(z) > 0.5$" does
# not, and the two tests disagree. That happens at {{ n_disagree_on }} points here.
# The other {{ n_half_below }} points that are neither exact zeros nor disagreements but
# still print $\sigma(z)$ = 0.5 have a tiny *negative* residue: PyTorch computes
# $1 / (1 + e^{-z})$, and $1 + e^{-z}$, just above 2, rounds to exactly 2. There
# neither test says "above", so they agree.
#
# Which points get which residue depends on how the CPU carries out the multiplications
# and additions (which instructions, in which order): these counts are this build's,
# and another CPU can give others. Points within rounding of the line are decided by
# rounding, not by the model.

# %% [markdown]
# ## Key points
#
# - A neuron computes $\varphi(b + \sum_i x_i w_i)$; with a constant input
#   $x_0 = 1$ the bias is the weight $w_0$, and the sum is the dot product
#   $\tilde x^{\mathsf T} \tilde w$.
# - A layer stores its weights as a $d_\text{out} \times d_\text{in}$ matrix $W$ (as
#   `nn.Linear` does) and computes $\varphi(X W^{\mathsf T} + b)$ for all $n$
#   observations at once: $(n \times d_\text{in})(d_\text{in} \times d_\text{out})
#   = n \times d_\text{out}$.
# - Sigmoid $1/(1+e^{-z})$, slope $\sigma(1-\sigma) \le \tfrac14$; tanh, slope
#   $1 - \tanh^2 \le 1$; ReLU $\max(0, z)$, slope 1 or 0.
# - Without activations between them, stacked linear layers collapse into one.
#
# ## Try it
#
# **Exercise 1.** tanh is a sigmoid in disguise: $\tanh(z) = 2\sigma(2z) - 1$. Derive
# it from the two definitions in the table, then check it numerically on `z_line` with
# `sigmoid`.

# %% tags=["solution"]
lhs = torch.tanh(z_line)
rhs = 2 * sigmoid(2 * z_line) - 1
print("equal within 1e-6:", torch.allclose(lhs, rhs, atol=1e-6))
assert torch.allclose(lhs, rhs, atol=1e-6)

# %% [markdown] tags=["solution"]
# Put everything over one denominator:
# $2\sigma(2z) - 1 = \dfrac{2}{1 + e^{-2z}} - 1 = \dfrac{1 - e^{-2z}}{1 + e^{-2z}}$.
# Multiply the numerator and the denominator by $e^{z}$:
# $\dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$, which is the table's $\tanh(z)$. The code
# agrees to float32 rounding on all 501 points of `z_line`.

# %% [markdown]
# **Exercise 2.** Change the neuron to $z = 1 - 2x_1 + x_2$ *scaled by 10*
# (bias 10, weights $(-20, 10)$), still with the sigmoid. Where is its output ½? And
# how does the band where the output lies between 0.1 and 0.9 compare with the
# original neuron's: measure it as the share of the 201 × 201 grid `points` whose
# output lies in that band.

# %% tags=["solution"]
y_steep = neuron_forward(
    points, 10 * weights, 10 * bias, activation="sigmoid"
).reshape(x1.shape)
same_side = (y_steep > 0.5) == (y > 0.5)
assert same_side[off_the_line].all()  # same line: scaling does not move z = 0


def band_share(output: torch.Tensor) -> float:
    """Share of the grid where the output is between 0.1 and 0.9."""
    return ((output > 0.1) & (output < 0.9)).float().mean().item()


print("share of the square in the 0.1-0.9 band:")
print(f"  original neuron:  {band_share(y):.3f}")
print(f"  scaled by 10:     {band_share(y_steep):.3f}")
assert band_share(y_steep) < band_share(y) / 5

# %% [markdown] tags=["solution"]
# Scaling all weights and the bias by 10 keeps the line where the output is ½ and makes
# the transition ten times narrower (the band covers a share of
# {{ band_share(y_steep):.3f }} of the square instead of {{ band_share(y):.3f }}):
# large weights turn a soft sigmoid into a nearly hard step.

# %% [markdown]
# **Exercise 3 (pencil and paper).** For the same neuron, $z = 1 - 2x_1 + x_2$, and
# the observation $x = (2, 1)$: compute $z$, then the output with each of the three
# activations of the table, by hand (for the sigmoid and tanh, $e^2 \approx 7.39$ is
# enough: $e^4 = (e^2)^2$).
# Then check your numbers with `neuron_forward`.

# %% tags=["solution"]
x_pencil = torch.tensor([[2.0, 1.0]])
sigmoid_by_hand = 1 / (1 + 7.39)  # e² ≈ 7.39
tanh_by_hand = (1 - 7.39**2) / (1 + 7.39**2)
by_hand = {"sigmoid": sigmoid_by_hand, "tanh": tanh_by_hand}
for name in ("sigmoid", "tanh", "relu"):
    output = neuron_forward(x_pencil, weights, bias, activation=name).item()
    note = f"  (by hand {by_hand[name]:.3f})" if name in by_hand else ""
    print(f"{name:8s} {output:.4f}{note}")
z_pencil = neuron_forward(
    x_pencil, weights, bias, activation="identity"
).item()
assert z_pencil == -2.0  # small integers: exact in float32

# %% [markdown] tags=["solution"]
# $z = 1 - 2 \cdot 2 + 1 = -2$. The sigmoid gives $1/(1 + e^{2})$, about
# $1/8.39$ = {{ sigmoid_by_hand:.3f }} by hand; tanh gives
# $(e^{-2} - e^{2})/(e^{-2} + e^{2}) = (1 - e^{4})/(1 + e^{4})$, about
# {{ tanh_by_hand:.3f }}; ReLU gives $\max(0, -2) = 0$. The printed outputs agree
# to the three digits that $e^2 \approx 7.39$ carries. Note the ranges: the same
# negative $z$ gives a small positive number, a negative one, and exactly 0.

# %% [markdown]
# **Exercise 4 (pencil and paper).** Run the 2 → 2 → 1 network of Figure 3, with the
# parameters of the hand computation, by hand on a new observation, $x = (0, 2)$: both
# hidden sums and activations, then the output (for the sigmoid, $e \approx 2.718$).
# Then: if the hidden layer had 5
# units instead of 2, what would the shapes of $W^{(1)}$, $b^{(1)}$, $W^{(2)}$ and $H$ be for
# these 3 observations? Check with `nn.Linear`.

# %% tags=["solution"]
x_new = torch.tensor([[0.0, 2.0]])
H_new = relu(x_new @ W1.T + b1)
y_new = sigmoid(H_new @ W2.T + b2)
print("network output for (0, 2):", f"{y_new[0, 0]:.4f}", " H:", H_new[0])
wide_hidden, wide_output = nn.Linear(2, 5), nn.Linear(5, 1)
print(
    "W1", tuple(wide_hidden.weight.shape), " b1", tuple(wide_hidden.bias.shape)
)
H_wide = relu(wide_hidden(x))
print("W2", tuple(wide_output.weight.shape), " H", tuple(H_wide.shape))
assert torch.equal(H_new[0], torch.tensor([0.0, 1.0]))  # exact: small numbers

# %% [markdown] tags=["solution"]
# $z_1 = 0.5 + 1 \cdot 0 + (-1) \cdot 2 = -1.5$ and
# $z_2 = -1 + 2 \cdot 0 + 1 \cdot 2 = 1$: hidden unit 1 is inactive, $h = (0, 1)$.
# The output unit gets $z^{(2)} = -2 + 0.5 \cdot 0 + 1 \cdot 1 = -1$ and
# $\hat y = \sigma(-1) = 1/(1 + e) \approx 1/3.718$, the printed
# {{ y_new[0, 0]:.4f }}. With 5 hidden units, $W^{(1)}$ is $5 \times 2$ (out × in),
# $b^{(1)}$ has 5 entries, $W^{(2)}$ is $1 \times 5$, and $H$ is $3 \times 5$: one row per
# observation, one column per hidden unit.

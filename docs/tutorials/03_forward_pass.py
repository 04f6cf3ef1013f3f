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
#
# A trained network is, at prediction time, nothing but arithmetic: numbers go in,
# each neuron multiplies them by its weights, adds them up, adds its bias and bends the
# result with an activation function. That one-way trip from input to output is the
# *forward pass*. Everything later in this course (losses, gradients, training) is built
# on it, so this page writes one neuron out by hand, checks it against PyTorch, and looks
# at the three activation functions you will meet on every page that follows.
#
# ## The idea
#
# A neuron with inputs $x_1, \dots, x_d$, weights $w_1, \dots, w_d$ and bias $b$ computes
# a weighted sum and passes it through an activation function $\varphi$ (the sigmoid
# $\sigma$, tanh or ReLU, compared below):
#
# $$
# z = b + \sum_{i=1}^{d} x_i w_i, \qquad \hat y = \varphi(z).
# $$
#
# The bias is just one more weight. Add a constant input $x_0 = 1$ to every observation
# and call the bias $w_0$; with the *augmented* vectors
# $\tilde{x} = (1, x_1, \dots, x_d)$ and $\tilde{w} = (b, w_1, \dots, w_d)$,
#
# $$
# \hat y = \varphi\!\left(\sum_{i=0}^{d} x_i w_i\right) = \varphi\!\left(\tilde{x}^{\mathsf T} \tilde{w}\right).
# $$
#
# **A fix to the notes' notation.** The notes write $\sigma(\sum(X^{\mathsf T} W))$, with
# $\sigma$ for any activation; here $\sigma$ is always the sigmoid and $\varphi$ any activation.
# For vectors, $\tilde{x}^{\mathsf T}\tilde{w}$ *is already* the sum
# $\sum_i x_i w_i$ (a single number), so the extra $\sum$ adds nothing. For a whole data
# set stored as a matrix $X$ with one observation per row ($n \times (d+1)$ after
# augmenting), the $n$ weighted sums are the matrix–vector product $X\tilde{w}$, not
# $X^{\mathsf T} W$.

# %% [markdown]
# ## The code
#
# We use three observations of two features, and the neuron with bias $b = 1$ and
# weights $w = (-2, 1)$, that is $z = 1 - 2x_1 + x_2$ (the notes' example).
# `neuron_forward` keeps the bias apart;
# `neuron_forward_augmented`
# absorbs it as $w_0$ of the constant input added by
# `add_bias_input`.

# %%
import matplotlib.pyplot as plt
import torch
from torch import nn

from annlab.by_hand.activations import get_activation, sigmoid
from annlab.by_hand.neuron import (
    add_bias_input,
    neuron_forward,
    neuron_forward_augmented,
)
from annlab.plots.curves import plot_activations
from annlab.plots.surfaces import plot_surface

x = torch.tensor([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5]])
weights = torch.tensor([-2.0, 1.0])
bias = 1.0

y_separate = neuron_forward(x, weights, bias, activation="sigmoid")
y_augmented = neuron_forward_augmented(x, torch.tensor([bias, -2.0, 1.0]))
print("x with the constant input x0 = 1:\n", add_bias_input(x))
print("bias kept apart:    ", y_separate)
print("bias absorbed as w0:", y_augmented)
assert torch.allclose(y_separate, y_augmented)

# %% [markdown]
# The middle output is arithmetic you can do by hand. For $x = (1, 2)$ the weighted
# sum is $z = 1 - 2 \cdot 1 + 1 \cdot 2 = 1$, and the sigmoid gives
# $\hat y = 1 / (1 + e^{-1})$, with $e^{-1}$ = {{ 1 / y_separate[1] - 1:.4f }}: that is
# {{ y_separate[1]:.4f }}, the value printed. The first observation, $x = (0, 0)$, has
# $z = b = 1$ too, hence the same output; the third has
# $z = 1 - 2 \cdot (-1) + 0.5 = 3.5$.
#
# Both forms give the same three outputs. PyTorch's `nn.Linear` stores exactly these two
# things, a weight matrix and a bias vector, and computes $x W^{\mathsf T} + b$. Copy our
# numbers into one and the outputs agree:

# %%
layer = nn.Linear(in_features=2, out_features=1)
with torch.no_grad():
    layer.weight.copy_(weights.reshape(1, 2))
    layer.bias.fill_(bias)

y_torch = torch.sigmoid(layer(x)).squeeze(1)
print("nn.Linear + sigmoid:", y_torch.detach())
assert torch.allclose(y_torch, y_augmented)

# %% [markdown]
# ## What the activation does to the plane
#
# Draw the weighted sum $z = 1 - 2x_1 + x_2$ and the neuron's output $\sigma(z)$ over
# the square $[-4, 4]^2$ with
# `plot_surface`, then
# evaluate both on a grid of 201 × 201 points to read off their ranges:


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

# %%
grid = torch.linspace(-4, 4, 201)
x1, x2 = torch.meshgrid(grid, grid, indexing="xy")
points = torch.stack([x1.flatten(), x2.flatten()], dim=1)
z = weighted_sum_of(points).reshape(x1.shape)
y = output_of(points).reshape(x1.shape)
print(f"weighted sum z: from {z.min():.0f} to {z.max():.0f}")
print(f"sigmoid(z):     from {y.min():.5f} to {y.max():.5f}")

# %% [markdown]
# The weighted sum runs from {{ z.min():.0f }} to {{ z.max():.0f }} on this square (the
# printed range; the notes' "−10 to 12" reads the colour bar's tick labels, not the
# extremes), while the sigmoid squeezes everything into $(0, 1)$. The notes call
# this "transforming the coordinate"; more precisely, the sigmoid is *monotonic*, so it keeps the order of the
# values and every line $z = c$ stays a line $\sigma = \sigma(c)$. In particular the
# dashed line $z = 0$ is exactly where $\sigma(z) = \tfrac12$, the natural place to split
# "class 1" from "class 0". Check it on the grid: away from the line itself, the sign of
# $z$ and the side of ½ agree at every point. *On* the line, $z$ should be exactly 0 but
# float32 arithmetic leaves a residue of about $10^{-7}$, and $\sigma$ of so small a
# number rounds to exactly 0.5: those few points are decided by rounding, not by the model.

# %%
off_the_line = z.abs() > 1e-5
agree = (z > 0) == (y > 0.5)
print("grid points:", z.numel())
print("on the line (|z| <= 1e-5):", int((~off_the_line).sum()))
print("disagreements off the line:", int((~agree & off_the_line).sum()))
assert agree[off_the_line].all()

# %% [markdown]
# ## Three activation functions and their derivatives
#
# | name | $\varphi(z)$ | $\varphi'(z)$ | output range |
# |---|---|---|---|
# | sigmoid | $\dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$ | $(0, 1)$ |
# | tanh | $\dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh^2 z$ | $(-1, 1)$ |
# | ReLU | $\max(0, z)$ | $1$ if $z > 0$, else $0$ | $[0, \infty)$ |
#
# The derivatives matter as much as the functions: backpropagation (page 5) multiplies
# them along the network, and pages 8 and 9 come back to them to explain vanishing
# gradients and "dead" ReLU units.
# `get_activation` returns
# each function with its derivative;
# `plot_activations` draws them.

# %% alt="Sigmoid, tanh and ReLU over z from -5 to 5 as solid lines, each with its derivative dashed in the same colour: the sigmoid's derivative is a low bump peaking at {{ sigmoid_peak:.2f }}, tanh's a taller bump peaking at {{ tanh_peak:.0f }}, ReLU's a step from 0 to 1 at z = 0."
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

# %% [markdown]
# The printed slopes are the facts to remember: the sigmoid's derivative is never larger
# than ¼ (at $z = 0$), tanh's never larger than 1, and ReLU's is exactly 1 wherever the
# unit is active and exactly 0 wherever it is not.

# %%
slopes = {}
for name in ("sigmoid", "tanh", "relu"):
    _, derivative = get_activation(name)
    slopes[name] = derivative(z_line).max().item()
assert abs(slopes["sigmoid"] - 0.25) < 1e-6
assert abs(slopes["tanh"] - 1.0) < 1e-6
assert slopes["relu"] == 1.0

# %% [markdown]
# ## Questions
#
# **How can $\varphi(b + \sum x_i w_i)$ be written without the bias?** By treating the
# bias as the weight of an input that is always 1. The first code cell printed the
# augmented inputs (a column of ones in front) and asserted that both forms, and
# `nn.Linear`, give the same outputs.
#
# **Why do we need an activation function at all?** The notes answer with the range
# of the heatmaps. The deeper reason: without one, a stack of layers is still a single
# linear map, however deep. Two linear layers in a row equal one linear layer whose
# weight is the product of their weights and whose bias is computed from both; the cell
# below builds that single layer and checks that it reproduces the stack exactly.

# %%
torch.manual_seed(0)  # only for this illustration's random layers
first, second = nn.Linear(2, 5), nn.Linear(5, 1)
merged = nn.Linear(2, 1)
with torch.no_grad():
    merged.weight.copy_(second.weight @ first.weight)
    merged.bias.copy_(second.weight @ first.bias + second.bias)
    two_layers = second(first(points))
    one_layer = merged(points)
# Equal up to float32 rounding (the two compute the sums in another order, so
# the last digits differ, and differ from CPU to CPU):
same = torch.allclose(two_layers, one_layer, rtol=1e-5, atol=1e-6)
print("two linear layers and one merged layer agree:", same)
assert same

# %% [markdown]
# So depth buys nothing without a non-linear activation between the layers; with one,
# the network can bend its decision boundary (page 10 uses exactly this).
#
# **Which activation goes where?** The notes' rule of thumb is sound: a sigmoid at
# the output when the answer is a probability (its range is $(0, 1)$), ReLU (or tanh)
# inside the network. The derivative plot shows why ReLU inside: its slope is 1 where it
# is active, while the sigmoid's is at most ¼, and backpropagation multiplies one such
# factor per layer (page 8 measures what that does to deep sigmoid stacks).
#
# ## Try it
#
# **Exercise 1.** tanh is a sigmoid in disguise: $\tanh(z) = 2\sigma(2z) - 1$. Check it
# numerically on `z_line` with `sigmoid`.

# %% tags=["solution"]
lhs = torch.tanh(z_line)
rhs = 2 * sigmoid(2 * z_line) - 1
print("largest difference:", (lhs - rhs).abs().max().item())
assert torch.allclose(lhs, rhs, atol=1e-6)

# %% [markdown]
# **Exercise 2.** Change the neuron to $z = 1 - 2x_1 + x_2$ *scaled by 10*
# (bias 10, weights $(-20, 10)$). Where is its output ½, and how does the band where
# the output changes from 0.1 to 0.9 compare with the original neuron's?

# %% tags=["solution"]
y_steep = neuron_forward(points, 10 * weights, 10 * bias).reshape(x1.shape)
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
# activations of the table, by hand (for the sigmoid, $e^2 \approx 7.39$ is enough).
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

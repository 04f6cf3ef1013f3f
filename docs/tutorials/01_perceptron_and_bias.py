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
# # 1. The perceptron and the bias

# %% [markdown] tags=["header"]
# **Lecture 40** of the course ([the notes' passage](../../notes/#lecture-40)). The
# course follows one learner's notes on the lectures, [the notes](../../notes/),
# errors and all: each page says where they are right and where wrong. The notes
# build a linear unit in PyTorch, give a rule for when a model is linear, and draw
# two pairs of clusters to show why a unit needs a bias; what a non-linear model does
# without one stays open.
#
# After this page you can:
#
# - draw a perceptron and find its decision boundary from its weights and bias;
# - say what makes a function linear, and why the notes' rule is wrong;
# - tell when a bias is needed, and what a bias-free ReLU network can draw;
# - judge when centring the data can replace the bias.

# %% [markdown]
# ## The perceptron
#
# The simplest neural network is a single unit, the
# [perceptron](../../glossary/#perceptron). It takes $d$ numbers, its **inputs**
# $x_1, \dots, x_d$ (the features of one data point), multiplies each by its own
# **weight** $w_i$, adds up the products and one more number, the **bias** $b$, and
# passes the sum $z$ through an **activation function** that gives the output. The
# weights and the bias are the unit's **parameters**: the numbers training adjusts.
# Figure 1 draws a perceptron with two inputs, as on every data set of this page.

# %% alt="Diagram of a perceptron with two inputs. On the left stand the constant input 1 and, below it, the inputs x₁ and x₂; arrows labelled b, w₁ and w₂ lead from them to a circle marked Σ, the weighted sum. An arrow labelled z leads from the sum to a box holding the activation σ, and an arrow from the box to the output ŷ on the right."
import matplotlib.pyplot as plt
import torch
from matplotlib.patches import Patch

from annlab.data import gaussian_clusters
from annlab.metrics import accuracy
from annlab.models import mlp, perceptron
from annlab.plots.colors import CLASS_COLORS
from annlab.plots.diagrams import draw_perceptron
from annlab.plots.surfaces import evaluate_on_grid, plot_decision_boundary
from annlab.seeding import as_generator
from annlab.training import predict, train

fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
draw_perceptron(ax=ax, n_inputs=2, bias=True, activation="σ")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** A perceptron with two inputs: each input is multiplied by the weight
# on its arrow, the bias $b$ is drawn as the weight of a constant input 1, the sum
# $\Sigma$ gives $z$, and the activation (here the sigmoid σ) turns $z$ into the
# output $\hat y$.

# %% [markdown]
# In symbols, the unit computes
#
# $$
# z = b + \sum_{i=1}^{d} w_i x_i = w^{\mathsf T} x + b .
# $$
#
# The short form $w^{\mathsf T}x$ is the same sum: the
# [transpose](../../glossary/#transpose) $w^{\mathsf T}$ lays the column $w$ out as a
# row, and a row times a column is the sum of the products of matching entries. The
# value $z$, before any activation, is called the **logit**. Three activations appear
# on this page:
#
# - the **sigmoid**, $\sigma(z) = 1 / (1 + e^{-z})$, which squeezes any $z$ into the
#   interval $(0, 1)$, read as the probability of class 1. It is increasing and
#   $\sigma(0) = \tfrac12$, so $\sigma(z) > \tfrac12$ exactly when $z > 0$;
# - the step of the original perceptron: class 1 when $z > 0$, class 0 otherwise;
# - the [ReLU](../../glossary/#relu), $\max(0, z)$, inside the networks of the
#   cones section below.
#
# With the sigmoid or the step, the unit says class 1 on one side of the set where
# $z = 0$, its **decision boundary**, and class 0 on the other. With two inputs,
# $w_1 x_1 + w_2 x_2 + b = 0$ solves (when $w_2 \neq 0$) to
#
# $$
# x_2 = -\frac{w_1}{w_2}\, x_1 - \frac{b}{w_2},
# $$
#
# a straight line of slope $-w_1 / w_2$ that crosses the $x_2$ axis at $-b / w_2$. In
# three dimensions it is a plane, beyond that a hyperplane. If $b = 0$, the origin
# satisfies $z = 0$ whatever the weights: **without a bias the boundary passes through
# the origin**, and the bias is what moves it away.
#
# The course's library, `annlab`, builds this unit with its helper `perceptron`, a
# wrapper around PyTorch's `nn.Sequential(nn.Linear(2, 1))`. Printed, it is the layer
# inside the [notes'](../../notes/#lecture-40) `LinearANN` (which has three inputs):
# `in_features=2` inputs, `out_features=1` unit, and a bias. The
# model returns the logit $z$; the loss of page 4 applies the sigmoid itself. Its
# `weight` is a **tensor**, PyTorch's table of numbers, of shape (1, 2): one row per
# unit, one column per input. Models take a batch of points, one point per row, and
# return one row per point.
# The cell computes $z$ for one point by hand and with the model.

# %%
model = perceptron(2, seed=0)
print(model)
# model[0] is the Linear layer; .detach() takes the numbers without the record
# PyTorch keeps for training (page 5); [0] takes the first (only) row
w = model[0].weight.detach()[0]
b = model[0].bias.detach()[0]
print(f"weights w = ({w[0]:.6f}, {w[1]:.6f}), bias b = {b:.6f}")

# a batch of one point: one row, two columns
point = torch.tensor([[2.0, 1.0]])
z_by_hand = w[0] * 2.0 + w[1] * 1.0 + b
# the output has one row per point, one column per unit: take row 0, column 0
z_by_model = predict(model, point)[0, 0]
print(f"z at (2, 1): by hand {z_by_hand:.4f}, by the model {z_by_model:.4f}")

# %% tags=["checks"]
assert torch.allclose(z_by_hand, z_by_model, atol=1e-6)

# %% [markdown]
# ## What makes a function linear
#
# A function $f$ of the inputs is *linear* when it is
#
# $$
# f(x + y) = f(x) + f(y) \quad \text{(additive)}, \qquad
# f(a\,x) = a\,f(x) \text{ for every number } a \quad \text{(homogeneous)}.
# $$
#
# The weighted sum $f(x) = w^{\mathsf T}x$ has both properties: each term does, since
# $w_i (x_i + y_i) = w_i x_i + w_i y_i$ and $w_i (a x_i) = a\, w_i x_i$, and sums keep
# them. The [notes](../../notes/#lecture-40) say instead: "Model is considered
# Linear, if the operation it is performing is only addition or multiplication".
# That is wrong:
# $f(x) = x_1 x_2$ is one multiplication, yet $f(2x) = 2x_1 \cdot 2x_2 = 4 f(x)$.
# Inputs times constants (the weights) keep a model linear; inputs times inputs do
# not. Two finer points:
#
# - with a bias, $w^{\mathsf T}x + b$ is **affine**: a linear function plus a constant.
#   It fails $f(0) = 0$, so it is not linear in the strict sense, but its boundary is
#   still a line, and machine learning calls such models linear;
# - a sigmoid after the unit makes the *output* non-linear, yet
#   $\sigma(z) > \tfrac12$ exactly when $z > 0$, so the *decision boundary* is the
#   same straight line. "Linear classifier" refers to the boundary. The
#   [notes'](../../notes/#lecture-40) "Non-Linear Model" `NonLinearANN`,
#   `nn.Linear(3, 1)` then `nn.Sigmoid()`, is such a unit: a linear classifier, its
#   boundary a plane.
#
# The cell tests additivity and homogeneity on 1000 pairs of random points, drawn with
# a generator fixed by a [seed](../../glossary/#seed) (`as_generator`), so every run
# draws the same points, and with $a = 3$.

# %%
generator = as_generator(0)
# 1000 rows of 2 numbers, each a normal draw of mean 0 and standard deviation 1
x = torch.randn(1000, 2, generator=generator)
y = torch.randn(1000, 2, generator=generator)
a = 3.0


def is_additive(f):
    return torch.allclose(f(x + y), f(x) + f(y), atol=1e-5)


def is_homogeneous(f):
    return torch.allclose(f(a * x), a * f(x), atol=1e-5)


candidates = {
    "3 x1 - 2 x2": lambda p: 3 * p[:, 0] - 2 * p[:, 1],
    "x1 * x2": lambda p: p[:, 0] * p[:, 1],
    "3 x1 - 2 x2 + 1": lambda p: 3 * p[:, 0] - 2 * p[:, 1] + 1,
    "sigmoid(3 x1 - 2 x2 + 1)": lambda p: torch.sigmoid(
        3 * p[:, 0] - 2 * p[:, 1] + 1
    ),
}
linear = {}
print(f"{'f(x)':26s} additive  homogeneous")
for name, f in candidates.items():
    linear[name] = is_additive(f) and is_homogeneous(f)
    print(f"{name:26s} {is_additive(f)!s:9s} {is_homogeneous(f)!s}")

# %% tags=["checks"]
assert linear == {
    "3 x1 - 2 x2": True,
    "x1 * x2": False,
    "3 x1 - 2 x2 + 1": False,
    "sigmoid(3 x1 - 2 x2 + 1)": False,
}

# %% [markdown]
# Only the weighted sum without a constant passes both tests; the sigmoid's class-1
# region is still exactly one side of a line
# ([Going deeper](#the-sigmoids-boundary-checked) counts it on the same points).

# %% [markdown]
# ## Two data sets, with and without a bias
#
# The [notes'](../../notes/#lecture-40) two pictures, drawn with `gaussian_clusters`
# and a seed: 100 points of each class around two centres, each
# coordinate off its centre by a normal draw of spread (standard deviation) 1.
#
# - **Clusters at (3, 8) and (8, 3).** They lie on either side of the diagonal
#   $x_2 = x_1$, a line through the origin: no bias needed.
# - **Clusters at (1, 1) and (6, 6).** Both centres lie on the *same* ray from the
#   origin, so no line through the origin puts them on opposite sides.
#
# On each, we train a `perceptron` with and without bias, using `train`, and measure
# its `accuracy`: the share of training points on the correct side of the boundary
# (class 1 when $z > 0$, computed with `predict`). `train` adjusts $w$ and $b$ so that
# points move to their class's side of the line; pages 4 to 6 open this black box: its
# loss ([binary cross-entropy](../../glossary/#binary-cross-entropy) on the logit),
# its gradients and its optimizer, Adam.
# Each run lasts 100 **epochs**; an [epoch](../../glossary/#epoch) is one pass over
# all the training points (here one update computed on all of them). The
# `learning_rate` sets how far each update moves the weights
# ([learning rate](../../glossary/#learning-rate); page 9 studies it).

# %%
data_sets = {
    "clusters at (3, 8) and (8, 3)": gaussian_clusters(
        ((3, 8), (8, 3)), n_per_cluster=100, spread=1.0, seed=0
    ),
    "clusters at (1, 1) and (6, 6)": gaussian_clusters(
        ((1, 1), (6, 6)), n_per_cluster=100, spread=1.0, seed=0
    ),
}


def fit_perceptron(points, labels, bias):
    model = perceptron(2, bias=bias, seed=0)
    train(
        model,
        points,
        labels,
        epochs=100,
        loss="bce_with_logits",
        learning_rate=0.1,
        optimizer="adam",
    )
    return model


fits, mistakes = {}, {}
for data_name, (points, labels) in data_sets.items():
    for bias in (True, False):
        model = fit_perceptron(points, labels, bias)
        score = accuracy(predict(model, points), labels, threshold=0.0)
        # > 0 gives True or False per point, .float() turns them into 1.0
        # or 0.0, and != compares with the labels: True where it is wrong
        wrong = (predict(model, points) > 0).float() != labels
        fits[data_name, bias] = (model, score)
        # wrong[labels == k] keeps the entries where the label is k (a mask);
        # .sum() counts the True among them
        mistakes[data_name, bias] = [
            int(wrong[labels == k].sum()) for k in (0, 1)
        ]
        print(
            f"{data_name}, bias={bias!s:5s}: accuracy {score:.1%},"
            f" wrong: {mistakes[data_name, bias][0]} of class 0,"
            f" {mistakes[data_name, bias][1]} of class 1"
        )
separable, offset = data_sets
wrong_0, wrong_1 = mistakes[offset, False]

# class-0 points of the (1, 1) cloud in the four quadrants around the origin
offset_points, offset_labels = data_sets[offset]
# labels[:, 0] is column 0 of the (200, 1) label table; the mask keeps
# the rows of class 0. [:, 0] and [:, 1] are the x1 and x2 columns;
# & is "and", ~ is "not"
class_0 = offset_points[offset_labels[:, 0] == 0]
right, up = class_0[:, 0] > 0, class_0[:, 1] > 0
quadrants = [
    int((right & up).sum()),
    int((~right & up).sum()),
    int((~right & ~up).sum()),
    int((right & ~up).sum()),
]
print(
    "class-0 points (upper right, upper left, lower left, lower right"
    f" of the origin): {quadrants}"
)

# %% alt="Four panels, two data sets by two models, the origin marked by a black plus. Top row, clusters at (3, 8) and (8, 3): with and without bias the learned line runs between the two clusters and no point is crossed out. Bottom row, clusters at (1, 1) and (6, 6): with a bias the line crosses the gap between the clusters and no point is crossed out; without a bias the line must pass through the origin, which lies at the lower-left edge of the class-0 cloud with class-0 points on all sides, and the line training found cuts that cloud: {{ wrong_0 }} of its 100 points are crossed out, while {{ wrong_1 }} of the 100 class-1 points in the upper cloud are."
fig, axes = plt.subplots(2, 2, figsize=(10, 9.5), layout="constrained")
for row, data_name in zip(axes, data_sets, strict=True):
    points, labels = data_sets[data_name]
    for ax, bias in zip(row, (True, False), strict=True):
        model, score = fits[data_name, bias]
        plot_decision_boundary(
            model, points, labels, ax=ax, feature_names=("x₁", "x₂")
        )
        ax.plot(0, 0, "k+", markersize=14, markeredgewidth=2, zorder=5)
        ax.annotate(
            "origin",
            (0, 0),
            xytext=(0.5, 0.05),
            textcoords="axes fraction",
            arrowprops={"arrowstyle": "->"},
            bbox={"boxstyle": "round", "fc": "white"},
        )
        with_or_not = "with bias" if bias else "no bias"
        ax.set_title(f"{data_name}\n{with_or_not}: accuracy {score:.1%}")
        ax.set_aspect("equal")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The learned boundaries (black lines) on the two data sets, with a bias
# (left) and without (right); misclassified points are crossed out. Without a bias on
# the (1, 1) / (6, 6) clusters, the line training found passes through the origin
# and leaves {{ wrong_0 }} of the 100 class-0 points on the wrong side.

# %% [markdown]
# On the first data set both perceptrons are perfect: a line through the origin
# separates the clusters. On the second, only the perceptron with a bias separates
# them ({{ fits[offset, True][1]:.1% }}). The one without is held to lines through the
# origin, which sits at the lower-left edge of the class-0 cloud, with class-0 points
# on all sides ({{ quadrants[0] }}, {{ quadrants[1] }}, {{ quadrants[2] }} and
# {{ quadrants[3] }} in the four quadrants around it, from upper right anticlockwise):
# all {{ wrong_0 + wrong_1 }} of its mistakes are class-0 points, and the line training
# found scores {{ fits[offset, False][1]:.1% }}.
#
# Is that the best line through the origin? Scaling $w$ by $a > 0$ keeps the sign of
# $z$, so only the direction of $w$ matters: the cell tries one every 0.1°. `@` is the
# [matrix product](../../glossary/#matrix-product): each point (a row) times each
# direction (a column) gives a logit.

# %%
# w = (cos θ, sin θ) for θ = 0°, 0.1°, ..., 359.9°
radians = torch.deg2rad(torch.arange(3600) / 10)
directions = torch.stack([torch.cos(radians), torch.sin(radians)], dim=1)
z_all = offset_points @ directions.T  # 200 points by 3600 directions
# 1.0 where a direction puts a point on its class's side; mean down each column
scores_all = ((z_all > 0).float() == offset_labels).float().mean(dim=0)
best_through_origin = scores_all.max().item()
print(f"best line through the origin: accuracy {best_through_origin:.1%}")

# %% [markdown]
# The best scores {{ best_through_origin:.1% }}, better than what training found, far
# from the {{ fits[offset, True][1]:.0% }} of a line with a bias. Training lowers a
# loss, not the count of mistakes, and that loss prefers the
# {{ fits[offset, False][1]:.1% }} line
# ([Going deeper](#why-training-stops-short-of-the-best-line) shows why).

# %% tags=["checks"]
assert fits[separable, True][1] == fits[separable, False][1] == 1.0
assert fits[offset, True][1] == 1.0
assert wrong_0 > 50 and wrong_1 == 0
assert min(quadrants) > 0  # class-0 points on all sides of the origin
assert fits[offset, False][1] < best_through_origin < 0.8

# %% [markdown]
# ## Without biases, a ReLU network draws cones
#
# The [notes](../../notes/#lecture-40) leave open what a *non-linear* model does
# without biases. Take a network:
# layers of units, each unit a perceptron fed by all outputs of the layer before, the
# activation [ReLU](../../glossary/#relu), $\operatorname{ReLU}(z) = \max(0, z)$,
# after every layer but the last, and no bias anywhere. For a number $a > 0$:
#
# 1. $\operatorname{ReLU}(a z) = a \operatorname{ReLU}(z)$: if $z > 0$ both sides are
#    $a z$, otherwise both are 0.
# 2. A layer without bias computes $h = \operatorname{ReLU}(W x)$, with $W$ its
#    weights (one row per unit). Scaling the input scales the output:
#    $\operatorname{ReLU}(W (a x)) = \operatorname{ReLU}(a\, W x) = a\, h$.
# 3. Each layer hands $a h$ to the next, which by step 2 hands on $a$ times its own
#    output, and the last layer's weighted sum keeps the factor. So the network is
#    **positively homogeneous**:
#
# $$
# f(a\,x) = a\,f(x) \quad \text{for every } a > 0.
# $$
#
# Scaling by $a > 0$ keeps the sign of $f$: if $x$ is in class 1, so is every point
# $a x$ on the ray from the origin through $x$. Each class region is a union of such
# rays, a **cone**, and the boundary is made of straight rays from the origin: it can
# only turn at the origin, never curve or move off it.
#
# `mlp` builds such a network from its layer sizes: `[2, 16, 16, 1]` is 2 inputs, two
# *hidden* layers (the layers between the inputs and the output) of 16 ReLU units and
# one output; printed, it is an `nn.Sequential` of
# `Linear` layers with `ReLU` between them, like the notes' models. The cell checks
# homogeneity at three scales, then trains the network on the (1, 1) / (6, 6) data.

# %%
points, labels = data_sets[offset]
cone_net = mlp([2, 16, 16, 1], hidden_activation="relu", bias=False, seed=0)
print(cone_net)

for a in (0.1, 2.0, 50.0):
    same = torch.allclose(
        predict(cone_net, a * points),
        a * predict(cone_net, points),
        rtol=1e-5,
        atol=1e-4,
    )
    print(f"a = {a:5}: f(a x) = a f(x) at every point: {same}")

train(
    cone_net,
    points,
    labels,
    epochs=200,
    loss="bce_with_logits",
    learning_rate=0.02,
    optimizer="adam",
)
cone_score = accuracy(predict(cone_net, points), labels, threshold=0.0)
print(f"bias-free ReLU network: accuracy {cone_score:.1%}")

# %% tags=["checks"]
# The tolerances cover float32 rounding (Going deeper explains them).
for a in (0.1, 2.0, 50.0):
    assert torch.allclose(
        predict(cone_net, a * points),
        a * predict(cone_net, points),
        rtol=1e-5,
        atol=1e-4,
    )
# the trained network gives a point and its scaled copies the same class
for a in (0.1, 10.0):
    same_class = (predict(cone_net, a * points) > 0) == (
        predict(cone_net, points) > 0
    )
    assert same_class.all()

# %% alt="Two panels of the bias-free ReLU network trained on the clusters at (1, 1) and (6, 6). Left, the data: the decision boundary is two straight rays meeting at the origin, enclosing a narrow wedge around the diagonal in which the network says class 1; the upper cluster sits in the wedge, and so do the lower-left points that lie along the diagonal, which are crossed out. Right, the predicted classes over a square {{ zoom:.1f }} times wider than the left panel, whose square is dashed near the centre: the same wedge, bounded by the same two straight rays from the origin, continues outwards."
fig, (ax_data, ax_far) = plt.subplots(
    1, 2, figsize=(11, 4.8), layout="constrained"
)
plot_decision_boundary(
    cone_net, points, labels, ax=ax_data, feature_names=("x₁", "x₂")
)
ax_data.plot(0, 0, "k+", markersize=14, markeredgewidth=2, zorder=5)
ax_data.annotate(
    "origin",
    (0, 0),
    xytext=(0.5, 0.05),
    textcoords="axes fraction",
    arrowprops={"arrowstyle": "->"},
    bbox={"boxstyle": "round", "fc": "white"},
)
ax_data.set_title(f"bias-free ReLU network: accuracy {cone_score:.1%}")
ax_data.set_aspect("equal")

# the left panel's square, and a square around the origin 200 wide
(x_low, x_high), (y_low, y_high) = ax_data.get_xlim(), ax_data.get_ylim()
zoom = 200 / (x_high - x_low)
x1, x2, logit = evaluate_on_grid(cone_net, (-100, 100), (-100, 100), 301)
ax_far.contourf(
    x1,
    x2,
    (logit > 0).float(),
    levels=[-0.5, 0.5, 1.5],
    colors=CLASS_COLORS,
    alpha=0.3,
)
ax_far.contour(x1, x2, logit, levels=[0], colors="black")
ax_far.add_patch(
    plt.Rectangle(
        (x_low, y_low),
        x_high - x_low,
        y_high - y_low,
        fill=False,
        linestyle="--",
    )
)
ax_far.plot(0, 0, "k+", markersize=14, markeredgewidth=2, zorder=5)
ax_far.legend(
    handles=[
        Patch(color=CLASS_COLORS[0], alpha=0.3, label="predicted class 0"),
        Patch(color=CLASS_COLORS[1], alpha=0.3, label="predicted class 1"),
        plt.Line2D([], [], color="black", label="decision boundary"),
    ],
    fontsize="small",
    loc="lower right",
)
ax_far.set(
    xlabel="x₁",
    ylabel="x₂",
    aspect="equal",
    title=f"the same network, {zoom:.1f} times wider (dashed: left panel)",
)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** The bias-free ReLU network's classes near the data (left) and on a
# square {{ zoom:.1f }} times wider (right, shaded blue where the network says class 0
# and orange where it says class 1): the boundary is two rays from the origin, the same
# at both scales.

# %% [markdown]
# In this run the network beats the bias-free perceptron ({{ cone_score:.1% }}
# against {{ fits[offset, False][1]:.1% }}): its cone can be a narrow wedge around the
# diagonal. But a cone gives a whole ray one class, and seen from the origin the two
# clouds overlap in direction, so no single wedge holds class 1 without class-0
# points ([Going deeper](#why-no-single-wedge-separates-the-two-clouds) measures it).
# Homogeneity comes from ReLU: a bias-free network of sigmoid units is not homogeneous
# ([Going deeper](#a-sigmoid-network-is-not-homogeneous)).

# %% [markdown]
# ## Mean-centring instead of a bias, and when it fails
#
# The [notes](../../notes/#lecture-40) mention an alternative: subtract the mean of
# the data from every point and use a boundary through the new origin, that is,
# through the **mean of the data**. That works when the best boundary passes near the
# mean, as for two clouds of the same size, not when one class is much more common.
#
# We compare the perceptron with bias and the bias-free perceptron on centred data, on
# the (1, 1) / (6, 6) set and on an unbalanced one that keeps only the first 10 points
# of class 1, and measure how far the mean lies from the boundary the perceptron
# *with* bias learned. The distance of a point $p$ from the line
# $w^{\mathsf T}x + b = 0$ is $|w^{\mathsf T}p + b| \,/\, \lVert w \rVert$
# ([Going deeper](#the-distance-from-a-point-to-a-line) derives it). In code,
# `torch.cat` joins tensors end to end.


# %%
def distance_to_boundary(model, point):
    weight, bias = model[0].weight.detach()[0], model[0].bias.detach()
    return ((weight @ point + bias).abs() / weight.norm()).item()


centring = {}
for n_class_1 in (100, 10):
    # row numbers: all 100 of class 0, then the first n_class_1 of class 1
    keep = torch.cat([torch.arange(100), 100 + torch.arange(n_class_1)])
    sub_points, sub_labels = points[keep], labels[keep]
    mean = sub_points.mean(dim=0)
    with_bias = fit_perceptron(sub_points, sub_labels, bias=True)
    centred = fit_perceptron(sub_points - mean, sub_labels, bias=False)
    centring[n_class_1] = {
        "data": (sub_points, sub_labels),
        "mean": mean,
        "with bias": with_bias,
        "centred": centred,
        "acc with bias": accuracy(
            predict(with_bias, sub_points), sub_labels, threshold=0.0
        ),
        "acc centred": accuracy(
            predict(centred, sub_points - mean), sub_labels, threshold=0.0
        ),
        "majority": 1 - sub_labels.mean().item(),
        "distance": distance_to_boundary(with_bias, mean),
    }
    result = centring[n_class_1]
    print(
        f"100 vs {n_class_1} points: mean at {mean.numpy().round(2)}, "
        f"{result['distance']:.2f} from the bias's boundary"
    )
    print(
        f"  with bias {result['acc with bias']:.1%}, centred, no bias "
        f"{result['acc centred']:.1%}, always class 0 "
        f"{result['majority']:.1%}"
    )
balanced, unbalanced = centring[100], centring[10]
balanced_distance = balanced["distance"]
unbalanced_distance = unbalanced["distance"]
balanced_centred = balanced["acc centred"]
unbalanced_centred = unbalanced["acc centred"]
majority = unbalanced["majority"]

# %% alt="Two panels of the unbalanced data set, 100 points around (1, 1) and 10 around (6, 6), with the data mean marked by a star inside the big lower-left cloud. Left, the perceptron with a bias: its line passes between the clouds and nothing is misclassified. Right, the bias-free perceptron trained on centred data: its line must pass through the mean, so it cuts through the big cloud and many of its points are crossed out."
sub_points, sub_labels = unbalanced["data"]
mean = unbalanced["mean"]
fig, axes = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
panels = [
    (unbalanced["with bias"], "with bias", unbalanced["acc with bias"]),
    (
        lambda p: unbalanced["centred"](p - mean),
        "centred, no bias",
        unbalanced["acc centred"],
    ),
]
for ax, (model, name, score) in zip(axes, panels, strict=True):
    plot_decision_boundary(
        model, sub_points, sub_labels, ax=ax, feature_names=("x₁", "x₂")
    )
    ax.plot(
        *mean, "*", color="black", markersize=16, label="data mean", zorder=5
    )
    ax.legend(fontsize="small")
    ax.set(
        title=f"100 vs 10 points, {name}: accuracy {score:.1%}", aspect="equal"
    )
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 4.** 100 points around (1, 1) and 10 around (6, 6): with a bias (left) the
# line passes between the clouds; centred and without a bias (right) it must pass
# through the data's mean (the star), inside the big cloud.

# %% [markdown]
# With balanced classes the mean lies {{ balanced_distance:.2f }} units from the
# learned boundary, in the gap between the clouds, and the centred perceptron scores
# {{ balanced_centred:.1% }}, like the one with a bias. With ten times more
# points in one class, the mean moves into the big cloud,
# {{ unbalanced_distance:.2f }} units from the line the bias found, and the centred
# perceptron scores {{ unbalanced_centred:.1% }}, worse than the trivial rule
# "always class 0" ({{ majority:.1% }}). Centring is a fixed guess of
# where the boundary should pass; a bias is a parameter that training moves to where
# it belongs.

# %% tags=["checks"]
assert balanced["acc centred"] == balanced["acc with bias"] == 1.0
assert balanced_distance < 1.0
assert unbalanced_distance > 3.0
assert unbalanced["acc with bias"] == 1.0
assert unbalanced["acc centred"] < unbalanced["majority"]

# %% [markdown]
# ## Questions
#
# **Why do we need a bias?** Without it the boundary passes through the origin: enough
# for the (3, 8) / (8, 3) clusters ({{ fits[separable, False][1]:.0% }}), fatal for
# the (1, 1) / (6, 6) clusters (the best line through the origin scores
# {{ best_through_origin:.1% }}, training found {{ fits[offset, False][1]:.1% }},
# against {{ fits[offset, True][1]:.0% }} with a bias).
#
# **Non-linear models without biases?** (The [notes](../../notes/#lecture-40): "I am
# not exactly clear on the scenario of non-linear equation".) A bias-free ReLU network
# is positively homogeneous: its boundary is made of straight rays from the origin
# (figure 3). With sigmoid hidden units the argument breaks (Going deeper).
#
# **Can mean-centring replace the bias?** Only when the best boundary passes near the
# data's mean, not when one class dominates (figure 4). A constant input $x_0 = 1$,
# whose weight *is* the bias, always works (exercise 1).
#
# **"Majority math that happens in any ANN is $\sigma(X^{T}W)$"?** (ANN: artificial
# neural network; $X$ the inputs, $W$ the weights.) Only if $X$ holds a column of
# ones (the input $x_0 = 1$ of exercise 1, whose weight is the bias); otherwise it is
# the bias-free unit. And with one point per row of $X$, as `predict` takes them, the
# product is $XW$ ($w^{\mathsf T}x$ for a single column $x$), not $X^{\mathsf T}W$.
#
# **"Model is considered Linear, if the operation it is performing is only addition or
# multiplication"?** No: $x_1 x_2$ is only a multiplication and is not linear; linear
# means additive and homogeneous. "If the Model is performing anything else, then it
# is Non-Linear Model" fails too: the notes' `NonLinearANN` is a linear classifier.
# "The only component that can be non Linear is activation function" holds for this
# course's networks, not for a layer multiplying two inputs.
#
# **"Linear models only solve linearly separable problems", "We should not use Linear
# Models for Non Linear Problems"?** A linear model's boundary stays straight (figure
# 2), so it cannot follow a curved best boundary. But a line can be the best boundary
# of overlapping clouds that no line separates (Going deeper), and the (1, 1) / (6, 6)
# clusters defeat lines through the origin, not lines: check the bias before calling
# a problem non-linear.
#
# **"Similarly, we should not use Non Linear Models for Linear Problems"?** Too
# strong: a non-linear model contains the linear ones. Its costs are more parameters,
# more computation and more freedom to fit noise; Going deeper measures the last.
#
# ## Going deeper
#
# Asides and deeper measurements, one per fold; the last compares a flexible model with
# the perceptron over many training sets.

# %% [markdown] tags=["deeper"]
# ### Why training stops short of the best line
#
# Training lowers the mean binary cross-entropy (page 4 derives it): a class-0 point
# with logit $z$ costs $\ln(1 + e^{z})$, a class-1 point $\ln(1 + e^{-z})$. A point
# costs $\ln 2 \approx 0.69$ at $z = 0$, more the further it lies on the wrong side,
# and less, towards 0, the further on its own side. The cell compares the line
# training found with the best line of the sweep, given the length of $w$ that
# lowers its loss most (the sweep only fixed a direction), and runs training ten times
# longer.

# %% tags=["deeper"]
from torch.nn.functional import binary_cross_entropy_with_logits as bce

best_direction = directions[scores_all.argmax()]
# lengths of w from 0.01 to 100, evenly spaced on a log scale
lengths = torch.logspace(-2, 2, 401)
losses = torch.stack(
    [
        bce(length * (offset_points @ best_direction)[:, None], offset_labels)
        for length in lengths
    ]
)
best_length = lengths[losses.argmin()]
is_class_0 = offset_labels[:, 0] == 0
lines = {
    "training found": predict(fits[offset, False][0], offset_points),
    "best accuracy": best_length * (offset_points @ best_direction)[:, None],
}
line_losses = {}
for name, z_line in lines.items():
    per_point = bce(z_line, offset_labels, reduction="none")[:, 0]
    line_losses[name] = [
        per_point.mean().item(),
        per_point[is_class_0].mean().item(),
        per_point[~is_class_0].mean().item(),
    ]
    print(
        f"{name:14s}: mean loss {line_losses[name][0]:.3f}, class 0"
        f" {line_losses[name][1]:.3f}, class 1 {line_losses[name][2]:.3f}"
    )
class_0_z = lines["training found"][is_class_0].abs().median().item()
print(
    f"median |z| of the class-0 points, line training found: {class_0_z:.2f}"
)
longer = perceptron(2, bias=False, seed=0)
train(
    longer,
    offset_points,
    offset_labels,
    epochs=1000,
    loss="bce_with_logits",
    learning_rate=0.1,
    optimizer="adam",
)
longer_score = accuracy(
    predict(longer, offset_points), offset_labels, threshold=0.0
)
print(f"1000 epochs: accuracy {longer_score:.1%}")

# %% tags=["deeper", "checks"]
found, best = line_losses["training found"], line_losses["best accuracy"]
assert found[0] < best[0]  # the loss prefers the line training found
assert best[2] - found[2] > 2 * (found[1] - best[1])
assert longer_score == fits[offset, False][1]

# %% [markdown] tags=["deeper"]
# The line training found has the lower loss, {{ found[0]:.3f }} against
# {{ best[0]:.3f }}. The class-0 points lie near the origin, where every line through
# it gives a logit near 0 (median $|z|$ {{ class_0_z:.2f }}), so each costs close to
# $\ln 2$ whichever side it is on: the best-accuracy line lowers their mean loss only
# from {{ found[1]:.3f }} to {{ best[1]:.3f }}. The class-1 points lie far out, where
# a line along their cloud makes them sure; turning the line away from it to put
# class-0 points right raises their mean loss from {{ found[2]:.3f }} to
# {{ best[2]:.3f }}. Ten times more epochs do not change this: after 1000 the accuracy
# is still {{ longer_score:.1% }}. Training lowers the loss, and accuracy is not the
# loss.

# %% [markdown] tags=["deeper"]
# ### Why no single wedge separates the two clouds
#
# A cone gives every point of a ray from the origin the same class, so what matters
# is each point's direction: its angle from the $x_1$ axis, which `torch.atan2`
# gives (converted here to degrees).

# %% tags=["deeper"]
angle = torch.rad2deg(torch.atan2(points[:, 1], points[:, 0]))
angle_0, angle_1 = angle[labels[:, 0] == 0], angle[labels[:, 0] == 1]
wedge_low, wedge_high = angle_1.min().item(), angle_1.max().item()
n_inside = int(((angle_0 >= wedge_low) & (angle_0 <= wedge_high)).sum())
# angle_0[:, None] is a column, angle_1[None, :] a row: subtracting them
# gives a table of every class-0 angle minus every class-1 angle; its
# smallest size
closest = (angle_0[:, None] - angle_1[None, :]).abs().min().item()
print(f"class 1 lies between {wedge_low:.1f} and {wedge_high:.1f} degrees")
print(f"class-0 points inside that range: {n_inside}")
print(f"closest class-0 and class-1 directions: {closest:.5f} degrees apart")

# %% tags=["deeper", "checks"]
assert n_inside > 0 and closest < 0.01

# %% [markdown] tags=["deeper"]
# Class 1 spans {{ wedge_low:.1f }}° to {{ wedge_high:.1f }}°, and {{ n_inside }}
# class-0 points lie in that range, so a single wedge holding class 1 holds them too.
# No class-0 point shares a class-1 point's exact direction, so a cone made of many
# thin wedges could separate them in principle; but some of its boundary rays would
# have to pass between directions only {{ closest:.5f }}° apart, the smallest angle
# between a class-0 and a class-1 point. Training found no such cone in this run, and
# rays fitted between single points would not carry over to new points.

# %% [markdown] tags=["deeper"]
# ### The sigmoid's boundary, checked
#
# The sigmoid's output is not linear, but the points it puts in class 1, where
# $\sigma(z) > \tfrac12$, should be exactly those with $z > 0$. On the 1000 random
# points of the linearity tests, the cell counts the points where the two rules
# disagree, and evaluates the sigmoid at 11 points of the line $3x_1 - 2x_2 + 1 = 0$.

# %% tags=["deeper"]
z = candidates["3 x1 - 2 x2 + 1"](x)
probability = candidates["sigmoid(3 x1 - 2 x2 + 1)"](x)
disagree = int(((probability > 0.5) != (z > 0)).sum())
print(f"points where 'sigmoid > 1/2' and 'z > 0' disagree: {disagree}")

t = torch.linspace(-5, 5, 11)
on_the_line = torch.stack([t, (3 * t + 1) / 2], dim=1)  # 3 x1 - 2 x2 + 1 = 0
on_line_output = candidates["sigmoid(3 x1 - 2 x2 + 1)"](on_the_line)
print(
    f"sigmoid on 11 points of the line: from {on_line_output.min():.6f}"
    f" to {on_line_output.max():.6f}"
)

# %% tags=["deeper", "checks"]
assert disagree == 0
assert torch.allclose(on_line_output, torch.tensor(0.5))

# %% [markdown] tags=["deeper"]
# ### A sigmoid network is not homogeneous
#
# The cone argument needs $\operatorname{ReLU}(a z) = a \operatorname{ReLU}(z)$. The
# sigmoid has no such property: $\sigma(0) = \tfrac12$, so a hidden sigmoid unit whose
# sum is 0 still hands ½ to the next layer, a constant that layer weighs like a bias.
# A bias-free sigmoid network therefore has a built-in bias, and doubling its input
# does not double its output:

# %% tags=["deeper"]
sigmoid_net = mlp([2, 16, 1], hidden_activation="sigmoid", bias=False, seed=0)
mismatch = predict(sigmoid_net, 2 * points) - 2 * predict(sigmoid_net, points)
print(
    f"sigmoid network: largest |f(2x) - 2 f(x)| = {mismatch.abs().max():.2f}"
)

# %% tags=["deeper", "checks"]
assert mismatch.abs().max() > 0.1

# %% [markdown] tags=["deeper"]
# ### The distance from a point to a line
#
# Why is the distance of a point $p$ from the line $w^{\mathsf T}x + b = 0$ equal to
# $|w^{\mathsf T}p + b| / \lVert w \rVert$? For two points $q, r$ on the line,
# $w^{\mathsf T}q + b = w^{\mathsf T}r + b = 0$, so $w^{\mathsf T}(q - r) = 0$: $w$ is
# perpendicular to the line, and the shortest way from $p$ to it runs along $w$.
# Moving $p$ by a distance $s$ along the unit vector $w / \lVert w \rVert$ changes
# $w^{\mathsf T}p + b$ by $s\, w^{\mathsf T}w / \lVert w \rVert = s \lVert w \rVert$,
# so the line is reached after $s = |w^{\mathsf T}p + b| / \lVert w \rVert$.

# %% [markdown] tags=["deeper"]
# ### Homogeneity in float32 arithmetic
#
# The linearity tests and the network's homogeneity check compare two sides within a
# tolerance, not exactly: `torch.allclose(u, v, rtol, atol)` accepts
# $|u - v| \le \text{atol} + \text{rtol}\,|v|$ at every entry. The linearity tests use
# `atol=1e-5` (and the default `rtol=1e-5`), the network's check `rtol=1e-5` and
# `atol=1e-4`; the `atol` part matters for values near 0, where `rtol` alone would
# demand agreement to the last bit. PyTorch computes in float32, which keeps about 7
# significant digits: $a x$ is rounded, and so is every product and sum inside the
# network, so even on one machine the last digits of $f(a x)$ and $a f(x)$ can differ.
# Which digits differ depends on the order in which the CPU adds the numbers, so an
# exact comparison could say True on one machine and False on another. Scaling by a
# power of two is the exception: it only changes a float's exponent, so $2x$ is
# exact, every product and sum of the scaled network is exactly twice the unscaled
# one, and the two sides agree to the last bit, on any CPU.

# %% tags=["deeper"]
doubled_exact = torch.equal(
    predict(cone_net, 2 * points), 2 * predict(cone_net, points)
)
print(f"a = 2 (a power of two): f(2x) equals 2 f(x) exactly: {doubled_exact}")

# %% tags=["deeper", "checks"]
assert doubled_exact

# %% [markdown] tags=["deeper"]
# ### A flexible model on a linear problem
#
# Does a non-linear model pay for its flexibility on a problem a line solves? Two
# round clouds of spread 1, around (1, 1) and (3, 3), overlap, so no boundary gets
# every point right. A round cloud's points thin out with the distance from its
# centre, so a point is more likely from the cloud whose centre is nearer: the best
# boundary of *any* model is the line of points equally near both centres, the
# perpendicular bisector. Each centre is $\sqrt 2$ from it (half the distance
# $2\sqrt 2$ between the centres), and a point's distance across it is off by a normal
# draw of standard deviation 1, so the best line gets a share $\Phi(\sqrt 2)$ of
# points right, with $\Phi$ the standard normal cumulative distribution,
# $\Phi(t) = \tfrac12\bigl(1 + \operatorname{erf}(t/\sqrt 2)\bigr)$.
#
# We draw 20 small training sets of 10 points per class, each from its own seed, and
# train a perceptron and a ReLU network with two hidden layers of 32 units on each,
# 200 epochs (`train_many` trains all the runs of one model at once, as pages 7, 9
# and 10 do for their experiments). Each gets the learning rate this page used for
# its kind of model: 0.1, as for the perceptrons of figure 2, and 0.02, as for the
# network of figure 3 (which was narrower, 16 units per layer, and had no biases; this
# one has both), not tuned for this comparison. Both are then tested on the same 1000 fresh points per class.
# The *gap* is training accuracy minus fresh accuracy: how much of the fit to the
# training points does not carry over.

# %% tags=["deeper"]
import math

from annlab.many_runs.statistics import wilson_interval
from annlab.many_runs.trainer import train_many

t = math.sqrt(2)  # each centre's distance from the bisector, in spreads
best_line = 0.5 * (1 + math.erf(t / math.sqrt(2)))  # Phi(t)
print(f"the best line's expected accuracy: {best_line:.1%}")

n_sets = 20
training_sets = [
    gaussian_clusters(
        ((1, 1), (3, 3)), n_per_cluster=10, spread=1.0, seed=data_seed
    )
    for data_seed in range(n_sets)
]
train_x = torch.stack([points for points, _ in training_sets])
train_y = torch.stack([labels for _, labels in training_sets])
test_points, test_labels = gaussian_clusters(
    ((1, 1), (3, 3)), n_per_cluster=1000, spread=1.0, seed=100
)
contenders = {
    "perceptron": ([2, 1], 0.1),
    "ReLU network 2-32-32-1": ([2, 32, 32, 1], 0.02),
}
summary = {}
for name, (sizes, learning_rate) in contenders.items():
    runs = train_many(
        sizes,
        train_x,
        train_y,
        seeds=[0] * n_sets,
        learning_rates=learning_rate,
        epochs=200,
        optimizer="adam",
    )
    fit, fresh = torch.tensor(
        [
            [
                accuracy(
                    predict(runs.model(r), train_x[r]),
                    train_y[r],
                    threshold=0.0,
                ),
                accuracy(
                    predict(runs.model(r), test_points),
                    test_labels,
                    threshold=0.0,
                ),
            ]
            for r in range(n_sets)
        ]
    ).T
    gap = fit - fresh
    summary[name] = {"fresh": fresh.median().item(), "gaps": gap}
    n_parameters = sum(p.numel() for p in runs.model(0).parameters())
    print(
        f"{name:23s} {n_parameters:5d} parameters, median over {n_sets}"
        f" sets: fresh {fresh.median():.1%}, gap {100 * gap.median():.1f}"
        f" points (from {100 * gap.min():.1f} to {100 * gap.max():.1f})"
    )
network, simple = summary["ReLU network 2-32-32-1"], summary["perceptron"]
n_larger = int((network["gaps"] > simple["gaps"]).sum())
larger = wilson_interval(torch.tensor([n_larger]), runs=n_sets)
larger_share, larger_low, larger_high = (
    larger.rate.item(),
    larger.low.item(),
    larger.high.item(),
)
print(
    f"the network's gap is the larger on {n_larger} of {n_sets} sets:"
    f" {larger_share:.0%}, 95% Wilson interval"
    f" [{larger_low:.1%}, {larger_high:.1%}]"
)
network_fresh, simple_fresh = network["fresh"], simple["fresh"]
network_gap = network["gaps"].median().item()
simple_gap = simple["gaps"].median().item()

# %% [markdown] tags=["deeper"]
# The perceptron's median accuracy on fresh points is {{ simple_fresh:.1% }}, near
# the best line's {{ best_line:.1% }}; the network's is {{ network_fresh:.1% }}, so it
# does solve the linear problem too. But more of its
# training fit fails to carry over: its median gap is {{ 100 * network_gap:.1f }}
# points against {{ 100 * simple_gap:.1f }} for the perceptron, and its gap is the
# larger on {{ n_larger }} of the {{ n_sets }} training sets ({{ larger_share:.0% }};
# the 95% Wilson interval for the share over all such training sets,
# [{{ larger_low:.1% }}, {{ larger_high:.1% }}], lies above one half: page 7's
# [statistics primer](../07_slope_challenge/#a-short-statistics-primer) explains it).
# That gap, not impossibility, is the price of a flexible model on a simple problem.

# %% tags=["deeper", "checks"]
assert network_fresh > 0.8  # the non-linear model does solve the problem
assert network_gap > simple_gap  # but fits more noise
assert larger_low > 0.5  # on most training sets

# %% [markdown]
# ## Key points
#
# - A perceptron computes the logit $z = w^{\mathsf T}x + b$ and says class 1 when
#   $z > 0$; its decision boundary $z = 0$ is a line (a plane, a hyperplane).
# - Linear means additive and homogeneous: $x_1 x_2$ is "only multiplication" and not
#   linear. A sigmoid after the unit bends the output but leaves the boundary a line.
# - Without a bias the boundary passes through the origin: enough for clusters on
#   either side of such a line, not for clusters on one ray from the origin.
# - A bias-free ReLU network is positively homogeneous, $f(a x) = a f(x)$ for $a > 0$:
#   its classes are cones from the origin.
# - Centring the data puts the boundary through the data's mean, which fails when one
#   class dominates; a bias is learned.
#
# ## Try it
#
# **Exercise 1.** Give the bias-free perceptron an extra input $x_0$ that is always 1,
# as the first column of the data (figure 1 draws the bias this way), and train it on
# the (1, 1) / (6, 6) clusters. Does it separate them now? Which weight plays the
# bias? Hint: `torch.ones(n, 1)` is a column of $n$ ones; `torch.cat([a, b], dim=1)`
# sets two tensors of as many rows side by side.

# %% tags=["solution"]
# a column of ones, then the two inputs, side by side (dim=1: columns)
augmented = torch.cat([torch.ones(len(points), 1), points], dim=1)
scores, constant_weight = {}, {}
for epochs in (100, 300):
    model = perceptron(3, bias=False, seed=0)
    train(
        model,
        augmented,
        labels,
        epochs=epochs,
        loss="bce_with_logits",
        learning_rate=0.1,
        optimizer="adam",
    )
    scores[epochs] = accuracy(predict(model, augmented), labels, threshold=0.0)
    constant_weight[epochs] = model[0].weight.detach()[0, 0].item()
    print(
        f"{epochs} epochs: accuracy {scores[epochs]:.1%},"
        f" weight of x0 (the bias) {constant_weight[epochs]:.2f}"
    )

# the starting values: the x0 weight here, the bias of figure 2's perceptron
x0_start = perceptron(3, bias=False, seed=0)[0].weight[0, 0].item()
bias_start = perceptron(2, bias=True, seed=0)[0].bias[0].item()
print(f"start: weight of x0 {x0_start:.4f}, figure 2's bias {bias_start:.4f}")

# figure 2's perceptron's start: x0 weight = its bias, then its weights
twin = perceptron(3, bias=False, seed=0)
start = perceptron(2, bias=True, seed=0)[0]
with torch.no_grad():  # set weights by hand, outside training's record
    twin[0].weight.copy_(torch.cat([start.bias[:, None], start.weight], dim=1))
train(
    twin,
    augmented,
    labels,
    epochs=100,
    loss="bce_with_logits",
    learning_rate=0.1,
    optimizer="adam",
)
twin_weights = twin[0].weight.detach()[0]
figure_2 = fits[offset, True][0][0]
figure_2_weights = torch.cat([figure_2.bias, figure_2.weight[0]]).detach()
twin_score = accuracy(predict(twin, augmented), labels, threshold=0.0)
print(
    f"same start, 100 epochs: accuracy {twin_score:.1%}, weights"
    f" {twin_weights.numpy().round(4)}; figure 2's bias and weights"
    f" {figure_2_weights.numpy().round(4)}"
)

# %% tags=["solution", "checks"]
assert scores[300] == 1.0
assert scores[100] < 1.0
assert constant_weight[300] < constant_weight[100] < 0
assert torch.allclose(twin_weights, figure_2_weights, atol=1e-4)
assert twin_score == fits[offset, True][1]

# %% [markdown] tags=["solution"]
# Yes: the weight of $x_0$ multiplies 1, so it adds the same number to every $z$,
# which is exactly what a bias does. Its gradient is the bias's gradient too, so
# training treats it as a bias. In this one run, 100 epochs give
# {{ scores[100]:.1% }} (weight of $x_0$ {{ constant_weight[100]:.2f }}) and 300 give
# {{ scores[300]:.1% }} (weight {{ constant_weight[300]:.2f }}), where figure 2's
# perceptron reached {{ fits[offset, True][1]:.0% }} in 100. The gap comes from the
# starting values, not from the model: the weight of $x_0$ starts at
# {{ x0_start:.4f }}, figure 2's bias at {{ bias_start:.4f }}. Started from figure 2's
# bias and weights, the augmented perceptron ends, after 100 epochs, with the same
# numbers ({{ twin_weights[0]:.4f }} for $x_0$) and the same {{ twin_score:.0% }}.

# %% [markdown]
# **Exercise 2.** Homogeneity holds for $a > 0$. Does the bias-free ReLU network also
# satisfy $f(-x) = -f(x)$?

# %% tags=["solution"]
odd_error = predict(cone_net, -points) + predict(cone_net, points)
print(f"largest |f(-x) + f(x)| = {odd_error.abs().max():.0f}")

# %% tags=["solution", "checks"]
assert odd_error.abs().max() > 0.1

# %% [markdown] tags=["solution"]
# No: $\operatorname{ReLU}(-z) \neq -\operatorname{ReLU}(z)$ (for $z = 1$ the left
# side is 0, the right side $-1$), so the network is only *positively* homogeneous.
# That is why its two class regions can be different cones, like the narrow wedge of
# figure 3, rather than mirror images through the origin.

# %% [markdown]
# **Exercise 3 (pencil and paper).** A perceptron computes $z = 3x_1 - 2x_2 + 1$ and
# says class 1 when $z > 0$. Which class does it give the points $(2, 1)$ and
# $(0, 1)$? Where does its boundary cross the two axes? Then check these answers with
# `torch`. Last, a perceptron with no bias at all, whatever its two weights: which of
# the two data sets of this page could it separate?

# %% tags=["solution"]
w_pencil, b_pencil = torch.tensor([3.0, -2.0]), 1.0
pencil_points = torch.tensor([[2.0, 1.0], [0.0, 1.0]])
z_pencil = pencil_points @ w_pencil + b_pencil
print("z:", z_pencil.tolist(), " class:", (z_pencil > 0).int().tolist())
crossings = (-b_pencil / w_pencil[0].item(), -b_pencil / w_pencil[1].item())
print(
    f"boundary crosses the x1 axis at {crossings[0]:.4f}, "
    f"the x2 axis at {crossings[1]:.4f}"
)

# %% tags=["solution", "checks"]
assert (z_pencil > 0).tolist() == [True, False]

# %% [markdown] tags=["solution"]
# $z(2, 1) = 6 - 2 + 1 = 5 > 0$: class 1. $z(0, 1) = 0 - 2 + 1 = -1 < 0$: class 0. On
# the $x_1$ axis ($x_2 = 0$) the boundary $z = 0$ sits at $x_1 = -1/3$, on the $x_2$
# axis at $x_2 = 1/2$ (printed: {{ crossings[0]:.4f }} and {{ crossings[1]:.4f }}).
# Without a bias the boundary must pass through the origin, so only the clusters at
# (3, 8) and (8, 3), which lie on either side of the diagonal, can be separated, as
# figure 2 showed.

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
#
# The simplest neural network is a single unit that weighs its inputs, adds them up and
# says "class 1" when the sum is positive: the *perceptron*. It can only draw a straight
# line through the plane, and without a bias that line is pinned to the origin. This
# page makes both statements precise: what "linear" really means (the notes'
# definition is wrong), when the pinned line is enough and when it is not, what the
# bias-free version of a *non-linear* network can and cannot draw (an open question in
# the notes), and whether centring the data can replace the bias.
#
# ## The idea
#
# A perceptron with inputs $x = (x_1, \dots, x_d)$, weights $w$ and bias $b$ computes
#
# $$
# z = w^{\mathsf T} x + b = b + \sum_{i=1}^{d} w_i x_i,
# \qquad \text{class} = \begin{cases} 1 & z > 0 \\ 0 & z \le 0. \end{cases}
# $$
#
# Its **decision boundary** is the set where $z = 0$: a line in two dimensions, a plane
# in three, a hyperplane beyond. If $b = 0$ the origin satisfies $w^{\mathsf T}0 = 0$,
# so the boundary always passes through the origin; the bias is what lets it move away.
#
# **What makes a function linear.** A function $f$ of the inputs is *linear* when it is
#
# $$
# f(x + y) = f(x) + f(y) \quad \text{(additive)}, \qquad
# f(a\,x) = a\,f(x) \text{ for every } a \quad \text{(homogeneous)}.
# $$
#
# Those two properties hold exactly for $f(x) = w^{\mathsf T}x$. The notes say
# instead that a model "is Linear if the operation it is performing is only addition or
# multiplication". That is wrong: $f(x) = x_1 x_2$ uses one multiplication and nothing
# else, yet $f(2x) = 4 f(x)$. What matters is *what* is multiplied: inputs by constants
# (the weights) keep a model linear; inputs by inputs do not. Two finer points:
#
# - with a bias, $w^{\mathsf T}x + b$ is strictly *affine* (it fails $f(0) = 0$), but
#   its boundary is still a line, and machine learning calls such models linear;
# - a sigmoid after a linear unit makes the *output* non-linear, yet
#   $\sigma(z) > \tfrac12 \iff z > 0$ because $\sigma$ is increasing, so the *decision
#   boundary* is the same straight line. "Linear classifier" refers to the boundary.
#
# The cell below tests additivity and homogeneity on random inputs drawn with a seeded
# generator (`as_generator`).

# %%
import matplotlib.pyplot as plt
import torch

from annlab.data import gaussian_clusters
from annlab.metrics import accuracy
from annlab.models import mlp, perceptron
from annlab.plots.colors import CLASS_COLORS
from annlab.plots.surfaces import evaluate_on_grid, plot_decision_boundary
from annlab.seeding import as_generator
from annlab.training import predict, train

generator = as_generator(0)
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
assert linear == {
    "3 x1 - 2 x2": True,
    "x1 * x2": False,
    "3 x1 - 2 x2 + 1": False,
    "sigmoid(3 x1 - 2 x2 + 1)": False,
}

# %% [markdown]
# Only the weighted sum without a constant passes both tests; the product $x_1 x_2$
# fails although it is "only multiplication". Now the sigmoid: its output is not linear
# (the last row), but the points it puts in class 1, $\sigma(z) > \tfrac12$, are exactly
# those with $z > 0$, the half-plane on one side of the line $3x_1 - 2x_2 + 1 = 0$. The
# cell checks that on the 1000 random points, and that points *on* the line give
# $\sigma = \tfrac12$ (page 3 draws the same fact as a heatmap).

# %%
z = candidates["3 x1 - 2 x2 + 1"](x)
probability = candidates["sigmoid(3 x1 - 2 x2 + 1)"](x)
assert torch.equal(probability > 0.5, z > 0)

t = torch.linspace(-5, 5, 11)
on_the_line = torch.stack([t, (3 * t + 1) / 2], dim=1)  # 3 x1 - 2 x2 + 1 = 0
on_line_output = candidates["sigmoid(3 x1 - 2 x2 + 1)"](on_the_line)
print(
    f"sigmoid on 11 points of the line: from {on_line_output.min():.6f}"
    f" to {on_line_output.max():.6f}"
)
assert torch.allclose(on_line_output, torch.tensor(0.5))

# %% [markdown]
# ## Two data sets, with and without a bias
#
# The notes' two pictures, drawn with
# `gaussian_clusters` and a seed:
# 100 points of each class around two centres, with spread 1.
#
# - **Clusters at (3, 8) and (8, 3).** They lie on either side of the diagonal
#   $x_2 = x_1$, a line through the origin: no bias needed.
# - **Clusters at (1, 1) and (6, 6).** Both centres lie on the *same* ray from the
#   origin, so any line through the origin has both centres on the same side.
#
# On each, we train a `perceptron` with
# and without bias, using `train`, and
# measure the `accuracy` of the rule
# "class 1 when $z > 0$" on the training points, via
# `predict`. Here $z = w^{\mathsf T}x + b$
# is the unit's output before any sigmoid, called the *logit*: $\sigma(z)$ would be the
# probability of class 1, and $z > 0$ exactly when $\sigma(z) > \tfrac12$. For now,
# `train` is a black box that adjusts $w$ and $b$ until the two classes fall on
# opposite sides of the line; pages 4 to 6 open it: the loss it minimizes (binary
# cross-entropy on the logit), the gradients it follows, and the optimizer (Adam, 100
# full-batch epochs here).
# `plot_decision_boundary`
# shades each side of the learned boundary in its class's colour and crosses out the
# misclassified points.

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


fits = {}
for data_name, (points, labels) in data_sets.items():
    for bias in (True, False):
        model = fit_perceptron(points, labels, bias)
        score = accuracy(predict(model, points), labels, threshold=0.0)
        fits[data_name, bias] = (model, score)
        print(f"{data_name}, bias={bias!s:5s}: accuracy {score:.1%}")

# %% alt="Four panels, two data sets by two models. Top row, clusters at (3, 8) and (8, 3): with and without bias the learned line runs along the diagonal between the clusters and every point is classified correctly. Bottom row, clusters at (1, 1) and (6, 6): with a bias the line crosses between the clusters and every point is correct; without a bias the line is forced through the origin, which sits inside the lower-left cluster, so it cuts both clouds and about half of the points are crossed out as misclassified."
fig, axes = plt.subplots(2, 2, figsize=(10, 9.5), layout="constrained")
for row, data_name in zip(axes, data_sets, strict=True):
    points, labels = data_sets[data_name]
    for ax, bias in zip(row, (True, False), strict=True):
        model, score = fits[data_name, bias]
        plot_decision_boundary(
            model, points, labels, ax=ax, feature_names=("x₁", "x₂")
        )
        ax.plot(
            0, 0, "k+", markersize=14, markeredgewidth=2, zorder=5
        )  # on top of the points
        ax.annotate(
            "origin", (0, 0), textcoords="offset points", xytext=(6, 6)
        )
        with_or_not = "with bias" if bias else "no bias"
        ax.set_title(f"{data_name}\n{with_or_not}: accuracy {score:.1%}")
        ax.set_aspect("equal")
plt.show()

# %% [markdown]
# On the first data set both perceptrons are perfect: the best line runs through the
# origin anyway. On the second, only the perceptron with a bias separates the classes;
# the one without can do no better than a line through the origin, which sits inside the
# lower-left cloud. The cell pins these outcomes.

# %%
separable, offset = data_sets
assert fits[separable, True][1] == fits[separable, False][1] == 1.0
assert fits[offset, True][1] == 1.0
assert fits[offset, False][1] < 0.7

# %% [markdown]
# ## Without biases, a ReLU network draws cones
#
# The notes leave open what happens to a *non-linear* model without biases. Take a
# network with ReLU activations and no bias anywhere. For $a > 0$,
# $\operatorname{ReLU}(a z) = a \operatorname{ReLU}(z)$, and each layer multiplies by
# a weight matrix, which commutes with scaling. So the whole network is **positively
# homogeneous**:
#
# $$
# f(a\,x) = a\,f(x) \quad \text{for every } a > 0.
# $$
#
# Scaling by $a > 0$ never changes the sign of $f$, so if $x$ is in class 1, so is every
# point $a x$ on the ray from the origin through $x$. Every class region is a union of
# rays from the origin, a **cone**, and the decision boundary is made of rays through the
# origin. The network can bend its boundary, but never move it off the origin.
#
# We check homogeneity on a bias-free `mlp`
# with two hidden layers of 16 ReLU units, then train it on the (1, 1) / (6, 6) data.
# To see far beyond the data, the figure's right panel evaluates the network on a wide
# grid with `evaluate_on_grid`
# and shades it in the class colours,
# `CLASS_COLORS`.

# %%
points, labels = data_sets[offset]
cone_net = mlp([2, 16, 16, 1], hidden_activation="relu", bias=False, seed=0)

for a in (0.1, 2.0, 50.0):
    # Equal up to float32 rounding: the last digits depend on the CPU.
    same = torch.allclose(
        predict(cone_net, a * points),
        a * predict(cone_net, points),
        rtol=1e-5,
        atol=1e-4,
    )
    print(f"a = {a:5}: f(a x) = a f(x) at every point: {same}")
    assert same

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

# the trained network gives a point and its scaled copies the same class
for a in (0.1, 10.0):
    same_class = (predict(cone_net, a * points) > 0) == (
        predict(cone_net, points) > 0
    )
    assert same_class.all()

# %% alt="Two panels of the bias-free ReLU network trained on the clusters at (1, 1) and (6, 6). Left, the data: the decision boundary is two straight rays meeting at the origin, enclosing a narrow wedge around the diagonal in which the network says class 1; the upper cluster sits in the wedge, but lower-left points that lie along the diagonal are in it too and are crossed out. Right, the predicted classes over a square twenty times wider, with the data's square dashed near the centre: the same wedge, bounded by the same two straight rays from the origin, continues outwards unchanged."
fig, (ax_data, ax_far) = plt.subplots(
    1, 2, figsize=(11, 4.8), layout="constrained"
)
plot_decision_boundary(
    cone_net, points, labels, ax=ax_data, feature_names=("x₁", "x₂")
)
ax_data.plot(0, 0, "k+", markersize=14, markeredgewidth=2, zorder=5)
ax_data.set_title(f"bias-free ReLU network: accuracy {cone_score:.1%}")
ax_data.set_aspect("equal")

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
ax_far.add_patch(plt.Rectangle((-2, -2), 12, 12, fill=False, linestyle="--"))
ax_far.plot(0, 0, "k+", markersize=14, markeredgewidth=2, zorder=5)
ax_far.set(
    xlabel="x₁",
    ylabel="x₂",
    aspect="equal",
    title="the same network, 20 times wider (dashed: the data)",
)
plt.show()

# %% [markdown]
# The network does better than the bias-free perceptron ({{ cone_score:.1% }} against
# {{ fits[offset, False][1]:.1% }}) because its cone can be a narrow wedge around the
# diagonal, but it cannot separate the clusters: points of the lower-left cloud that
# lie in the same directions as the upper cloud are classified with it, whatever the
# training. Homogeneity is a property of ReLU (and of the identity)
# and not of every activation: $\sigma(0) = \tfrac12$ acts like a built-in bias, so a
# bias-free network with sigmoid hidden units is *not* homogeneous:

# %%
sigmoid_net = mlp([2, 16, 1], hidden_activation="sigmoid", bias=False, seed=0)
gap = predict(sigmoid_net, 2 * points) - 2 * predict(sigmoid_net, points)
print(f"sigmoid network: largest |f(2x) - 2 f(x)| = {gap.abs().max():.2f}")
assert gap.abs().max() > 0.1

# %% [markdown]
# ## Mean-centring instead of a bias, and when it fails
#
# The notes mention the alternative: subtract the mean of the data from every point,
# so that the origin sits in the middle of the data, and use a boundary through the
# (new) origin. That is a boundary through the **mean of the data**. It works exactly
# when the best boundary passes near the mean, which is the case for two clouds of the
# same size, but not when one class is much more common: the mean is then pulled into
# the big class.
#
# We compare the perceptron with bias and the bias-free perceptron on centred data, for
# the balanced (1, 1) / (6, 6) set and for an unbalanced one that keeps only the first
# 10 points of class 1. For each, we measure how far the mean lies from the boundary the
# perceptron *with* bias learned: $|w^{\mathsf T}\bar x + b| \,/\, \lVert w \rVert$.


# %%
def distance_to_boundary(model, point):
    weight, bias = model[0].weight.detach()[0], model[0].bias.detach()
    return ((weight @ point + bias).abs() / weight.norm()).item()


centring = {}
for n_class_1 in (100, 10):
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

# %% alt="Two panels of the unbalanced data set, 100 points around (1, 1) and 10 around (6, 6), with the data mean marked by a star inside the big lower-left cloud. Left, the perceptron with a bias: its line passes between the clouds and nothing is misclassified. Right, the bias-free perceptron trained on centred data: its line must pass through the mean, so it cuts through the middle of the big cloud and many of its points are crossed out."
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
    )  # on top of the points: the marker is the point
    ax.legend(fontsize="small")
    ax.set(
        title=f"100 vs 10 points, {name}: accuracy {score:.1%}", aspect="equal"
    )
plt.show()

# %% [markdown]
# With balanced classes the mean lies {{ balanced_distance:.2f }} spread units from the
# learned boundary (in the gap between the clouds) and centring works as well as a
# bias. With ten times more points in one class, the mean moves into the big cloud,
# {{ unbalanced_distance:.2f }} spread units from the line the bias found, and the
# centred perceptron does worse than the trivial rule "always class 0". Centring is a
# fixed guess of where the boundary should pass; a bias is a parameter that training
# moves to where it belongs.

# %%
assert balanced["acc centred"] == balanced["acc with bias"] == 1.0
assert balanced_distance < 1.0
assert unbalanced_distance > 3.0
assert unbalanced["acc with bias"] == 1.0
assert unbalanced["acc centred"] < unbalanced["majority"]

# %% [markdown]
# ## Questions
#
# **Why do we need a bias?** Without it the boundary $w^{\mathsf T}x = 0$ passes
# through the origin. That is enough when the classes sit on either side of some line
# through the origin (both perceptrons scored {{ fits[separable, False][1]:.0% }} on the
# (3, 8) / (8, 3) clusters) and fatal when they do not (the bias-free perceptron scored
# {{ fits[offset, False][1]:.1% }} on the (1, 1) / (6, 6) clusters, where the
# perceptron with bias scored {{ fits[offset, True][1]:.0% }}).
#
# **What about non-linear models without biases?** (The notes: "I am not exactly
# clear on the scenario of non-linear equation".) A bias-free ReLU network is positively
# homogeneous, $f(a x) = a f(x)$ for $a > 0$ (asserted above to float precision), so
# its classes are cones and its boundary is made of rays through the origin (drawn
# above, at two scales). It can bend the boundary but not lift it off the origin, so it
# cannot separate the (1, 1) / (6, 6) clusters either. With sigmoid hidden units the
# argument breaks ($\sigma(0) = \tfrac12$ acts as a bias), as the last assert showed.
#
# **Can mean-centring replace the bias?** Sometimes. It puts the boundary through the
# mean of the data, which is right for two balanced clouds and wrong when one class
# dominates (the unbalanced case above: worse than always answering the majority class).
# The usual equivalent that always works is page 3's trick: add a constant input
# $x_0 = 1$, whose weight *is* the bias (exercise 1 below).
#
# **Are the notes right that a model is linear "if only addition or multiplication"?**
# No: $x_1 x_2$ failed both tests. Linear means additive and homogeneous in the inputs,
# that is, a weighted sum of them. For the same reason the notes' "the only
# component that can be non-linear is the activation function" holds for the networks of
# this course (weighted sums and activations) but not in general: a layer that
# multiplies two of its inputs, or takes their maximum, is non-linear without any
# activation.
#
# **"We should not use non-linear models for linear problems"?** Too strong. A
# non-linear model *can* solve a linear problem: it contains the linear ones. The real
# costs are more parameters, more computation and more freedom to fit noise. Below, a
# ReLU network with two hidden layers of 32 units and a perceptron learn the same
# linear problem from only 10 points per class, and are tested on 1000 fresh points
# per class. "Linear"
# here means that the best possible boundary is a line: for two round clouds of the
# same spread it is the perpendicular bisector of their centres, though the clouds
# overlap a little, so no line gets every point right.


# %%
train_points, train_labels = gaussian_clusters(
    ((1, 1), (3, 3)), n_per_cluster=10, seed=1
)
test_points, test_labels = gaussian_clusters(
    ((1, 1), (3, 3)), n_per_cluster=1000, seed=2
)
contenders = {
    "perceptron": (perceptron(2, seed=0), 0.1),
    "ReLU network 2-32-32-1": (mlp([2, 32, 32, 1], seed=0), 0.02),
}
scores = {}
for name, (model, learning_rate) in contenders.items():
    train(
        model,
        train_points,
        train_labels,
        epochs=200,
        loss="bce_with_logits",
        learning_rate=learning_rate,
        optimizer="adam",
    )
    n_parameters = sum(p.numel() for p in model.parameters())
    scores[name] = [
        accuracy(predict(model, p), t, threshold=0.0)
        for p, t in ((train_points, train_labels), (test_points, test_labels))
    ]
    print(
        f"{name:24s} {n_parameters:5d} parameters: training "
        f"{scores[name][0]:.1%}, fresh points {scores[name][1]:.1%}"
    )
network, simple = scores["ReLU network 2-32-32-1"], scores["perceptron"]
assert network[1] > 0.8  # the non-linear model does solve the problem
assert network[0] - network[1] > simple[0] - simple[1]  # but fits more noise

# %% [markdown]
# The network solves the linear problem ({{ network[1]:.1% }} on fresh points), and fits
# its {{ len(train_points) }} training points better than the perceptron
# ({{ network[0]:.1% }} against {{ simple[0]:.1% }}), but that extra fit does not carry
# over to fresh points: the gap between training and fresh accuracy is larger for the
# network ({{ 100 * (network[0] - network[1]):.1f }} points against
# {{ 100 * (simple[0] - simple[1]):.1f }} for the perceptron). That gap, not
# impossibility, is the price of a flexible model on a simple problem.
#
# ## Try it
#
# **Exercise 1.** Give the bias-free perceptron a third input that is always 1 (page 3's
# $x_0$) and train it on the (1, 1) / (6, 6) clusters. Does it separate them now?

# %% tags=["solution"]
augmented = torch.cat([torch.ones(len(points), 1), points], dim=1)
model = perceptron(3, bias=False, seed=0)
train(
    model,
    augmented,
    labels,
    epochs=300,
    loss="bce_with_logits",
    learning_rate=0.1,
    optimizer="adam",
)
score = accuracy(predict(model, augmented), labels, threshold=0.0)
print(f"bias-free perceptron with a constant input: accuracy {score:.1%}")
print("weight of the constant input (the bias):", model[0].weight[0, 0].item())
assert score == 1.0

# %% [markdown]
# **Exercise 2.** Homogeneity holds for $a > 0$. Does the bias-free ReLU network also
# satisfy $f(-x) = -f(x)$?

# %% tags=["solution"]
gap = predict(cone_net, -points) + predict(cone_net, points)
print(f"largest |f(-x) + f(x)| = {gap.abs().max():.0f}")
assert gap.abs().max() > 0.1

# %% [markdown] tags=["solution"]
# No: $\operatorname{ReLU}(-z) \neq -\operatorname{ReLU}(z)$, so the network is only
# *positively* homogeneous. That is why its two class regions can be different cones,
# like the narrow wedge above, rather than mirror images through the origin.

# %% [markdown]
# **Exercise 3 (pencil and paper).** A perceptron computes $z = 3x_1 - 2x_2 + 1$ and
# says class 1 when $z > 0$. Which class does it give the points $(2, 1)$ and
# $(0, 1)$? Where does its boundary cross the two axes? Which of the two data sets of
# this page could a perceptron *without* the $+1$ separate? Then check the first two
# answers with `torch`.

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
assert (z_pencil > 0).tolist() == [True, False]

# %% [markdown] tags=["solution"]
# $z(2, 1) = 6 - 2 + 1 = 5 > 0$: class 1. $z(0, 1) = 0 - 2 + 1 = -1 < 0$: class 0. On
# the $x_1$ axis ($x_2 = 0$) the boundary $z = 0$ sits at $x_1 = -1/3$, on the $x_2$
# axis at $x_2 = 1/2$ (printed: {{ crossings[0]:.4f }} and {{ crossings[1]:.4f }}).
# Without the $+1$ the boundary must pass through the origin, so only the clusters at
# (3, 8) and (8, 3), which lie on either side of the diagonal, can be separated, as the
# first figure showed.

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
# # 2. Feature space

# %% [markdown] tags=["header"]
# **Lecture 41** of the course ([the notes' passage](../../notes/#lecture-41)). The
# notes describe the feature space in two lines: each feature an axis, each
# observation "a coordinate", and a model's output either categorical (pass or fail
# from hours of sleep and study) or continuous (the exam mark). They draw nothing.
#
# After this page you can:
#
# - place a data set in its feature space, one point per observation;
# - read a classifier as a boundary and a regression model as a surface in that space;
# - say what a 2-D picture of many features shows, and what it hides.

# %% [markdown]
# A network learns from numbers, and those numbers are best seen geometrically: each
# feature an axis, each observation a point, a model something drawn in that space.
# This page builds that picture on a small made-up data set, students described by
# how much they sleep and study, with both kinds of target and a model for each, then
# asks what changes with many more features than two.
#
# ## The idea
#
# A [feature](../../glossary/#feature) is one measured quantity (hours of sleep); an
# [observation](../../glossary/#observation) is one measured thing (one student). A
# data set of $n$ observations with $d$ features is a matrix $X$ with $n$ rows and $d$
# columns. Row $i$ is one observation, the point
# $x^{(i)} = (x^{(i)}_1, \dots, x^{(i)}_d)$ of the space $\mathbb{R}^d$ (all lists of
# $d$ real numbers); column $j$ is
# one feature, one axis of that space. The feature values of an observation are its
# *coordinates*.
#
# The [target](../../glossary/#target) $y$, what a model should predict, comes in two
# kinds:
#
# - **categorical**, e.g. pass or fail: a classifier assigns a class to every point of
#   the space, so it cuts the space into regions separated by a **decision boundary**;
# - **continuous**, e.g. the exam mark: a regression model assigns a number
#   $\hat y = f(x)$ to every point, a **surface** over the space, which we draw as
#   contours (lines of equal predicted mark), like a map's lines of equal height.
#
# The data come from
# `sleep_study`: each student's hours of sleep a night are drawn uniformly between 4
# and 10, their hours of study a day uniformly between 0 and 10, and they get
#
# $$
# \text{mark} = 100\,\sigma\big(0.45\,(\text{study} - 5) + 0.35\,(\text{sleep} - 7)
# + \varepsilon\big), \qquad \varepsilon \sim \mathcal N(0, 0.5^2),
# $$
#
# with $\sigma$ the sigmoid of [page 1](../01_perceptron_and_bias/#the-perceptron) and
# $\varepsilon$ the student's luck, a normal draw with standard deviation 0.5. A mark
# of at least 50 passes. We draw 200 students to learn from and 1000 fresh ones
# (another seed) to check the models on students they have never seen.

# %%
import matplotlib.pyplot as plt
import torch

from annlab.data import sleep_study
from annlab.many_runs.statistics import wilson_interval
from annlab.metrics import accuracy
from annlab.models import mlp, perceptron
from annlab.plots.points import plot_points
from annlab.plots.surfaces import (
    evaluate_on_grid,
    plot_decision_boundary,
    plot_surface,
)
from annlab.seeding import as_generator
from annlab.training import predict, train

students = sleep_study(n_students=200, seed=0)
fresh = sleep_study(n_students=1000, seed=1)
feature_names = ("sleep (hours per night)", "study (hours per day)")

print(
    "X has shape",
    tuple(students.features.shape),
    "(one row per student, one column per feature)",
)
print(" sleep  study   mark  passed")
for i in range(4):
    sleep, study = students.features[i].tolist()
    print(
        f"{sleep:6.1f} {study:6.1f} {students.mark[i].item():6.1f}"
        f" {students.passed[i].item():7.0f}"
    )
print(f"share passing: {students.passed.mean():.0%}")

# %% [markdown]
# ## Categorical target: pass or fail, and a decision boundary
#
# A `perceptron` with two inputs is the simplest classifier for this space: its
# boundary is a straight line ([page 1](../01_perceptron_and_bias/#the-perceptron)).
# We train it with `train`, as on page 1, and measure its `accuracy` on the students
# it learned from and on the fresh ones.
#
# Because of the noise $\varepsilon$, no rule can be perfect: a student just above the
# line can be unlucky. The natural yardstick is the rule that generated the data without
# its noise, which no model can know but we can. Without $\varepsilon$ the mark is at
# least 50 when $\sigma(\cdot) \ge \tfrac12$, that is when the sum inside is at least
# 0, and expanding it,
# $0.45\,(\text{study} - 5) + 0.35\,(\text{sleep} - 7)
# = 0.35\,\text{sleep} + 0.45\,\text{study} - 4.7$ (as $0.45 \cdot 5 + 0.35 \cdot 7
# = 4.7$): "pass when
# $0.35\,\text{sleep} + 0.45\,\text{study} > 4.7$". It is also the best rule there
# is: the noise is symmetric, so a student on its pass side passes more often than
# not.

# %%
classifier = perceptron(2, seed=0)
train(
    classifier,
    students.features,
    students.passed,
    epochs=300,
    loss="bce_with_logits",
    learning_rate=0.1,
    optimizer="adam",
)


def noise_free_rule(features):
    sleep, study = features[:, 0], features[:, 1]
    return (0.35 * sleep + 0.45 * study - 4.7).reshape(-1, 1)


scores = {}
for name, group in (("learned from", students), ("fresh", fresh)):
    scores[name] = (
        accuracy(
            predict(classifier, group.features), group.passed, threshold=0.0
        ),
        accuracy(noise_free_rule(group.features), group.passed, threshold=0.0),
    )
    print(
        f"{name:12s} students: perceptron {scores[name][0]:.1%}, "
        f"noise-free rule {scores[name][1]:.1%}"
    )

# 95% Wilson intervals for the two accuracies on the 1000 fresh students
n_fresh = len(fresh.passed)
intervals = {
    name: wilson_interval(torch.tensor([round(score * n_fresh)]), runs=n_fresh)
    for name, score in zip(
        ("perceptron", "rule"), scores["fresh"], strict=True
    )
}
for name, interval in intervals.items():
    print(
        f"fresh, {name:10s}: 95% Wilson interval"
        f" [{interval.low.item():.1%}, {interval.high.item():.1%}]"
    )
perceptron_low, perceptron_high = (
    intervals["perceptron"].low.item(),
    intervals["perceptron"].high.item(),
)
rule_low, rule_high = (
    intervals["rule"].low.item(),
    intervals["rule"].high.item(),
)

same_call = (predict(classifier, fresh.features) > 0) == (
    noise_free_rule(fresh.features) > 0
)
agreement = same_call.float().mean().item()
print(f"the two agree on {agreement:.1%} of fresh students")
fresh_perceptron, fresh_rule = scores["fresh"]
learned_perceptron = scores["learned from"][0]

# how far the perceptron's mistakes lie from its line, in hours of study:
# z changes by the study weight for each hour of study
logit = predict(classifier, students.features)
wrong = (logit > 0).float() != students.passed
n_wrong = int(wrong.sum())
n_pass_side = int((wrong & (logit > 0)).sum())  # failed, predicted pass
hours_off = logit[wrong].abs() / classifier[0].weight[0, 1]
farthest = hours_off.max().item()
k = hours_off.argmax()  # the farthest mistake
far_sleep, far_study = students.features[wrong[:, 0]][k].tolist()
far_passed = students.passed[wrong[:, 0]][k].item()
print(
    f"its {n_wrong} mistakes on the students it learned from lie within "
    f"{farthest:.1f} h of study of its line: {n_pass_side} on its pass side,"
    f" {n_wrong - n_pass_side} on its fail side"
)
print(
    f"the farthest: ({far_sleep:.1f} h sleep, {far_study:.1f} h study),"
    f" {'passed' if far_passed else 'failed'}"
)

# %% tags=["checks"]
assert abs(fresh_perceptron - fresh_rule) < 0.03
assert rule_low < perceptron_high and perceptron_low < rule_high  # overlap
assert agreement > 0.95
assert far_passed == 0 and far_study > 7  # a high-study student who failed

# %% alt="Scatter plot of the 200 students in the plane of sleep (4 to 10 hours, horizontal) and study (0 to 10 hours, vertical); fail points (blue circles) fill the lower left, pass points (orange squares) the upper right. The perceptron's straight boundary falls from upper left to lower right between them and runs close to the dashed noise-free rule; the {{ n_wrong }} crossed-out misclassified students lie within {{ farthest:.1f }} hours of study of it, {{ n_pass_side }} on its pass side and {{ n_wrong - n_pass_side }} on its fail side; the farthest, at ({{ far_sleep:.1f }}, {{ far_study:.1f }}), is a high-study student who failed. Two students are labelled with their coordinates; the legend sits to the right of the plot."
fig, ax = plt.subplots(figsize=(7, 5.5), layout="constrained")
plot_decision_boundary(
    classifier,
    students.features,
    students.passed,
    ax=ax,
    feature_names=feature_names,
    class_names=("failed", "passed"),
)
sleep_line = torch.linspace(4, 10, 2)
ax.plot(
    sleep_line,
    (4.7 - 0.35 * sleep_line) / 0.45,
    "k--",
    label="noise-free rule",
)
# each label at a place (in hours) where it hides no student
for i, place, align in (
    (0, (7.9, -0.55), "center"),
    (1, (8.75, 7.75), "left"),
):
    sleep, study = students.features[i].tolist()
    ax.annotate(
        f"student {i}: ({sleep:.1f}, {study:.1f})",
        (sleep, study),
        xytext=place,
        ha=align,
        va="center",
        fontsize="small",
        bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0},
        arrowprops={"arrowstyle": "-", "color": "black"},
    )
ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1))
ax.set_title(
    f"pass or fail: perceptron accuracy {scores['learned from'][0]:.1%} on"
    f" these students ({scores['fresh'][0]:.1%} on fresh ones)"
)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** The 200 students in their feature space, coloured by pass or fail,
# with the perceptron's boundary (solid) and the rule that generated the data without
# its noise (dashed); the perceptron's {{ n_wrong }} mistakes are crossed out.

# %% [markdown]
# Every student is one point, placed by their two feature values. The perceptron's line
# cuts the plane into a "fail" region and a "pass" region, and lands close to the rule
# that made the data (they agree on {{ agreement:.1% }} of fresh students). Its
# {{ n_wrong }} mistakes lie within {{ farthest:.1f }} hours of study of the line,
# where the noise decides; the farthest, at ({{ far_sleep:.1f }} h of sleep,
# {{ far_study:.1f }} h of study), is a high-study student who failed. It is right on
# {{ learned_perceptron:.1% }} of the students it learned from. On fresh
# students its accuracy, {{ fresh_perceptron:.1% }} (95% Wilson interval
# [{{ perceptron_low:.1% }}, {{ perceptron_high:.1% }}]), is
# {{ 100 * abs(fresh_perceptron - fresh_rule):.1f }} points from the noise-free rule's
# {{ fresh_rule:.1% }} ([{{ rule_low:.1% }}, {{ rule_high:.1% }}]), the best any
# model can expect here. The intervals overlap widely: on another 1000 students either
# could come out ahead
# ([the statistics primer](../07_slope_challenge/#a-short-statistics-primer)).
#
# ## Continuous target: the exam mark, and a surface
#
# Now the same points, with the mark as target. A regression model gives every point of
# the plane a predicted mark. Marks stay between 0 and 100, and the data's formula is
# a sigmoid, so we give the model that shape: one unit with a sigmoid output,
# `mlp([2, 1], output_activation="sigmoid")` (no hidden layer: a perceptron with a
# sigmoid), whose prediction times 100 is a mark; `predict` now
# returns the value after the sigmoid, where for `perceptron` it was the logit. It
# is trained on mark / 100 with the [mean squared error](../../glossary/#mse), the
# mean of (prediction − target)² over the students. For comparison: the best plane
# through the marks, mark $= c_0 + c_1\,\text{sleep} + c_2\,\text{study}$ with the
# three numbers that make the sum of squared errors on the 200 students smallest
# (*least squares*, computed exactly by `torch.linalg.lstsq`), and the noise-free
# formula as the yardstick. The error reported is the root mean squared error (RMSE)
# on fresh students: the square root of the mean squared error, in marks.


# %%
def rmse_in_marks(predicted_mark, mark):
    return ((predicted_mark - mark) ** 2).mean().sqrt().item()


sigmoid_unit = mlp([2, 1], output_activation="sigmoid", seed=0)
train(
    sigmoid_unit,
    students.features,
    students.mark / 100,
    epochs=200,
    loss="mse",
    learning_rate=0.1,
    optimizer="adam",
)


# The constant c0 needs a column to multiply: add a column of ones, so that
# each row (1, sleep, study) times (c0, c1, c2) is c0 + c1 sleep + c2 study.
def with_ones(features):
    return torch.cat([torch.ones(len(features), 1), features], dim=1)


# the best plane mark = c0 + c1 sleep + c2 study, exactly (least squares)
plane = torch.linalg.lstsq(
    with_ones(students.features), students.mark
).solution

errors = {
    "sigmoid unit": rmse_in_marks(
        100 * predict(sigmoid_unit, fresh.features), fresh.mark
    ),
    "best plane": rmse_in_marks(with_ones(fresh.features) @ plane, fresh.mark),
    "noise-free formula": rmse_in_marks(
        100 * torch.sigmoid(noise_free_rule(fresh.features)), fresh.mark
    ),
    "always the mean mark": rmse_in_marks(students.mark.mean(), fresh.mark),
}
for name, error in errors.items():
    print(f"{name:21s} off by {error:5.2f} marks (RMSE, fresh students)")
unit_error, plane_error, formula_error, mean_error = errors.values()

corners = torch.tensor([[4.0, 0.0], [10.0, 10.0]])
plane_corners = (with_ones(corners) @ plane).flatten()
unit_corners = 100 * predict(sigmoid_unit, corners).flatten()
print("at (4 h sleep, 0 h study) and (10 h, 10 h):")
print(f"  best plane   {plane_corners[0]:6.1f} {plane_corners[1]:6.1f}")
print(f"  sigmoid unit {unit_corners[0]:6.1f} {unit_corners[1]:6.1f}")

# %% tags=["checks"]
assert unit_error < formula_error + 1.0
assert unit_error < plane_error < mean_error
assert plane_corners[0] < 0 and plane_corners[1] > 100

# %% [markdown]
# On the fresh sample the sigmoid unit is off by {{ unit_error:.2f }} marks and the
# noise-free formula by {{ formula_error:.2f }}, a gap within sampling noise. Going
# deeper draws many samples and computes the expected errors over all students:
# almost all of the unit's error is the students' luck, not the model. The best plane
# is worse
# ({{ plane_error:.2f }} marks on the fresh sample), even computed exactly: a plane
# cannot bend, so it misses the S-shape of the marks, flat near 0 and 100 and steep
# around 50. One symptom: in the corners it predicts marks of
# {{ plane_corners[0]:.1f }} and {{ plane_corners[1]:.1f }}, outside 0 to 100.
# Figure 2 draws the sigmoid unit's
# surface with `plot_surface`, its contour lines (from `evaluate_on_grid`), and each
# student coloured by the mark they actually got.

# %% alt="Filled contour map over the plane of sleep (horizontal) and study (vertical), coloured from dark purple (low predicted mark) in the lower left to yellow (high) in the upper right, with straight, parallel, labelled contour lines at 20, 35, 50, 65 and 80 marks running from upper left to lower right. The students are black-edged dots coloured by their real mark; most match the colour beneath them, a few stand out where the noise moved their mark." tags=["keep-colours"]
fig, ax = plt.subplots(figsize=(7.5, 5.5), layout="constrained")
plot_surface(
    lambda p: 100 * predict(sigmoid_unit, p),
    ax=ax,
    xlim=(4, 10),
    ylim=(0, 10),
    levels=20,
    feature_names=feature_names,
    colorbar_label="mark out of 100 (background: predicted; dots: actual)",
)
surface = ax.collections[0]
x1, x2, predicted_mark = evaluate_on_grid(
    lambda p: 100 * predict(sigmoid_unit, p), (4, 10), (0, 10), 100
)
lines = ax.contour(
    x1,
    x2,
    predicted_mark,
    levels=[20, 35, 50, 65, 80],
    colors="white",
    linewidths=1,
)
ax.clabel(lines, fmt="%d")
ax.scatter(
    students.features[:, 0],
    students.features[:, 1],
    c=students.mark[:, 0],
    cmap=surface.cmap,
    norm=surface.norm,
    edgecolors="black",
    linewidths=0.6,
    s=30,
)
ax.set_title(
    f"exam mark: sigmoid unit off by {errors['sigmoid unit']:.1f}"
    " marks on fresh students"
)
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** The sigmoid unit's predicted mark over the feature space (colours, and
# white contour lines of equal predicted mark), with each student drawn in the colour
# of the mark they actually got.

# %% [markdown]
# The contours are straight and parallel: the predicted mark depends on the two features
# only through the weighted sum inside the sigmoid, so every line of equal mark is a line
# of equal weighted sum. The 50-mark contour is therefore a straight line too, and it is
# a decision boundary: "predict pass when the predicted mark is at least 50" is a linear
# classifier (exercise 2 measures it).
#
# ## Many features: what a 2-D picture shows
#
# Real data sets have many features ([the notes](../../notes/#lecture-41): "In
# practice, we have very high dimension of feature space"), and we can only draw two
# or three axes. Any 2-D picture of $d$-dimensional points is a **projection**: pick
# two directions $u, v$ of length 1 and at right angles, stack them as the columns of
# a $d \times 2$ matrix $P$, and draw the rows of the
# [matrix product](../../glossary/#matrix-product) $XP$ ($n \times d$ times
# $d \times 2$ gives $n \times 2$): row $i$ is
# $(u^{\mathsf T}x^{(i)}, v^{\mathsf T}x^{(i)})$, the point's coordinates along $u$
# and $v$. Plotting "feature 1 against feature 2" is the special case $u = e_1$,
# $v = e_2$ (the directions of the first two axes); it throws away the other $d - 2$
# coordinates.
#
# What a projection throws away can be exactly what separates the classes. Below, two
# classes of 500 points in $d = 20$ dimensions: class 0 is a standard normal cloud
# around the origin (each coordinate a normal draw of mean 0 and standard deviation
# 1), class 1 the same cloud moved by 0.6 along *every* feature. On one
# feature the shift is small against the spread of 1, but over 20 features the small
# shifts add up. We draw the points ourselves with `torch.randn`, seeded with
# `as_generator` as on page 1.
#
# The arithmetic first. On $d$ features the two centres are
# $\sqrt{d \cdot 0.6^2} = 0.6\sqrt d$ apart. Each cloud has spread 1 in every
# direction: its density (how thickly its points lie), a product of $e^{-x_j^2/2}$ over the coordinates, is
# $e^{-\lVert x \rVert^2/2}$, which depends only on the distance from the centre, so
# turning the axes changes nothing. A point is then more likely from the cloud whose
# centre is nearer, and the best possible boundary is the hyperplane of points equally
# near both, halfway between them, at distance $0.3\sqrt d$ from each centre. A point is on the wrong side when its noise
# along the line between the centres exceeds that distance, so the best expected
# accuracy is $\Phi(0.3\sqrt d)$, where $\Phi(t)$ is the probability that a standard
# normal draw is below $t$ (`torch.special.ndtr` computes it).


# %%
def shifted_clouds(n_per_class, n_features, shift, seed):
    """Class 0 around the origin, class 1 moved by `shift` on every feature."""
    generator = as_generator(seed)
    x = torch.randn(2 * n_per_class, n_features, generator=generator)
    x[n_per_class:] += shift
    labels = torch.cat(
        [torch.zeros(n_per_class, 1), torch.ones(n_per_class, 1)]
    )
    return x, labels


x_many, y_many = shifted_clouds(500, 20, 0.6, seed=0)
x_many_fresh, y_many_fresh = shifted_clouds(500, 20, 0.6, seed=1)

many_scores, best_possible, many_low, many_high = {}, {}, {}, {}
for n_used in (2, 20):
    model = perceptron(n_used, seed=0)
    train(
        model,
        x_many[:, :n_used],
        y_many,
        epochs=200,
        loss="bce_with_logits",
        learning_rate=0.05,
        optimizer="adam",
    )
    many_scores[n_used] = accuracy(
        predict(model, x_many_fresh[:, :n_used]), y_many_fresh, threshold=0.0
    )
    best_possible[n_used] = torch.special.ndtr(
        torch.tensor(0.3 * n_used**0.5)
    ).item()
    n_right = round(many_scores[n_used] * len(y_many_fresh))
    interval = wilson_interval(torch.tensor([n_right]), runs=len(y_many_fresh))
    many_low[n_used], many_high[n_used] = (
        interval.low.item(),
        interval.high.item(),
    )
    print(
        f"perceptron on the first {n_used:2d} features: "
        f"{many_scores[n_used]:.1%} on fresh points, 95% Wilson interval"
        f" [{many_low[n_used]:.1%}, {many_high[n_used]:.1%}]"
        f" (best expected {best_possible[n_used]:.1%})"
    )
all_features = model  # the last one trained, on all 20 features

# %% tags=["checks"]
assert 0.6 < many_scores[2] < 0.75  # about two in three
assert many_scores[20] > 0.85  # about nine in ten
assert many_low[2] <= best_possible[2] <= many_high[2]

# %% [markdown]
# Two projections of the same 20-dimensional points: onto features 1 and 2, and onto the
# direction $u = w / \lVert w \rVert$ of the perceptron's weights (the direction its
# boundary is perpendicular to) together with a direction $v$ at right angles to it.
# `plot_points` draws each view.

# %%
e1_e2 = torch.eye(20)[:, :2]  # P for "feature 1 against feature 2"

w = all_features[0].weight.detach()[0]
u = w / w.norm()
# e1 @ u is how far e1 reaches along u; taking away that part of e1 leaves a
# direction at right angles to u
v = torch.eye(20)[0] - (torch.eye(20)[0] @ u) * u
v = v / v.norm()
learned_view = torch.stack([u, v], dim=1)

# the boundary w·x + b = 0 is where the coordinate along u is -b / |w|
boundary_u = -all_features[0].bias.item() / w.norm().item()
along_u = (x_many @ u).reshape(-1, 1)
wrong_side = (along_u > boundary_u).float() != y_many
n_wrong_side = int(wrong_side.sum())
wrong_share = n_wrong_side / len(x_many)
print(
    f"boundary at {boundary_u:.2f} along u; on its wrong side: "
    f"{int(wrong_side[y_many == 0].sum())} of class 0, "
    f"{int(wrong_side[y_many == 1].sum())} of class 1, "
    f"{n_wrong_side} of {len(x_many)} points ({wrong_share:.1%})"
)

# %% tags=["checks"]
assert torch.equal(x_many @ e1_e2, x_many[:, :2])  # plotting 2 features
assert torch.allclose(
    learned_view.T @ learned_view, torch.eye(2), atol=1e-6
)  # two unit directions at right angles

# %% alt="Two scatter plots of the same 1000 points from 20 dimensions. Left, projected on features 1 and 2: the translucent blue circles of class 0 and orange squares of class 1 overlap heavily in one round cloud, the squares shifted only slightly up and to the right. Right, projected on the direction of the learned weights (horizontal) and a direction at right angles to it: the two classes form two clouds, class 0 on the left and class 1 on the right, mixing in a band around the perceptron's boundary, a dashed vertical line at {{ boundary_u:.2f }} along the weights; {{ n_wrong_side }} of the {{ len(x_many) }} points ({{ wrong_share:.1% }}) are on its wrong side."
fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), layout="constrained")
views = [
    (e1_e2, ("feature 1", "feature 2"), "features 1 and 2"),
    (
        learned_view,
        ("along the learned weights w", "at right angles to w"),
        "the learned direction",
    ),
]
for ax, (view, names, title) in zip(axes, views, strict=True):
    plot_points(x_many @ view, y_many, ax=ax, feature_names=names)
    for dots in ax.collections:  # small and see-through, so overlaps show
        dots.set_alpha(0.4)
        dots.set_sizes([14])
    ax.set_title(f"20-D points projected on {title}")
    ax.set_aspect("equal")
axes[1].axvline(boundary_u, color="black", linestyle="--", label="boundary")
axes[1].legend(fontsize="small")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** The same 1000 points of 20 features, drawn two ways: on features 1 and
# 2 (left) the classes overlap; on the direction of the learned weights (right) they
# are far better separated, though still overlapping, with {{ wrong_share:.1% }} of the points (about 1 in
# {{ round(len(x_many) / n_wrong_side) }}) on the wrong side of the perceptron's
# boundary (dashed).

# %% [markdown]
# Any two features separate the classes only weakly: the best expected accuracy on two
# is {{ best_possible[2]:.1% }}, and a perceptron that sees only features 1 and 2 is
# right on {{ many_scores[2]:.1% }} of fresh points (95% Wilson interval
# [{{ many_low[2]:.1% }}, {{ many_high[2]:.1% }}], which holds the best expected);
# with all 20 the same model is right on {{ many_scores[20]:.1% }}
# ([{{ many_low[20]:.1% }}, {{ many_high[20]:.1% }}]; best expected
# {{ best_possible[20]:.1% }}), and the right-hand projection shows
# why. In 20 dimensions the classes were far better separated all along: the 2-D
# picture hid it. Two lessons for the pages that follow: a scatter plot of two
# features shows a shadow of the data, not the data; and the models do not need our
# pictures: they work in all $d$ dimensions at once.
#
# ## Questions
#
# **What is a feature space?** The space whose axes are the features; each observation
# is one point in it, placed by its feature values. The
# [notes'](../../notes/#lecture-41) "each observation is a
# coordinate" should read: each observation is a point, its feature values are its
# coordinates. Figure 1 placed 200 students that way.
#
# **What do the two kinds of target look like in that space?** A categorical target
# colours the points, and a classifier cuts the space into regions (figure 1: the
# pass/fail line, {{ 100 * abs(fresh_perceptron - fresh_rule):.1f }} points from the
# noise-free rule's accuracy on fresh students). A continuous target gives each point
# a height, and a regression model is a surface over the space (figure 2, off by
# {{ unit_error:.2f }} marks where the noise-free formula is off by
# {{ formula_error:.2f }}).
#
# **"In practice, we have very high dimension of feature space": what does that
# change?** We can no longer
# look at the data directly. Every picture is a projection, and figure 3 showed that
# the projection we pick decides whether the classes look mixed or mostly apart. The
# models do not care: in this run the perceptron on all 20 features beat the one on
# two by {{ 100 * (many_scores[20] - many_scores[2]):.1f }} points, and the best
# expected accuracies, computed from the clouds' formula, differ by
# {{ 100 * (best_possible[20] - best_possible[2]):.1f }}.
#
# ## Going deeper
#
# Three questions for the curious: what error to expect over all students, how much
# the fresh-sample errors move from one sample to the next, and why a model trained on
# noisy marks is expected to predict them better than the formula that made them.

# %% [markdown] tags=["deeper"]
# ### The expected errors, over all students
#
# The *expected* error, over all students the formula can produce, is an average over
# the two features and the luck $\varepsilon$. The cell computes it numerically: a mean
# over a fine grid of equally likely (sleep, study) points and, at each, over 241
# evenly spaced values of $\varepsilon$ from $-3$ to $3$ (six standard deviations each
# way), each weighted by the normal density $e^{-\varepsilon^2 / (2 \cdot 0.5^2)}$ (the
# bell curve of the luck, scaled so the weights sum to 1). The best possible
# prediction at a point is the average mark there, over the luck: for any prediction
# $c$, the mean of $(c - m)^2$ over the marks $m$ at that point is
# $(c - \bar m)^2$ plus the variance of $m$ around their average $\bar m$, smallest
# at $c = \bar m$. In the code, `@ weights` sums each row of the table of marks, one
# column per value of the luck, with those weights.


# %% tags=["deeper"]
def midpoints(low, high, n):
    return low + (high - low) * (torch.arange(n) + 0.5) / n


sleep_grid, study_grid = torch.meshgrid(
    midpoints(4, 10, 120), midpoints(0, 10, 200), indexing="ij"
)
grid = torch.stack([sleep_grid.flatten(), study_grid.flatten()], dim=1)
luck = torch.linspace(-3, 3, 241)
weights = torch.exp(-(luck**2) / (2 * 0.5**2))  # the normal density, sd 0.5
weights = weights / weights.sum()
marks = 100 * torch.sigmoid(noise_free_rule(grid) + luck)  # one row per point


def expected_rmse(predicted_mark):
    return (((predicted_mark - marks) ** 2) @ weights).mean().sqrt().item()


expected = {
    "sigmoid unit": expected_rmse(100 * predict(sigmoid_unit, grid)),
    "noise-free formula": expected_rmse(
        100 * torch.sigmoid(noise_free_rule(grid))
    ),
    "best possible": expected_rmse((marks @ weights).reshape(-1, 1)),
}
for name, error in expected.items():
    print(f"{name:19s} expected RMSE {error:.3f} marks")
unit_expected, formula_expected, best_expected = expected.values()

# %% tags=["deeper", "checks"]
assert best_expected <= unit_expected < best_expected + 0.1

# %% [markdown] tags=["deeper"]
# Over all students the unit's expected error is {{ unit_expected:.3f }} marks, the
# formula's {{ formula_expected:.3f }}, and no prediction can do better than
# {{ best_expected:.3f }}: almost all of the unit's error is the students' luck, not
# the model.

# %% [markdown] tags=["deeper"]
# ### How much the error moves from sample to sample
#
# The cell draws 200 more samples of 1000 fresh students (one seeded draw of
# 200 × 1000 students, cut into 200 pieces), and on each computes the formula's RMSE minus the sigmoid
# unit's. The unit stays the one trained above: only the test students change.

# %% tags=["deeper"]
n_samples = 200
samples = sleep_study(n_students=n_samples * 1000, seed=2)
predicted = {
    "unit": 100 * predict(sigmoid_unit, samples.features),
    "formula": 100 * torch.sigmoid(noise_free_rule(samples.features)),
}
per_sample = {}  # one RMSE per sample of 1000 students
for name, marks_hat in predicted.items():
    squared = ((marks_hat - samples.mark) ** 2).reshape(n_samples, 1000)
    per_sample[name] = squared.mean(dim=1).sqrt()
gaps = per_sample["formula"] - per_sample["unit"]
n_unit_ahead = int((gaps > 0).sum())
ahead = wilson_interval(torch.tensor([n_unit_ahead]), runs=n_samples)
gap_mean, gap_sd = gaps.mean().item(), gaps.std().item()
print(
    f"formula minus unit, over {n_samples} samples: mean {gap_mean:.3f},"
    f" standard deviation {gap_sd:.3f} marks"
)
print(
    f"the unit ahead in {n_unit_ahead} of {n_samples} samples,"
    f" 95% Wilson interval [{ahead.low.item():.1%}, {ahead.high.item():.1%}]"
)
page_gap = formula_error - unit_error
print(
    f"formula minus unit: expected {formula_expected - unit_expected:.3f},"
    f" on the page's sample {page_gap:.3f} marks"
)

# %% tags=["deeper", "checks"]
assert abs(page_gap - gap_mean) < 3 * gap_sd  # the page's gap is ordinary

# %% [markdown] tags=["deeper"]
# From one sample to the next the gap moves with a standard deviation of
# {{ gap_sd:.3f }} marks around {{ gap_mean:.3f }}, close to the expected errors'
# difference, {{ formula_expected - unit_expected:.3f }} (the cell prints both
# differences); the page's sample gave {{ page_gap:.3f }}. The unit came out ahead in {{ n_unit_ahead }} of {{ n_samples }}
# samples ({{ ahead.low.item():.1%}} to {{ ahead.high.item():.1%}}, 95% Wilson
# interval, see [the statistics primer](../07_slope_challenge/#a-short-statistics-primer)):
# usually, not always. A gap of a few hundredths of a mark on one sample says nothing by
# itself.

# %% [markdown] tags=["deeper"]
# ### Why the sigmoid unit can edge the noise-free formula
#
# The noise-free formula,
# $100\,\sigma(0.35\,\text{sleep} + 0.45\,\text{study} - 4.7)$, uses the same
# weighted sum $z$ as the pass/fail rule. The noise $\varepsilon$ sits
# *inside* the sigmoid, and for symmetric noise the average of $\sigma(z + \varepsilon)$
# lies between $\tfrac12$ and $\sigma(z)$: where $\sigma$ bends (for $z > 0$ it bends
# down), a draw up gains less than a draw down loses. So the average mark at a point
# is pulled towards 50, and the noise-free formula is a yardstick, not the best
# possible prediction.
#
# How much flatter is the average? Replace the sigmoid by the normal curve $\Phi$ of
# the many-features section, stretched to the same slope at 0:
# $\sigma(t) \approx \Phi(a t)$, where $\sigma'(0) = \tfrac14$, and the slope of $\Phi$
# at 0 is the standard normal density there, $\Phi'(0) = 1/\sqrt{2\pi}$, so the slope
# of $\Phi(at)$ at 0 is $a/\sqrt{2\pi}$ and $a = \sqrt{2\pi}/4$ and $a^2 = \pi/8$. For
# $\Phi$ the average over the luck is exact: $\Phi(a(z + \varepsilon))$ is the
# probability that a standard normal draw $N$ is below $a(z + \varepsilon)$, that is
# that $N - a\varepsilon < a z$. Two facts about independent normal draws: their
# difference is normal too, and their variances (squared standard deviations) add. So
# $N - a\varepsilon$ is normal with variance $1 + a^2 s^2$ ($s = 0.5$, the spread of
# $\varepsilon$), and dividing it by $\sqrt{1 + a^2 s^2}$ makes it a standard normal
# draw. So
#
# $$
# \mathbb E\big[\Phi(a(z + \varepsilon))\big]
# = \Phi\Big(\frac{a z}{\sqrt{1 + a^2 s^2}}\Big)
# \approx \sigma(\kappa z), \qquad \kappa = \frac{1}{\sqrt{1 + \pi s^2 / 8}}:
# $$
#
# the best prediction is close to the formula with every number inside the sigmoid
# multiplied by $\kappa$, a flatter sigmoid across the same line. The cell computes
# $\kappa$ and compares the numbers inside the unit's sigmoid with the formula's.

# %% tags=["deeper"]
kappa = 1 / (1 + torch.pi * 0.5**2 / 8) ** 0.5
print(f"kappa = {kappa:.3f}")
unit_w = sigmoid_unit[0].weight.detach()[0]
unit_b = sigmoid_unit[0].bias.item()
print("inside the sigmoid:")
print(
    f"  sigmoid unit {unit_w[0]:.3f} sleep + {unit_w[1]:.3f} study"
    f" {unit_b:+.2f}"
)
print("  formula      0.350 sleep + 0.450 study -4.70")
shrink = torch.tensor([unit_w[0] / 0.35, unit_w[1] / 0.45, unit_b / -4.7])
print(f"unit / formula: {shrink[0]:.2f}, {shrink[1]:.2f}, {shrink[2]:.2f}")
# where the two lines of 50 marks (z = 0) cross 4 h of sleep
unit_at_4 = -(unit_b + 4 * unit_w[0].item()) / unit_w[1].item()
formula_at_4 = (4.7 - 0.35 * 4) / 0.45
print(
    f"50-mark line at 4 h of sleep: unit {unit_at_4:.2f} h of study,"
    f" formula {formula_at_4:.2f} h"
)

# %% tags=["deeper", "checks"]
assert shrink.max() < kappa  # the unit flattens a little more than kappa
assert abs(unit_at_4 - formula_at_4) < 0.2  # almost the same line

# %% [markdown] tags=["deeper"]
# The approximation puts the best flattening at $\kappa =$ {{ kappa:.3f }}. From 200
# noisy students the unit found the formula's weighted sum again, each of its three
# numbers {{ shrink.min():.2f }} to {{ shrink.max():.2f }} times the formula's: almost
# the same line of 50 marks (at 4 hours of sleep it crosses {{ unit_at_4:.2f }} hours
# of study, the formula's {{ formula_at_4:.2f }}), with a sigmoid flattened a little
# more than the best, in this one training run. That fits its expected error,
# {{ unit_expected:.3f }} marks, lying between the formula's {{ formula_expected:.3f }}
# and the best possible {{ best_expected:.3f }}.

# %% [markdown]
# ## Key points
#
# - Each feature is an axis and each observation a point, placed by its feature
#   values; a data set of $n$ observations and $d$ features is an $n \times d$ matrix.
# - A classifier cuts the feature space into regions; a perceptron's boundary is a
#   straight line.
# - A regression model is a surface over the space; a sigmoid unit's contours are
#   straight, parallel lines, and its 50-mark contour is a linear boundary.
# - A 2-D picture of many features is a projection: it can hide a separation that the
#   model, working in all dimensions, finds.
#
# ## Try it
#
# **Exercise 1.** Drop a feature: train the perceptron on hours of study alone (one
# input). How much accuracy on fresh students does sleep add? Hint:
# `features[:, 1:]` keeps the table shape (n, 1) a model needs; `features[:, 1]` would
# give a flat list of n numbers.

# %% tags=["solution"]
study_only = perceptron(1, seed=0)
train(
    study_only,
    students.features[:, 1:],
    students.passed,
    epochs=300,
    loss="bce_with_logits",
    learning_rate=0.1,
    optimizer="adam",
)
study_score = accuracy(
    predict(study_only, fresh.features[:, 1:]), fresh.passed, threshold=0.0
)
print(
    f"study only: {study_score:.1%}, sleep and study: {scores['fresh'][0]:.1%}"
)

# %% tags=["solution", "checks"]
assert study_score < scores["fresh"][0]

# %% [markdown] tags=["solution"]
# With one feature the space is a line and the boundary a single threshold on hours of
# study; sleep moves a student's chances too, so ignoring it costs accuracy
# ({{ study_score:.1% }} with study alone, {{ fresh_perceptron:.1% }} with both): sleep
# adds {{ 100 * (fresh_perceptron - study_score):.1f }} points, in one training run of
# each model.

# %% [markdown]
# **Exercise 2.** Turn the regression model into a classifier: predict "pass" when its
# predicted mark is at least 50. How accurate is it on the fresh students, compared with
# the perceptron trained on pass/fail?

# %% tags=["solution"]
predicted_pass = (100 * predict(sigmoid_unit, fresh.features) >= 50).float()
from_marks = (predicted_pass == fresh.passed).float().mean().item()
print(
    f"mark >= 50: {from_marks:.1%}, "
    f"perceptron on pass/fail: {scores['fresh'][0]:.1%}"
)

# %% tags=["solution", "checks"]
assert abs(from_marks - scores["fresh"][0]) < 0.03

# %% [markdown] tags=["solution"]
# The 50-mark contour of figure 2 is a straight line, so this rule is a linear
# classifier too, learned without ever being told pass or fail: {{ from_marks:.1% }}
# on the fresh students, against {{ fresh_perceptron:.1% }} for the perceptron trained
# on pass/fail (one training run each).

# %% [markdown]
# **Exercise 3 (pencil and paper).** A perceptron on this page's two features computes
# $z = -10 + 1 \cdot \text{sleep} + 2 \cdot \text{study}$ (hours) and predicts "pass"
# when $z > 0$. Does a student with 7 hours of sleep and 2 of study pass? How many
# hours of study does a student with 5 hours of sleep need? Draw the boundary in the
# (sleep, study) plane: where does it cross the two axes? Check the first two answers
# with `torch`.

# %% tags=["solution"]
pencil_w, pencil_b = torch.tensor([1.0, 2.0]), -10.0  # (sleep, study)
z_student = torch.tensor([7.0, 2.0]) @ pencil_w + pencil_b
study_needed = (0 - pencil_b - pencil_w[0].item() * 5.0) / pencil_w[1].item()
print(f"z = {z_student.item():.1f}: {'pass' if z_student > 0 else 'fail'}")
print(f"with 5 h of sleep: more than {study_needed:.1f} h of study")

# %% tags=["solution", "checks"]
assert z_student > 0 and abs(study_needed - 2.5) < 1e-9

# %% [markdown] tags=["solution"]
# $z = -10 + 7 + 2 \cdot 2 = 1 > 0$: a pass, just. With 5 hours of sleep,
# $-10 + 5 + 2 \cdot \text{study} > 0$ needs more than {{ study_needed:.1f }} hours of
# study. The boundary $\text{sleep} + 2\,\text{study} = 10$ crosses the sleep axis at
# 10 hours (with no study) and the study axis at 5 hours (with no sleep, far outside
# the data's 4 to 10 hours of sleep, so only a point for drawing the line): one hour of
# study is worth two of sleep to this perceptron, the ratio of its two weights.

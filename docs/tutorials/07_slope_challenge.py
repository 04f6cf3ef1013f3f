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
# # 7. The slope challenge

# %% [markdown] tags=["header"]
# **Lecture 46** of the course ([the notes' passage](../../notes/#lecture-46)).
# The notes vary the data's slope $m$ (21 slopes, 50 runs each, a one-unit ReLU
# network trained 500 epochs), plot the mean correlation and the mean final
# loss against $m$, blame the loss curve on the variance of $y$, suggest
# normalizing, and count an undefined correlation as 0.
#
# After this page you can:
#
# - give a share of runs with its Wilson interval, test it for a trend, and
#   read a p-value;
# - explain both curves, and what a dead ReLU unit does to them;
# - say what standardizing $y$ changes, and what it does not.

# %% [markdown]
# ## The idea
#
# Each run draws its own $n = 50$ points and trains a fresh 1-1-1 network, one
# hidden [ReLU](../../glossary/#relu) unit between two linear layers:
#
# $$
# y_i = m\,x_i + \tfrac12\,\varepsilon_i, \quad x_i, \varepsilon_i \sim
# \mathcal N(0, 1) \text{ independent};
# \qquad
# \hat y = v \,\max(0,\; w x + b) + c .
# $$
#
# Training: [mean squared error](../../glossary/#mse), full-batch
# [SGD](../../glossary/#sgd), [learning rate](../../glossary/#learning-rate)
# 0.01, 500 [epochs](../../glossary/#epoch). A run scores its **final loss**
# $L = \frac1n \sum_i (\hat y_i - y_i)^2$ and Pearson's
# [correlation](../../glossary/#correlation) $r(\hat y, y)$: how close to a
# straight line the points $(\hat y_i, y_i)$ lie ($r$ near 1: a rising line,
# near $-1$: a falling one, near 0: no linear relation).
#
# What the true line $m x$ achieves. The variance
# $\operatorname{Var}(a)$ is the mean of $(a - \bar a)^2$, the covariance
# $\operatorname{Cov}(a, b)$ the mean of $(a - \bar a)(b - \bar b)$ (so
# $\operatorname{Var}(a) = \operatorname{Cov}(a, a)$), and
# $r = \operatorname{Cov}(a, b) / \sqrt{\operatorname{Var}(a)
# \operatorname{Var}(b)}$. Over the whole population of points, variances of
# independent terms add, so $\operatorname{Var}(y) = m^2 + \tfrac14$. The
# noise is unpredictable, so the true line's expected loss on new data is
# $\tfrac14$ *at every slope*. Its covariance with $y$ is
# $\operatorname{Cov}(m x, m x + \tfrac12 \varepsilon) = m^2
# \operatorname{Var}(x) + \tfrac m2 \operatorname{Cov}(x, \varepsilon) = m^2$
# and its standard deviation $|m|$, so the true line's correlation with $y$
# (population) is
#
# $$
# \rho(m) = \frac{m^2}{|m| \sqrt{m^2 + \tfrac14}}
#         = \frac{|m|}{\sqrt{m^2 + \tfrac14}} ,
# $$
#
# 0 at $m = 0$, $2 / \sqrt{4.25} \approx 0.97$ at $|m| = 2$. These are
# population values, not bounds on one run: a network fitted to its own 50
# points can land above $\rho(m)$ in $r$ and below $\tfrac14$ in loss. The
# least-squares line of each data set (page 6) is the lowest loss any straight
# line reaches there, a little below $\tfrac14$.

# %% [markdown]
# ## The experiment
#
# `slope_challenge` runs the lecture's set-up (its default). Every run draws
# its data and initial weights from its own [seed](../../glossary/#seed); all
# networks train at once as one batch. The result holds arrays of shape
# (slopes, runs).

# %%
import math

import matplotlib.pyplot as plt
import torch
from matplotlib.ticker import NullFormatter, ScalarFormatter

from annlab.data import regression_data
from annlab.many_runs.experiments import slope_challenge
from annlab.many_runs.statistics import wilson_interval
from annlab.many_runs.trainer import train_many
from annlab.metrics import least_squares
from annlab.plots.colors import COLORS
from annlab.plots.experiments import plot_slope_challenge
from annlab.training import predict

lecture_slopes = torch.linspace(-2, 2, 21)  # the lecture's 21 slopes
challenge = slope_challenge(lecture_slopes, runs=50, epochs=500, seed=0)

slopes = challenge.slopes.round(decimals=1) + 0.0  # 0.0, not -0.0
n_slopes, n_runs = challenge.final_loss.shape
print(
    f"{n_slopes} slopes x {n_runs} runs = {n_slopes * n_runs} trainings "
    f"of {challenge.epochs} epochs"
)
print("runs whose loss diverged:", int(challenge.diverged.sum()))

best_correlation = slopes.abs() / (slopes**2 + 0.25).sqrt()  # rho(m)
print(
    "least-squares loss, mean over all runs: "
    f"{challenge.least_squares_loss.mean():.3f}"
)

# %% tags=["checks"]
assert (n_slopes, n_runs, challenge.epochs) == (21, 50, 500)
assert not challenge.diverged.any()
assert 0.22 < challenge.least_squares_loss.mean() < 0.25

# %% [markdown]
# `plot_slope_challenge` draws each slope's median (the middle value: half
# the runs lie below it) and the band from the 10% to the 90% quantile (the
# values 10% and 90% of the runs lie below). A constant prediction has no
# correlation (see
# [Dead units](#dead-units)) and is left out of the left panel.

# %% alt="Left: the correlation of prediction and target against the slope, a V shape: the median is near 0 at slope 0 and reaches {{ median_r[0]:.2f }} and {{ median_r[-1]:.2f }} at slopes −2 and 2, just under the dotted curve of the true line's correlation ρ(m); its band is wide near slope 0 and dips below 0 there. Right: the final loss on a logarithmic axis, also a V: the median goes from {{ median_loss[mid]:.2f }} at slope 0 to about {{ median_loss[0]:.1f }} and {{ median_loss[-1]:.1f }} at slopes −2 and 2, while the dashed least-squares loss stays close to the dotted line at ¼, the true line's expected loss on new data ({{ challenge.least_squares_loss.mean():.2f }} on average); the upper edge of the band climbs to about {{ top_loss[0]:.1f }} and {{ top_loss[-1]:.1f }} at slopes −2 and 2, and the notes' mean loss, a line of squares, lies above the median at every slope, {{ mean_loss[mid]:.2f }} at slope 0 and {{ mean_loss[0]:.2f }} and {{ mean_loss[-1]:.2f }} at slopes −2 and 2."
mid = n_slopes // 2  # slope 0
ends = [0, n_slopes - 1]  # slopes -2 and 2
median_r = challenge.correlation.nanmedian(1).values
median_loss = challenge.final_loss.median(1).values
mean_loss = challenge.final_loss.mean(1)  # what the notes plot
top_loss = challenge.final_loss.quantile(0.9, dim=1)  # the band's upper edge
alive = ~challenge.correlation.isnan()
live_fewest, live_most = int(alive.sum(1).min()), int(alive.sum(1).max())
fig, (ax_r, ax_loss) = plt.subplots(
    1, 2, figsize=(11, 4.2), layout="constrained"
)
plot_slope_challenge(challenge, quantity="correlation", ax=ax_r)
ax_r.plot(
    slopes,
    best_correlation,
    ":",
    color=COLORS["green"],
    label="true line (population), ρ(m)",
)
ax_r.set_title(
    f"{live_fewest}–{live_most} non-constant runs per slope; band: 10–90%"
)
ax_r.set_ylim(-0.45, 1.02)  # room for the legend below the band
ax_r.legend(loc="lower left")
plot_slope_challenge(challenge, quantity="loss", ax=ax_loss)
ax_loss.plot(
    slopes,
    mean_loss,
    marker="s",
    color=COLORS["vermillion"],
    label="the notes (mean)",
)
ax_loss.axhline(
    0.25,
    color=COLORS["green"],
    linestyle=":",
    label="true line on new data, ¼",
)
ax_loss.set_yscale("log")
ax_loss.yaxis.set_major_formatter(ScalarFormatter())
ax_loss.yaxis.set_minor_formatter(NullFormatter())
ax_loss.set_yticks([0.2, 0.5, 1, 2, 4])
ax_loss.set_ylim(top=14)  # room for the legend above the band
ax_loss.legend(loc="upper center", ncols=2, fontsize="small")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 1.** The notes' experiment. Left: correlation per slope, median
# and 10–90% band of the non-constant runs (a dead unit's $r$ is undefined),
# with the true line's $\rho(m)$. Right (log axis): final loss per slope,
# median and 10–90% band of all {{ n_runs }} runs, the notes' mean, the
# least-squares loss, and the true line's expected loss ¼ on new data.

# %%
for k in [0, mid, n_slopes - 1]:
    print(
        f"m = {slopes[k]:+.1f}: median correlation {median_r[k]:6.3f} "
        f"(true line {best_correlation[k]:.3f}), median loss "
        f"{median_loss[k]:.3f}, least squares "
        f"{challenge.least_squares_loss[k].median():.3f}"
    )
print(
    f"mean loss (the notes' curve): m = -2.0 {mean_loss[0]:.2f}, "
    f"m = +0.0 {mean_loss[mid]:.2f}, m = +2.0 {mean_loss[-1]:.2f}"
)

# %% tags=["checks"]
assert abs(median_r[mid]) < 0.15 and (median_r[ends] > 0.9).all()
assert (median_r[ends] < best_correlation[ends]).all()
assert 0.2 < median_loss[mid] < 0.27 and (median_loss[ends] > 0.4).all()
assert (median_loss[ends] > 1.8 * median_loss[mid]).all()
assert (mean_loss > median_loss).all() and median_loss[mid] < 0.25
assert median_r[mid] > 0

# %% [markdown]
# **The correlation curve** follows the data: at $m = 0$ there is nothing to
# learn and the runs scatter around 0 (median {{ median_r[mid]:.3f }}, above
# $\rho(0) = 0$: fitted to its own points, a run's $r$ can exceed the
# population value, as its loss, median {{ median_loss[mid]:.3f }}, can fall
# below ¼); as $|m|$ grows the medians follow
# $\rho(m)$, a little below it ({{ median_r[0]:.3f }} and
# {{ median_r[-1]:.3f }} at $m = -2$ and $2$, against
# {{ best_correlation[-1]:.3f }}).
#
# **The loss curve** the data alone do not explain: the least-squares loss is
# near $\tfrac14$ ({{ challenge.least_squares_loss.mean():.3f }} on average),
# while the network's median loss at $m = -2$ and $2$
# ({{ median_loss[0]:.3f }} and {{ median_loss[-1]:.3f }}) is
# {{ median_loss[0] / median_loss[mid]:.1f }} and
# {{ median_loss[-1] / median_loss[mid]:.1f }} times its value at $m = 0$
# ({{ median_loss[mid]:.3f }}). A
# larger variance of $y$ costs loss only where the model *fails to explain* it;
# the page finds two such failures: units that die, and hinges not yet
# straight. The notes' curve, the mean loss, lies above the median at every
# slope (dead units, next section).

# %% [markdown]
# ## Dead units
#
# If $w x_i + b \le 0$ on all 50 points, the unit outputs 0 everywhere and the
# network predicts the constant $c$. The gradients for $w$, $b$ and $v$ carry a
# factor of the unit's output or its ReLU slope, both 0: the unit is
# [dead](../../glossary/#dead-unit) for good. $c$ learns the mean of $y$, so
# the loss is $y$'s variance, about $m^2 + \tfrac14$, and the correlation is
# $0/0$, NaN. `slope_challenge` counts these runs in `constant_predictions`.

# %%
dead = challenge.correlation.isnan()  # constant prediction: a dead unit
n_total = n_slopes * n_runs
n_dead = int(dead.sum())
print(
    "runs with a dead unit, per slope:",
    challenge.constant_predictions.tolist(),
)
print(f"in all: {n_dead} of {n_total} runs")

# %% tags=["checks"]
assert torch.equal(dead.sum(1), challenge.constant_predictions)
assert torch.equal(dead, ~alive)

# %% [markdown]
# ## A short statistics primer
#
# How often does a unit die? This page and the next ones answer such
# questions with the tools below.
#
# **A share of runs.** If $k$ of $n$ independent runs show something (a dead
# unit), $\hat p = k / n$ estimates the probability $p$ that a run shows it;
# by chance alone it moves by about its standard error $\sqrt{p(1 - p)/n}$.
# The **95% Wilson interval** holds the values of $p$ the data do not rule
# out: those with $|\hat p - p| \le z \sqrt{p (1 - p) / n}$, $z = 1.96$
# ($\Pr(|Z| \le 1.96) = 0.95$ for a standard normal $Z$). Squared, this is a
# quadratic in $p$; its two roots are the interval's ends:
#
# $$
# p = \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p (1 - \hat p)}{n}
#     + \frac{z^2}{4 n^2}}}{1 + \frac{z^2}{n}} .
# $$
#
# A 95% interval is one that contains the true $p$ in about that share of
# many repeated experiments (approximately: the share of repeats whose
# interval contains $p$ comes close to that level, not exactly to it). Unlike
# $\hat p \pm 1.96$ standard errors, it stays in
# $[0, 1]$ and is not a point when $k = 0$ or $k = n$. `wilson_interval`
# computes it:

# %%
share = wilson_interval(torch.tensor(n_dead), n_total)
print(
    f"dead units: {n_dead} of {n_total} runs = {share.rate:.1%}, "
    f"95% interval [{share.low:.1%}, {share.high:.1%}]"
)
at_zero = wilson_interval(challenge.constant_predictions[mid], n_runs)
print(
    f"at m = 0 alone: {int(challenge.constant_predictions[mid])} of "
    f"{n_runs} = {at_zero.rate:.0%}, [{at_zero.low:.1%}, {at_zero.high:.1%}]"
)
none = wilson_interval(torch.tensor(0), n_runs)
print(f"had none of {n_runs} runs died: 0%, [{none.low:.1%}, {none.high:.1%}]")

# %% tags=["checks"]
assert 0.2 < share.rate < 0.33
assert none.low == 0 and none.high > 0.05

# %% [markdown]
# All {{ n_total }} runs give an interval
# {{ 100 * (share.high - share.low):.1f }} percentage points wide, one slope's
# {{ n_runs }} runs (at $m = 0$) one
# {{ 100 * (at_zero.high - at_zero.low):.1f }} points wide; and 0 of
# {{ n_runs }} would not mean "never".
#
# Whether a share changes from one setting to the next (here: with the slope)
# is a question for a trend test. The test, and what its p-value does and does
# not say, are the primer's second half, in Going deeper: [The trend test and
# the p-value](#the-trend-test-and-the-p-value).

# %% [markdown]
# ## What the notes' NaN → 0 does
#
# The notes replace every NaN by 0 before averaging
# (`result[torch.isnan(result)] = 0`). Where a share $p$ of the runs is dead,
# their mean correlation is then exactly $(1 - p)$ times the live runs' mean.
# [`mean_correlation`](../../api/many_runs/experiments/#annlab.many_runs.experiments.SlopeChallenge.mean_correlation)
# computes both means.

# %%
notes_mean = challenge.mean_correlation(nan_as_zero=True)
live_mean = challenge.mean_correlation()
p_dead = challenge.constant_predictions / n_runs
print("slope   notes' mean r   mean r of live runs   dead runs")
for k in range(0, n_slopes, 4):
    print(
        f"{slopes[k]:+5.1f} {notes_mean[k]:12.3f} {live_mean[k]:17.3f}"
        f" {int(challenge.constant_predictions[k]):11d}"
    )
gap = live_mean - notes_mean
print(f"largest gap between the two means: {gap.max():.3f}")
print(f"live runs per slope: {live_fewest} to {live_most} of {n_runs}")

live_median = challenge.final_loss[-1][alive[-1]].median()
print(
    f"loss at m = 2: mean {mean_loss[-1]:.2f} (the notes' curve), "
    f"median {median_loss[-1]:.2f}, median of live runs {live_median:.2f}"
)
dead_variance = challenge.final_loss[-1][dead[-1]].mean()  # = Var(y)
print(f"loss of the dead runs at m = 2, mean: {dead_variance:.2f}")

# %% tags=["checks"]
assert torch.allclose(notes_mean, (1 - p_dead) * live_mean, atol=1e-6)
assert (gap[ends] > 0.15).all()
assert mean_loss[-1] > 2 * median_loss[-1]
assert dead_variance > 6 * live_median

# %% alt="Left: mean correlation against slope. The mean over the live runs of each slope ({{ live_fewest }} to {{ live_most }} of its {{ n_runs }}) is a smooth V that reaches {{ live_mean[0]:.2f }} and {{ live_mean[-1]:.2f }} at slopes −2 and 2, just under the dotted curve of the true line's ρ(m); the notes' mean over all {{ n_runs }} runs, which counts dead runs as 0, is a jagged V below it, the live mean times the share of live runs, {{ notes_mean[0]:.2f }} and {{ notes_mean[-1]:.2f }} at slopes −2 and 2. Right: the share of runs with a dead unit per slope, zigzagging between {{ p_dead.min():.2f }} and {{ p_dead.max():.2f }}, each with a 95% Wilson band about {{ (dead_rate.high - dead_rate.low).mean():.2f }} wide."
dead_rate = wilson_interval(challenge.constant_predictions, n_runs)
fig, (ax_mean, ax_dead) = plt.subplots(
    1, 2, figsize=(11, 4), layout="constrained"
)
ax_mean.plot(
    slopes,
    live_mean,
    marker="o",
    color=COLORS["blue"],
    label=f"mean of the live runs ({live_fewest}–{live_most})",
)
ax_mean.plot(
    slopes,
    notes_mean,
    marker="s",
    color=COLORS["vermillion"],
    label=f"the notes: mean of all {n_runs}, NaN as 0",
)
ax_mean.plot(
    slopes,
    best_correlation,
    ":",
    color=COLORS["green"],
    label="true line (population), ρ(m)",
)
ax_mean.set(
    xlabel="slope m of the data",
    ylabel="mean correlation",
    title=f"mean per slope: live runs, or all {n_runs} runs",
)
ax_mean.set_ylim(-0.38, 1.02)  # room for the legend below the curves
ax_mean.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1])
ax_mean.legend(loc="lower left", fontsize="small")

ax_dead.fill_between(
    slopes,
    dead_rate.low,
    dead_rate.high,
    color=COLORS["vermillion"],
    alpha=0.2,
)
ax_dead.plot(
    slopes,
    dead_rate.rate,
    marker="o",
    color=COLORS["vermillion"],
    label="dead after 500 epochs (band: 95% interval)",
)
ax_dead.set(
    xlabel="slope m of the data",
    ylabel="share of runs",
    ylim=(0, 0.6),
    title=f"dead hidden unit, {n_runs} runs per slope",
)
ax_dead.legend(loc="upper left")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 2.** Left: mean correlation per slope, over the live runs only
# ({{ live_fewest }} to {{ live_most }} of the {{ n_runs }}, blue) and, as the
# notes count it, over all {{ n_runs }} with a dead run's NaN as 0
# (vermillion). Right: the share of dead units per slope, with its
# 95% interval.

# %% [markdown]
# The notes' mean falls below the live runs' by up to {{ gap.max():.3f }}: it
# measures survival as much as fit. The mean loss suffers more: a dead run at
# $m = 2$ loses its $y$'s whole variance, on average {{ dead_variance:.2f }},
# {{ dead_variance / live_median:.1f }} times a live run's median loss
# ({{ live_median:.2f }}), which lifts the mean loss there to
# {{ mean_loss[-1]:.2f }}, {{ mean_loss[-1] / median_loss[-1]:.1f }} times the
# median. Report the share of dead runs, with its interval, apart from the live
# runs' scores.

# %% [markdown]
# ## Does standardizing $y$ help?
#
# The notes suggest normalizing so that the losses become comparable.
# `standardize=True` rescales each data set's $y$ to mean 0 and standard
# deviation 1 ([standardizing](../../glossary/#standardizing)). The loss is
# then the **fraction of $y$'s variance left unexplained**: for a dead run
# $49/50$ (`standardize` divides by the *sample* standard deviation, which
# averages the squared deviations over $n - 1$ instead of $n$, PyTorch's
# default; the loss averages over $n$, so a constant prediction at the mean
# leaves $(n - 1)/n = 49/50$); for the least-squares line about
# $\tfrac14 / (m^2 + \tfrac14)$: near 1 at $m = 0$,
# $\tfrac14 / 4\tfrac14 \approx 0.06$ at $|m| = 2$.

# %%
standardized = slope_challenge(standardize=True, seed=0)
std_alive = ~standardized.correlation.isnan()
std_median = standardized.final_loss.median(1).values
std_best = standardized.least_squares_loss.median(1).values
for k in [0, mid, n_slopes - 1]:
    print(
        f"m = {slopes[k]:+.1f}: median standardized loss "
        f"{std_median[k]:.3f}, least squares {std_best[k]:.3f}"
    )
std_dead = ~std_alive
n_std_dead = int(std_dead.sum())
std_share = wilson_interval(torch.tensor(n_std_dead), n_total)
print(
    f"dead runs: {n_std_dead} of {n_total} = {std_share.rate:.1%}, "
    f"[{std_share.low:.1%}, {std_share.high:.1%}] "
    f"(unstandardized: {n_dead}, [{share.low:.1%}, {share.high:.1%}])"
)
n_changed = int((std_dead != dead).sum())  # dead in one set-up only
print(
    f"  dead in both: {int((std_dead & dead).sum())}, only standardized: "
    f"{int((std_dead & ~dead).sum())}, only unstandardized: "
    f"{int((dead & ~std_dead).sum())}; changed: {n_changed}"
)
unexplained = 0.98 * (1 - standardized.correlation**2)
excess = (standardized.final_loss - unexplained)[std_alive]
print(f"live runs: loss - 0.98(1 - r²): median {excess.median():.4f}")
std_live_ratio = (
    (standardized.final_loss / standardized.least_squares_loss)
    .masked_fill(~std_alive, float("nan"))
    .nanmedian(1)
    .values
)
print(
    "live runs, median of loss / least squares: "
    f"m = -2 {std_live_ratio[0]:.2f}, m = 2 {std_live_ratio[-1]:.2f}"
)

# %% tags=["checks"]
assert std_median[mid] > 0.9
assert (std_median[ends] > 2 * std_best[ends]).all()
assert (std_best[ends] < 0.1).all()
dead_std_loss = standardized.final_loss[std_dead]
assert torch.allclose(dead_std_loss, torch.tensor(0.98), atol=1e-4)
assert excess.median() < 0.01 and excess.min() > -1e-4

# %% alt="Left: the standardized final loss against the slope, an upside-down V: the median is {{ std_median[mid]:.2f }} at slope 0 and {{ std_median[0]:.2f }} and {{ std_median[-1]:.2f }} at slopes −2 and 2; the dashed least-squares curve has the same shape but goes lower, to {{ std_best[0]:.2f }} and {{ std_best[-1]:.2f }}; the band's top edge stays on the dotted line of a constant prediction at 0.98 for every slope. Right: each live run's standardized loss against 0.98 times one minus its squared correlation: almost all points lie on the diagonal, a few above it."
fig, (ax_std, ax_diag) = plt.subplots(
    1, 2, figsize=(11, 4.2), layout="constrained"
)
plot_slope_challenge(standardized, quantity="loss", ax=ax_std)
ax_std.axhline(
    0.98,
    color=COLORS["vermillion"],
    linestyle=":",
    label="constant prediction (dead unit)",
)
ax_std.set_ylim(-0.4, 1.05)  # room for the legend below the band
ax_std.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1])  # a loss is never negative
ax_std.legend(loc="lower center", fontsize="small")

ax_diag.scatter(
    unexplained[std_alive],
    standardized.final_loss[std_alive],
    s=8,
    alpha=0.5,
    color=COLORS["blue"],
)
ax_diag.plot([0, 1], [0, 1], "--", color=COLORS["grey"], label="equality")
ax_diag.set(
    xlabel="0.98 · (1 − r²) of the run",
    ylabel="final loss (MSE, standardized y)",
    title=f"{int(std_alive.sum())} live runs, one point each",
)
ax_diag.legend()
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 3.** Left: the standardized final loss per slope (median, 10–90%
# band). Right: each live run's standardized loss against
# $\frac{49}{50}(1 - r^2)$.

# %% [markdown]
# Standardizing does not flatten the curve: it turns it upside down. Raw, the
# loss is what the model leaves unexplained, in units of $y^2$: about the noise's
# $\tfrac14$ wherever the model fits, more where it fails; standardized, it is the
# share of $y$'s variance left unexplained, all of it at $m = 0$.
#
# On the live runs the standardized loss is $\frac{49}{50}(1 - r^2)$ (median
# gap {{ excess.median():.4f }}): once $v$ and $c$ have settled, they are the
# least-squares fit of $y$ on the unit's output $h$, which leaves the share
# $1 - r^2$ unexplained: page 6's best slope $\operatorname{Cov}(h, y) /
# \operatorname{Var}(h)$ leaves the mean squared error
# $\operatorname{Var}(y) - \operatorname{Cov}(h, y)^2 / \operatorname{Var}(h)
# = \operatorname{Var}(y)\,(1 - r^2)$, since
# $r = \operatorname{Cov}(h, y) / \sqrt{\operatorname{Var}(h) \operatorname{Var}(y)}$.
# Loss and correlation then carry the *same*
# information. Still, the live runs' median loss is {{ std_live_ratio[0]:.1f }}
# and {{ std_live_ratio[-1]:.1f }} times the best line's at $m = -2$ and $2$.
#
# Standardizing hardly changes which units die: {{ n_std_dead }} of
# {{ n_total }} runs, {{ std_share.rate:.1% }} [{{ std_share.low:.1% }},
# {{ std_share.high:.1% }}], against {{ n_dead }}, [{{ share.low:.1% }},
# {{ share.high:.1% }}], unstandardized. The runs have the same $x$ and
# initial weights, so the units dead at the start are the same. During
# training the gradients grow with the errors, and standardizing divides $y$
# by its standard deviation, about $\sqrt{m^2 + \tfrac14}$: it doubles $y$
# at $m = 0$ and about halves it at $|m| = 2$. Yet only {{ n_changed }} of the
# {{ n_total }} runs change status ({{ int((std_dead & ~dead).sum()) }} die
# only standardized, {{ int((dead & ~std_dead).sum()) }} only
# unstandardized): the size of $y$, and of the steps it drives, is not what
# decides which units die.

# %% [markdown]
# ## What shapes the loss: the hinge
#
# With $w > 0$, the network's function is a **hinge**:
#
# $$
# \hat y = v\max(0, w x + b) + c =
# \begin{cases}
#   c & x \le k \\
#   c + v w\,(x - k) & x > k
# \end{cases}
# \qquad k = -\frac{b}{w} ,
# $$
#
# flat left of the kink $k$, a line of slope $vw$ right of it (mirrored for
# $w < 0$). On the flat side it predicts one number while the data follow
# $m x$: there the error grows like $m^2$. With all 50 points on the active
# side of the kink ($x_i > k$ for $w > 0$) the hinge *is* a line on them; with
# all on the flat side the unit is dead; in between, only points on the active
# side send gradient to $w$ and $b$.
#
# To look inside runs we need their networks, which `slope_challenge` does not
# keep. Its docstring gives its seeds (data $2i$, weights $2i + 1$ for run
# $i$), so we train the same runs again with `regression_data` and
# `train_many`. Each is the notes' `ANNRegression` stack:


# %%
def challenge_runs(slopes, runs_per_slope, seed=0):
    """slope_challenge's runs, trained again: their data and networks."""
    slope_of_run = slopes.repeat_interleave(runs_per_slope)
    data = [
        regression_data(float(m), n_points=50, seed=seed + 2 * i)
        for i, m in enumerate(slope_of_run)
    ]
    x = torch.stack([d[0] for d in data])  # (runs, 50, 1): a data set a run
    y = torch.stack([d[1] for d in data])
    trained = train_many(
        [1, 1, 1],
        x,
        y,
        seeds=[seed + 2 * i + 1 for i in range(len(data))],
        learning_rates=0.01,
        epochs=500,
        loss="mse",
    )
    return x, y, trained


x, y, runs = challenge_runs(challenge.slopes, n_runs)
# runs holds every run's final weights and biases, per layer: weights[0] is
# (runs, 1, 1), the hidden unit's w; weights[1] the output's v. runs.start and
# runs.end hold each run's state before and after training, e.g.
# runs.end.active_fractions[0]: (runs, 1), the share of points where the
# first hidden layer's unit is active. runs.model(i) is run i as a network.
var_y = y[:, :, 0].var(1, correction=0).view(n_slopes, n_runs)
print(runs.model(0))

# %% tags=["checks"]
assert torch.equal(
    runs.final_loss.view(n_slopes, n_runs), challenge.final_loss
)
assert torch.allclose(challenge.final_loss[dead], var_y[dead], rtol=1e-4)

# %% [markdown]
# Figure 4 draws single runs with `predict` beside their least-squares line,
# and trains the $m = 2$ run on to 5000 epochs, to see where its kink goes.


# %%
def median_live_run(k):
    """Index (over all runs) of slope k's live run with median loss."""
    losses = challenge.final_loss[k].masked_fill(dead[k], float("nan"))
    return k * n_runs + int(losses.nanmedian(0).indices)


def kink(model):
    """Where w·x + b = 0: the hinge's corner."""
    return -model[0].bias.item() / model[0].weight.item()


active_end = runs.end.active_fractions[0][:, 0].view(n_slopes, n_runs)
i_two, i_zero = median_live_run(n_slopes - 1), median_live_run(mid)
i_dead = (n_slopes - 1) * n_runs + int(dead[-1].float().argmax())
longer = train_many(
    [1, 1, 1],
    x[i_two],
    y[i_two],
    seeds=[2 * i_two + 1],
    learning_rates=0.01,
    epochs=5000,
    loss="mse",
)
hinge_500, hinge_5000 = runs.model(i_two), longer.model(0)

flat_500 = 1 - active_end.view(-1)[i_two]
flat_5000 = 1 - longer.end.active_fractions[0][0, 0]
print(
    f"m = 2, median live run: kink at x = {kink(hinge_500):+.2f} after "
    f"500 epochs, {kink(hinge_5000):+.2f} after 5000"
)
print(f"  flat on {flat_500:.0%} of the points, then {flat_5000:.0%}")
ls_two = least_squares(x[i_two], y[i_two]).mse
print(
    f"  loss {runs.final_loss[i_two]:.3f}, then "
    f"{longer.final_loss[0]:.3f}; least squares {ls_two:.3f}"
)
flat_zero = 1 - active_end.view(-1)[i_zero]
print(f"m = 0, median live run: flat on {flat_zero:.0%} of the points")

# %% tags=["checks"]
assert flat_5000 < flat_500
assert longer.final_loss[0] < runs.final_loss[i_two]
# the prose: its flat side is on the right
assert hinge_500[0].weight.item() < 0


# %% alt="Three scatter plots of 50 points each with fitted curves. Left, slope 2: the points rise steeply along the solid least-squares line; the network after 500 epochs is a hinge that follows the line up to x ≈ {{ kink(hinge_500):.1f }} and is flat beyond it, on the rightmost points (circled); after 5000 epochs its kink has moved to x ≈ {{ kink(hinge_5000):.1f }}, near the right edge of the data, and it almost lies on the least-squares line. Middle, slope 2, a dead run: the network is a horizontal line at the mean of y, far from most points. Right, slope 0: a shapeless cloud; the least-squares line is nearly flat, and the hinge, flat on {{ flat_zero:.0% }} of the points, is hardly different from it."
def draw_run(ax, i, models, title):
    fit = least_squares(x[i], y[i])
    grid = torch.linspace(x[i].min(), x[i].max(), 400).view(-1, 1)
    ax.scatter(x[i], y[i], s=14, color=COLORS["grey"], label="data")
    ax.plot(
        grid,
        fit.slope * grid + fit.intercept,
        color=COLORS["blue"],
        label="least-squares line",
    )
    for (name, model), style in zip(models, ["-", "--"], strict=False):
        ax.plot(
            grid,
            predict(model, grid),
            style,
            color=COLORS["orange"],
            linewidth=2,
            label=name,
        )
    ax.set(xlabel="x", ylabel="y", title=title)


fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), layout="constrained")
draw_run(
    axes[0],
    i_two,
    [
        ("network, 500 epochs", hinge_500),
        ("same run, 5000 epochs", hinge_5000),
    ],
    "m = 2: a live run (median loss)",
)
flat = predict(hinge_500[:2], x[i_two])[:, 0] == 0  # hidden unit off
axes[0].scatter(
    x[i_two][flat],
    y[i_two][flat],
    s=40,
    facecolors="none",
    edgecolors=COLORS["vermillion"],
    label="on the flat side at 500",
)
axes[0].legend(loc="upper left", fontsize="small")
draw_run(
    axes[1],
    i_dead,
    [("network: dead unit", runs.model(i_dead))],
    "m = 2: a dead run",
)
axes[1].legend(loc="upper left", fontsize="small")
draw_run(
    axes[2],
    i_zero,
    [("network, 500 epochs", runs.model(i_zero))],
    "m = 0: a live run (median loss)",
)
axes[2].legend(loc="upper left", fontsize="small")
plt.show()

# %% [markdown] tags=["caption"]
# **Figure 4.** One run per panel: at $m = 2$ the median live run (flat-side
# points circled) and a dead run; at $m = 0$ the median live run.

# %% [markdown]
# The live run at $m = 2$ has its kink inside the data, and its loss comes
# from the flat stretch, on the right since its
# $w = {{ hinge_500[0].weight.item():.2f }}$ is negative (the mirrored
# hinge). Trained ten times longer, its kink moves from
# {{ kink(hinge_500):.2f }} to {{ kink(hinge_5000):.2f }}, the flat share falls
# from {{ flat_500:.0% }} to {{ flat_5000:.0% }}, and the loss from
# {{ runs.final_loss[i_two]:.3f }} to {{ longer.final_loss[0]:.3f }} (the
# line: {{ ls_two:.3f }}). Going deeper measures the flat share over all live
# runs.
#
# The test of the explanation: the same network without the ReLU
# (`hidden_activation="identity"`), $\hat y = v(wx + b) + c$, a straight line
# with no kink and no unit to die.

# %%
linear = slope_challenge(hidden_activation="identity", seed=0)
linear_ratio = linear.final_loss / linear.least_squares_loss
relu_ratio = challenge.final_loss / challenge.least_squares_loss
linear_worst = linear_ratio.median(1).values.max()
print(
    "no ReLU: constant predictions",
    int(linear.constant_predictions.sum()),
    f"; median loss / least squares, worst slope {linear_worst:.4f}",
)
live_500 = relu_ratio.masked_fill(dead, float("nan")).nanmedian(1).values
print(
    f"ReLU, 500 epochs, live runs: median loss / least squares at "
    f"m = -2: {live_500[0]:.2f}, m = 0: {live_500[mid]:.2f}, "
    f"m = 2: {live_500[-1]:.2f}"
)

# %% tags=["checks"]
assert linear.constant_predictions.sum() == 0
assert linear_worst < 1.01
assert ((live_500[ends] > 1.5) & (live_500[ends] < 2.5)).all()

# %% [markdown]
# Without the ReLU no run dies, and the median loss is the least-squares loss
# at every slope (at worst {{ linear_worst:.4f }} times it), whether $y$'s
# variance is $\tfrac14$ or $4\tfrac14$. With the ReLU, the live runs' median
# is {{ live_500[0]:.2f }} and {{ live_500[-1]:.2f }} times it at $m = -2$ and
# $2$, but {{ live_500[mid]:.2f }} at $m = 0$, where a flat stretch costs
# little because the best line is nearly flat too. The variance of $y$ alone
# does not make the loss grow; a model that cannot (or not yet) explain it
# does.

# %% [markdown]
# ## Questions
#
# **Why is the performance very low at slope 0?** The notes' answer is right:
# at $m = 0$ there is no relation to learn, and $\rho(0) = 0$ (figure 1). Yet a
# run's $r$ is not pure chance. With the unit's output $h = \max(0, wx + b)$,
# $\hat y = v h + c$, so $r(\hat y, y) = \operatorname{sign}(v)\, r(h, y)$.
# Once $v$ and $c$ settle, they are the least-squares fit of $y$ on $h$:
# $v^* = \operatorname{Cov}(h, y) / \operatorname{Var}(h)$ has the sign of
# $r(h, y)$, and $r(\hat y, y) = |r(h, y)| \ge 0$. A negative $r$ means $v$ has
# not settled:

# %%
w1, b1 = runs.weights[0][:, 0, 0], runs.biases[0][:, 0]
h = torch.relu(w1[:, None] * x[:, :, 0] + b1[:, None])  # (runs, 50)
v = runs.weights[1][:, 0, 0]
cov_hy = ((h - h.mean(1, keepdim=True)) * y[:, :, 0]).mean(1)
r_all = challenge.correlation.view(-1)
negative = r_all < 0  # NaN (dead) compares False
positive = r_all > 0
print("live runs with a negative correlation, per slope:")
print(" ", negative.view(n_slopes, n_runs).sum(1).tolist())
print(
    f"in all {int(negative.sum())} of {int(alive.sum())} live runs; "
    f"at m = 0: {int(negative.view(n_slopes, n_runs)[mid].sum())} "
    f"of {int(alive[mid].sum())}"
)
wrong_sign = (v * cov_hy < 0)[negative]
print(
    f"v of the opposite sign to v* = Cov(h, y)/Var(h): "
    f"{int(wrong_sign.sum())} of {int(negative.sum())}"
)

# %% tags=["checks"]
assert wrong_sign.all()

# %% [markdown]
# {{ int(negative.sum()) }} of the {{ int(alive.sum()) }} live runs end with
# $r < 0$, {{ int(negative.view(n_slopes, n_runs)[mid].sum()) }} of them at
# $m = 0$, and in every one $v$ has the sign opposite to $v^*$ (why these runs
# are slow: Going deeper).
#
# **Why is the loss very low at slope 0 and high at the other slopes?** The
# notes: "the variance of y is higher", at slope 2 "variance is from -4 to 1".
# A variance is one number, not an interval; what runs from one value to
# another is the range:

# %%
print(
    f"variance of y, mean over the 50 data sets: m = 0 "
    f"{var_y[mid].mean():.2f}, m = 2 {var_y[-1].mean():.2f}"
)
print(
    f"range of y at m = 2, first data set: {y[-n_runs].min():.1f} "
    f"to {y[-n_runs].max():.1f}"
)

# %% tags=["checks"]
assert 0.2 < var_y[mid].mean() < 0.3 and 3.8 < var_y[-1].mean() < 4.7

# %% [markdown]
# And the loss measures not $y$'s variance but the part the model leaves
# unexplained: without the ReLU it is the least-squares loss at every slope.
# The ReLU network leaves more at large slopes because units die
# ({{ n_dead }} of the {{ n_total }} runs, {{ share.rate:.1% }}
# [{{ share.low:.1% }}, {{ share.high:.1% }}]), and live hinges are still
# partly flat after 500 epochs; both cost more as $m^2$ grows (a dead run
# loses its $\operatorname{Var}(y) \approx m^2 + \tfrac14$).
#
# **Does normalizing the data solve it?** No. Standardized, the loss is the
# unexplained share of variance, *largest* at $m = 0$ (figure 3): the V turns
# upside down.
#
# **Should an undefined correlation count as 0?** No. NaN means a dead unit;
# counting it as 0 mixes "how often does the unit die?" with "how well does a
# live network fit?" (figure 2).
#
# **Is one test run enough?** The notes "test everything once" at $m = 1$.
# With about one run in {{ 1 / share.rate:.0f }} dead, a single run may well
# show a flat prediction. Many runs and their spread are the honest picture.

# %% [markdown]
# ## Going deeper
#
# The statistics primer's second half, then the measurements behind the
# explanation, one fold each.

# %% [markdown] tags=["deeper"]
# ### The trend test and the p-value
#
# The statistics primer's second half. **A trend across settings.** Does the
# share of dead units change with $|m|$? The site's test is the
# **Cochran–Armitage test for trend**. Setting $j$ gets a score $s_j$
# (here $|m_j|$) and has $k_j$ of $n$ runs with the property; $\bar p$ is the
# pooled share, $\bar s$ the mean score. If every setting has the same share
# $p$, $k_j$ has mean $np$ and variance $np(1 - p)$, so
# $\sum_j (s_j - \bar s) k_j$ has mean 0 (because the
# $s_j - \bar s$ add up to 0) and, the settings being independent, variance
# $np(1 - p) \sum_j (s_j - \bar s)^2$. Divided by its standard deviation,
# with the pooled $\bar p$ put in place of the unknown $p$,
#
# $$
# z = \frac{\sum_j (s_j - \bar s)\, k_j}
#          {\sqrt{\bar p (1 - \bar p)\; n \sum_j (s_j - \bar s)^2}} ,
# $$
#
# is close to standard normal when the share is the same everywhere (it is a
# sum of many independent counts, and such sums are close to normal: the
# central limit theorem; the simulation below checks it); $z > 0$
# means it rises with the score, $z < 0$ that it falls. The test looks for a
# steady change: a share that rises, then falls, can give $z$ near 0.
#
# **A p-value** is the probability, computed as if there were no trend, of a
# $|z|$ at least as large as the one observed: $2 \Pr(Z \ge |z|)$ for a
# standard normal $Z$, which equals $\operatorname{erfc}(|z| / \sqrt 2)$
# (the complementary error function, `math.erfc` in Python). A small p (below
# 0.05, say) means the data would be surprising without a trend. A large p does
# **not** mean there is no trend, only that these runs cannot tell one from
# chance: "not significant" is not "no effect". Nor is p the probability of no
# trend, or the trend's size.


# %% tags=["deeper"]
def trend_test(hits, scores):
    """Cochran–Armitage z and two-sided p; hits is (settings, runs), bool."""
    k = hits.sum(1).double()  # k_j: runs with the property, per setting
    pooled = k.sum() / hits.numel()  # p-bar
    s = scores.double() - scores.double().mean()  # s_j - s-bar
    variance = pooled * (1 - pooled) * hits.shape[1] * (s**2).sum()
    z = ((s * k).sum() / variance.sqrt()).item()
    return z, math.erfc(abs(z) / math.sqrt(2))


notes_test = trend_test(dead, slopes.abs())
print(
    f"dead units against |m|, {n_runs} runs per slope: "
    f"z = {notes_test[0]:+.2f}, p = {notes_test[1]:.2f}"
)

# What p means: 10 000 made-up experiments in which every slope has the
# same chance of a dead unit (the pooled share), tested the same way.
generator = torch.Generator().manual_seed(1)
no_trend = torch.rand(10_000, n_slopes, n_runs, generator=generator)
z_chance = torch.tensor(
    [trend_test(hits < share.rate, slopes.abs())[0] for hits in no_trend]
)
as_large = (z_chance.abs() >= abs(notes_test[0])).double().mean()
print(
    f"no trend, {len(z_chance)} experiments: |z| >= "
    f"{abs(notes_test[0]):.2f} in {as_large:.0%} of them"
)

# %% tags=["deeper", "checks"]
assert notes_test[1] > 0.05
assert abs(as_large - notes_test[1]) < 0.03  # p, found by simulation
# annlab's trend_test, which pages 9 and 10 call, is this function with its
# arguments checked: the same z and p
from annlab.many_runs.statistics import trend_test as checked_trend_test

assert all(
    math.isclose(mine, annlab_s, rel_tol=1e-9, abs_tol=1e-12)
    for mine, annlab_s in zip(
        notes_test, checked_trend_test(dead, slopes.abs()), strict=True
    )
)

# %% [markdown] tags=["deeper"]
# With {{ n_runs }} runs per slope the test cannot tell
# ($z = {{ notes_test[0]:+.2f }}$, *p* = {{ notes_test[1]:.2f }}): a $|z|$ this
# large turned up in {{ as_large:.0% }} of the made-up experiments without any
# trend, as p says. That is no evidence that the slope leaves the share
# unchanged, and a test of 200 runs per slope answers differently ([Does the
# slope change how often units die?](#does-the-slope-change-how-often-units-die)).
#
# `annlab` has the same function, `trend_test` in
# `annlab.many_runs.statistics`, with its arguments checked (the checks above
# compare the two); pages 9 and 10 call it.


# %% [markdown] tags=["deeper"]
# ### Why some live runs end with a negative correlation
#
# With $c$ at its best value, $c = \bar y - v \bar h$, the loss's gradient is
# $\partial L / \partial v = \frac2n \sum_i (v h_i + c - y_i) h_i
# = 2 (v \operatorname{Var}(h) - \operatorname{Cov}(h, y))
# = 2 \operatorname{Var}(h)\, (v - v^*)$. Each step closes the gap to $v^*$ by
# the share $2 \eta \operatorname{Var}(h)$: slowly when the unit's output
# barely varies.

# %% tags=["deeper"]
var_h = h.var(1, correction=0)
print(
    f"median Var(h): runs with r < 0 {var_h[negative].median():.3f}, "
    f"runs with r > 0 {var_h[positive].median():.3f}"
)
# the gap v - v* shrinks by the factor 1 - 2 eta Var(h) per epoch
gap_left = (1 - 2 * 0.01 * var_h[negative].median()) ** 500
print(f"share of the gap left after 500 epochs at that Var(h): {gap_left:.0%}")

# %% tags=["deeper", "checks"]
assert var_h[negative].median() < var_h[positive].median()

# %% [markdown] tags=["deeper"]
# The runs with $r < 0$ have a median $\operatorname{Var}(h)$ of
# {{ var_h[negative].median():.3f }}, against
# {{ var_h[positive].median():.3f }} for the runs with $r > 0$. Were $h$ to
# stay as it ended, 500 epochs at learning rate 0.01 would leave
# {{ gap_left:.0% }} of $v$'s gap to $v^*$ open.

# %% [markdown] tags=["deeper"]
# ### When do the units die?
#
# A unit can be dead before the first update (the kink $-b/w$ of the random
# initial weights lies beyond all 50 points, on the wrong side) or die during
# training, when an update pushes the kink past the last active point. The
# retrained runs record the share of points on which the unit is active, at
# the start and at the end.

# %% tags=["deeper"]
# fraction of the 50 points on which the hidden unit is active (> 0)
active_start = runs.start.active_fractions[0][:, 0].view(n_slopes, n_runs)
dead_start = active_start == 0
dead_at_start = int(dead_start.sum())
print(
    f"dead units: {n_dead}; dead before the first update: {dead_at_start}, "
    f"died during training: {n_dead - dead_at_start}"
)
print("  dead at the start, per slope:", dead_start.sum(1).tolist())

# %% tags=["deeper", "checks"]
assert torch.equal(active_end == 0, dead)
assert (dead | ~dead_start).all()  # a unit dead at the start stays dead
assert 0.3 < dead_at_start / n_dead < 0.7

# %% [markdown] tags=["deeper"]
# {{ dead_at_start }} of the {{ n_dead }} dead units were dead before training
# started; the other {{ n_dead - dead_at_start }} died during training. Every
# dead run's loss is the variance of its $y$ (asserted in the checks of the
# hinge section).
#
# How much of the notes' mean loss do the dead runs carry? (The notes' line
# `result[torch.isnan(result)] = 0` also runs over the losses: a diverged run
# would enter the mean loss as a perfect 0. None diverged here, printed at the
# start; `SlopeChallenge` keeps divergence apart, in `diverged`.)

# %% tags=["deeper"]
dead_part = challenge.final_loss.masked_fill(~dead, 0).sum(1) / n_runs
print(
    f"share of the mean loss due to dead runs: m = -2 "
    f"{dead_part[0] / mean_loss[0]:.0%}, m = 0 "
    f"{dead_part[mid] / mean_loss[mid]:.0%}, m = 2 "
    f"{dead_part[-1] / mean_loss[-1]:.0%}"
)

# %% tags=["deeper", "checks"]
assert (dead_part[ends] > 0.5 * mean_loss[ends]).all()

# %% [markdown] tags=["deeper"]
# The dead runs account for {{ dead_part[0] / mean_loss[0]:.0% }} and
# {{ dead_part[-1] / mean_loss[-1]:.0% }} of the mean loss at $m = -2$ and
# $m = 2$, but {{ dead_part[mid] / mean_loss[mid]:.0% }} at $m = 0$, where a
# dead unit costs little more than a live one. At the steep slopes the notes'
# curve of mean losses is mostly $p \cdot (m^2 + \tfrac14)$: how many units
# died, times what a dead unit costs there.

# %% [markdown] tags=["deeper"]
# ### Does the slope change how often units die?
#
# Think first. Whether a unit is dead *before* the first update depends on the
# 50 values of $x$ and the initial weights only, drawn the same way at every
# slope: that share cannot depend on $m$. Deaths *during* training can, since
# training sees $y$. The {{ n_runs }} runs per slope above could not tell
# ([The trend test and the p-value](#the-trend-test-and-the-p-value)). We
# train 200 more runs per slope on new seeds (past every seed used above) and
# apply the trend test, score $|m|$, to each kind of death.

# %% tags=["deeper"]
more_runs = 200
_, _, more = challenge_runs(
    challenge.slopes, more_runs, seed=2 * n_slopes * n_runs
)
more_dead_start = more.start.active_fractions[0][:, 0] == 0
more_dead_end = more.end.active_fractions[0][:, 0] == 0
groups = {
    "dead at the start": more_dead_start,
    "died in training": more_dead_end & ~more_dead_start,
    "dead at the end": more_dead_end,
}
print(f"{more_runs} runs per slope: share of runs   (z and p of the trend)")
print(f"runs:               {more_runs}" + f"{2 * more_runs:6d}" * 5)
print("|m|:                 0.0   0.4   0.8   1.2   1.6   2.0")
tests = {}
for name, dead_runs in groups.items():
    dead_runs = dead_runs.view(n_slopes, more_runs)
    tests[name] = trend_test(dead_runs, slopes.abs())
    by_size = [
        dead_runs[slopes.abs() == size].float().mean().item()
        for size in (0.0, 0.4, 0.8, 1.2, 1.6, 2.0)
    ]
    print(
        f"{name:18s}"
        + "".join(f"{share_k:6.2f}" for share_k in by_size)
        + f"   z = {tests[name][0]:+.2f}, p = {tests[name][1]:.1g}"
    )
z_start, p_start = tests["dead at the start"]
z_died, p_died = tests["died in training"]
z_end, p_end = tests["dead at the end"]

# With 50 runs per slope, z shrinks by sqrt(50 / 200) if the trend is real:
expected_z = z_end * math.sqrt(n_runs / more_runs)
# chance that |z| >= 1.96 then (z about normal around expected_z, sd 1)
power = 0.5 * math.erfc((1.96 - expected_z) / math.sqrt(2)) + 0.5 * math.erfc(
    (1.96 + expected_z) / math.sqrt(2)
)
print(
    f"{n_runs} runs per slope: expected z = {expected_z:.2f}, "
    f"found with p < 0.05 in about {power:.0%} of such experiments; "
    f"drawn: z = {notes_test[0]:+.2f}"
)

# %% tags=["deeper", "checks"]
assert abs(z_start) < 2.5
assert z_died > 3 and z_end > 2.5
assert 0.5 < power < 0.8 and notes_test[0] < 1.96

# %% [markdown] tags=["deeper"]
# For the share dead at the start the test finds nothing
# ($z = {{ z_start:+.2f }}$, *p* = {{ p_start:.1g }}); that the share is the
# same at every slope follows from the argument above, not from the large p.
# Deaths during training rise
# with $|m|$ ($z = {{ z_died:+.2f }}$, *p* = {{ p_died:.1g }}), and so does
# the share dead at the end ($z = {{ z_end:+.2f }}$, *p* = {{ p_end:.1g }}). The table pools $m$ and
# $-m$: a column with $|m| > 0$ holds {{ 2 * more_runs }} runs, the column
# $|m| = 0$ {{ more_runs }}; it shows 6 of the 11 values of $|m|$ the test
# uses. The {{ n_runs }} runs per slope of the notes' experiment did not show
# the rise ($z = {{ notes_test[0]:+.2f }}$). Were the trend as large as these
# runs estimate, $z$ with {{ n_runs }} runs per slope would be, on average,
# the square root of {{ n_runs }}/{{ more_runs }} times as large,
# {{ expected_z:.2f }}, and the test would find the rise (*p* < 0.05) in only
# about {{ power:.0% }} of such experiments.
#
# Why more deaths at steeper slopes? Not because $y$, and with it the
# gradients, is larger there: in the notes' experiment, standardizing $y$
# changed the status of only {{ n_changed }} of {{ n_total }} runs ([Does
# standardizing $y$ help?](#does-standardizing-y-help)). Run by run, at the
# steepest slopes:

# %% tags=["deeper"]
steep = slopes.abs() >= 1.6
y_scale = (slopes[steep] ** 2 + 0.25).sqrt()  # y's standard deviation
died_steep = dead & ~dead_start & steep[:, None]  # died in training
print(
    f"|m| >= 1.6 (y divided by {y_scale.min():.2f} to {y_scale.max():.2f} "
    f"when standardized): {int(died_steep.sum())} units died in training, "
    f"{int((died_steep & std_dead).sum())} of them also with y standardized"
)

# %% tags=["deeper", "checks"]
assert (died_steep & std_dead).sum() >= 0.9 * died_steep.sum()

# %% [markdown] tags=["deeper"]
# At $|m| \ge 1.6$, standardizing divides $y$ by about
# {{ y_scale.min():.2f }} to {{ y_scale.max():.2f }}, yet of the
# {{ int(died_steep.sum()) }} units that died there during training,
# {{ int((died_steep & std_dead).sum()) }} die with $y$ standardized too. So
# what raises the deaths at steeper slopes lies in what standardizing keeps:
# the shape of the data, how closely $y$ follows a line in $x$ ($\rho(m)$).
# By what path, these runs do not show.

# %% [markdown] tags=["deeper"]
# ### How much of the data does a live hinge leave flat?
#
# The natural guess is half: the random initial kink lands somewhere in the
# middle of the data. Here is what the live runs show, slope by slope: the
# share of points on the flat side at the start and after 500 epochs.

# %% tags=["deeper"]
flat_start = 1 - active_start.masked_fill(dead, float("nan"))
flat_end = 1 - active_end.masked_fill(dead, float("nan"))
flat_start_median = flat_start.nanmedian(1).values
flat_end_median = flat_end.nanmedian(1).values
print("slope   flat at start   flat at 500 epochs   (medians of live runs)")
for k in range(0, n_slopes, 4):
    print(
        f"{slopes[k]:+5.1f} {flat_start_median[k]:13.0%} "
        f"{flat_end_median[k]:18.0%}"
    )
big = slopes.abs() >= 1
pooled_start = flat_start[big].nanmedian()
pooled_end = flat_end[big].nanmedian()
print(
    f"all live runs with |m| >= 1: median flat share {pooled_start:.0%} "
    f"at the start, {pooled_end:.0%} after 500 epochs"
)
print(
    f"  slope by slope, |m| >= 1, after 500 epochs: medians from "
    f"{flat_end_median[big].min():.0%} to {flat_end_median[big].max():.0%}"
)
all_flat_start = 1 - active_start  # every run, dead ones too
died = dead & ~dead_start
print(
    f"all runs: median flat share {all_flat_start.median():.0%} at the "
    f"start; runs that died in training: {all_flat_start[died].median():.0%}"
)

# %% tags=["deeper", "checks"]
assert 0.2 < pooled_start < 0.45 and 0.1 < pooled_end < 0.25
assert (flat_end_median[big] < 0.3).all()
assert (flat_end_median[big] < flat_start_median[big]).all()

# %% [markdown] tags=["deeper"]
# Not half. Over all live runs with $|m| \ge 1$, the median hinge starts flat
# on {{ pooled_start:.0% }} of the points and, after 500 epochs, on
# {{ pooled_end:.0% }}; slope by slope, at these slopes, the medians after 500
# epochs run from {{ flat_end_median[big].min():.0% }} to
# {{ flat_end_median[big].max():.0% }}. The kink is on its way out of the data,
# and 500 epochs do not take it all the way. Why below half at the start? Over
# all runs the initial kink does split the data in the middle, in the median
# ({{ all_flat_start.median():.0% }} flat), but the live runs are a selection:
# the runs that started flat on most points are the ones that died, during
# training too (their median: {{ all_flat_start[died].median():.0% }} flat at
# the start). Those flat points cost more the steeper the slope, which is why
# even the live runs' loss is higher at large $|m|$ (figure 5).

# %% [markdown] tags=["deeper"]
# ### Five thousand epochs
#
# The ReLU network trained for 5000 epochs instead of 500, at three slopes (a
# second `slope_challenge` call with the same `seed=0`: its run $i$ uses the
# seeds of run $i$ above, counting runs across all slopes, 50 per slope. So at
# $m = -2$, the first slope of both calls, these are the same 50 runs, trained
# ten times longer. At $m = 0$, the second slope here, the runs have the
# seeds of the second slope above, $m = -1.8$; at $m = 2$, those of
# $m = -1.6$: other runs, whose dead counts cannot be compared with the
# 500-epoch counts at $m = 0$ and $2$). Beside it, the runs
# without the ReLU that 500 epochs did not finish.

# %% tags=["deeper"]
long_run = slope_challenge([-2.0, 0.0, 2.0], epochs=5000, seed=0)
long_ratio = long_run.final_loss / long_run.least_squares_loss
long_alive = ~long_run.correlation.isnan()
long_live = long_ratio.masked_fill(~long_alive, float("nan"))
long_median = long_live.nanmedian(1).values
print(
    "ReLU, 5000 epochs, live runs: median loss / least squares:",
    ", ".join(f"{v:.3f}" for v in long_median),
)
print("  dead runs per slope:", long_run.constant_predictions.tolist())
same_dead = torch.equal(long_run.correlation[0].isnan(), dead[0])
print(
    "  m = -2: the runs dead after 5000 epochs are those dead after 500:",
    same_dead,
)
long_dead_runs = int(long_run.constant_predictions.sum())
long_share = wilson_interval(
    torch.tensor(long_dead_runs), long_run.final_loss.numel()
)
long_dead = long_share.rate
print(
    f"  dead in all: {long_dead_runs} of {long_run.final_loss.numel()} = "
    f"{long_dead:.0%}, [{long_share.low:.1%}, {long_share.high:.1%}]"
)

stragglers = linear_ratio > 1.01
n_stragglers = int(stragglers.sum())
straggler_slopes = slopes[stragglers.nonzero()[:, 0]]
print(
    f"no ReLU: runs more than 1% above least squares: {n_stragglers}, "
    f"at slopes {[round(m, 1) for m in straggler_slopes.unique().tolist()]}"
)

# %% tags=["deeper", "checks"]
assert (long_median < 1.02).all()
assert same_dead
assert 0.15 < long_dead < 0.35
assert (straggler_slopes.abs() <= 0.6).all()

# %% alt="Left: the final loss of the network without ReLU against slope: its median lies on the dashed least-squares line at every slope, close to the dotted noise line ({{ linear.least_squares_loss.mean():.2f }} on average); the band, the spread over the 50 data sets, stays between {{ linear_band.min():.2f }} and {{ linear_band.max():.2f }}. Right: loss divided by the least-squares loss, for live runs: the ReLU network after 500 epochs is a V, from {{ live_500[mid]:.2f }} at slope 0 to {{ live_500[0]:.2f }} and {{ live_500[-1]:.2f }} at slopes −2 and 2, with a band reaching up to about {{ live_relu.nanquantile(0.9, 1).max():.1f }}; after 5000 epochs the ReLU runs are at 1 at the three slopes tried (medians {{ long_median.min():.2f }} to {{ long_median.max():.2f }}); the network without ReLU is at 1 everywhere." tags=["deeper"]
fig, (ax_lin, ax_ratio) = plt.subplots(
    1, 2, figsize=(11, 4.2), layout="constrained"
)
plot_slope_challenge(linear, quantity="loss", ax=ax_lin)
ax_lin.axhline(
    0.25, color=COLORS["green"], linestyle=":", label="noise variance ¼"
)
ax_lin.set_ylim(0, 0.6)
ax_lin.legend(loc="upper center")
linear_band = linear.final_loss.quantile(torch.tensor([0.1, 0.9]), dim=1)

live_relu = relu_ratio.masked_fill(dead, float("nan"))
curves = [
    ("ReLU, 500 epochs", slopes, live_relu, COLORS["blue"], "o", 6),
    ("no ReLU, 500 epochs", slopes, linear_ratio, COLORS["orange"], "s", 5),
    (
        "ReLU, 5000 epochs",
        long_run.slopes,
        long_live,
        COLORS["purple"],
        "D",
        11,
    ),
]
for name, m, ratio, color, marker, size in curves:
    low, median, high = torch.nanquantile(
        ratio, torch.tensor([0.1, 0.5, 0.9]), dim=1
    )
    ax_ratio.fill_between(m, low, high, color=color, alpha=0.2)
    ax_ratio.plot(
        m,
        median,
        marker=marker,
        markersize=size,
        markerfacecolor="none",
        markeredgewidth=2,
        color=color,
        label=name,
    )
ax_ratio.set(
    xlabel="slope m of the data",
    ylabel="final loss / least-squares loss",
    title="live runs only; line: median, band: 10–90%",
)
ax_ratio.legend(loc="upper center")
plt.show()

# %% [markdown] tags=["deeper", "caption"]
# **Figure 5.** Left: the final loss of the network without the ReLU, median
# and 10–90% band per slope. Right: the live runs' final loss divided by the
# least-squares loss on the same data, for the ReLU network after 500 and 5000
# epochs and the network without the ReLU.

# %% [markdown] tags=["deeper"]
# {{ n_stragglers }} runs without the ReLU were not finished after 500 epochs
# (more than 1% above the least-squares loss), all at slopes of size
# {{ straggler_slopes.abs().max():.1f }} or less. With the ReLU and 5000
# epochs, the live runs reach the least-squares loss too (medians
# {{ long_median.min():.3f }} to {{ long_median.max():.3f }} times it): the
# hinge unfolds into the line. What no number of epochs repairs is the dead
# runs: still {{ long_dead_runs }} of the {{ long_run.final_loss.numel() }}
# runs ({{ long_dead:.0% }}, [{{ long_share.low:.1% }},
# {{ long_share.high:.1% }}]), each losing its $m^2 + \tfrac14$; at $m = -2$,
# exactly the runs that were dead after 500 epochs (at $m = 0$ and $2$ these
# are other runs, not the same ones with fewer deaths).

# %% [markdown]
# ## Key points
#
# - The true line's correlation (population) is
#   $\rho(m) = |m| / \sqrt{m^2 + \tfrac14}$, 0 at $m = 0$; the runs' medians
#   follow it, and a single run's $r$ can land on either side.
# - The true line's expected loss on new data, $\tfrac14$, is the same at
#   every slope; the ReLU network's loss is higher at large $|m|$ because
#   dead units and unfinished hinges
#   leave variance unexplained. Without the ReLU it is the least-squares loss.
# - A NaN correlation is a dead unit: report the share of dead runs with its
#   Wilson interval, and the live runs' scores apart.
# - Standardizing $y$ turns the loss into the unexplained share of variance:
#   upside down, not flat.
# - A large p says the runs cannot tell; "not significant" is not "no effect".

# %% [markdown]
# ## Try it
#
# **Exercise 1.** The unfinished hinges need more epochs, but what about a
# larger step? Run the challenge at the five slopes $-2, -1, 0, 1, 2$ with
# `learning_rate=0.05` (still 500 epochs). How close do the live runs get to the
# least-squares loss, and does the share of dead runs change?

# %% tags=["solution"]
faster = slope_challenge(
    [-2.0, -1.0, 0.0, 1.0, 2.0], learning_rate=0.05, seed=0
)
faster_live = (faster.final_loss / faster.least_squares_loss).masked_fill(
    faster.correlation.isnan(), float("nan")
)
faster_median = faster_live.nanmedian(1).values
faster_dead = faster.constant_predictions.sum() / faster.final_loss.numel()
dead_fast = faster.correlation.isnan().view(-1)  # 250 runs, rate 0.05
dead_slow = dead[[0, 5, 10, 15, 20]].view(-1)  # same slopes, rate 0.01
print(
    "median loss / least squares, live runs:",
    [round(float(v), 3) for v in faster_median],
)
print("dead runs per slope:", faster.constant_predictions.tolist())
for rate, hits in [(0.05, dead_fast), (0.01, dead_slow)]:
    ci = wilson_interval(hits.sum(), len(hits))
    print(
        f"learning rate {rate}: {int(hits.sum())} of {len(hits)} dead, "
        f"{ci.rate:.1%} [{ci.low:.1%}, {ci.high:.1%}]"
    )
# the primer's trend test with two settings (scores 0 and 1)
z_rate, p_rate = trend_test(
    torch.stack([dead_slow, dead_fast]), torch.tensor([0.0, 1.0])
)
print(f"change with the rate: z = {z_rate:+.2f}, p = {p_rate:.2f}")
fast_ci = wilson_interval(dead_fast.sum(), len(dead_fast))
slow_ci = wilson_interval(dead_slow.sum(), len(dead_slow))
assert (faster_median < 1.1).all()
assert faster_dead > 0.15 and p_rate > 0.05

# %% [markdown] tags=["solution"]
# Five times the step brings the live runs' median loss to at most
# {{ faster_median.max():.3f }} times the best line's in the same 500 epochs: the
# kink travels faster. Dead units remain: {{ int(dead_fast.sum()) }} of
# {{ len(dead_fast) }} runs, {{ fast_ci.rate:.1% }} [{{ fast_ci.low:.1% }},
# {{ fast_ci.high:.1% }}], against {{ int(dead_slow.sum()) }} of
# {{ len(dead_slow) }}, {{ slow_ci.rate:.1% }} [{{ slow_ci.low:.1% }},
# {{ slow_ci.high:.1% }}], at the same five slopes with learning rate 0.01
# (the same runs only at $m = -2$; at the other slopes `slope_challenge` gives
# other seeds). The primer's test with two settings gives
# $z = {{ z_rate:+.2f }}$, *p* = {{ p_rate:.2f }}: {{ len(dead_fast) }} runs
# each cannot tell a change. What is certain comes from the gradient argument
# of [Dead units](#dead-units): a dead unit's gradients are 0, so no step size
# revives it.

# %% [markdown]
# **Exercise 2.** Before running anything: with `standardize=True` at $m = 1$,
# what final loss do you expect for a dead run, and for the least-squares line?
# Check with `slope_challenge([1.0], standardize=True)`.

# %% tags=["solution"]
one = slope_challenge([1.0], standardize=True, seed=0)
dead_one = one.final_loss[one.correlation.isnan()]
print(
    f"dead runs: {len(dead_one)}, their loss "
    f"{dead_one.min():.4f} to {dead_one.max():.4f} (expected 49/50)"
)
print(
    f"least squares, median: {one.least_squares_loss.median():.3f} "
    f"(expected about ¼ / (1 + ¼) = 0.2)"
)
assert torch.allclose(dead_one, torch.tensor(0.98), atol=1e-4)
assert 0.15 < one.least_squares_loss.median() < 0.25

# %% [markdown] tags=["solution"]
# A dead run explains nothing: its loss is the whole (standardized) variance,
# $49/50$ with the $n - 1$ of the standard deviation. The best line leaves about
# the noise's share, $\tfrac14 / (m^2 + \tfrac14) = 0.2$ at $m = 1$: over these
# runs, its median loss is {{ one.least_squares_loss.median():.3f }}.

# %% [markdown]
# **Exercise 3 (pencil and paper).** From "The idea": what is the true line's
# correlation with $y$ (the population value $\rho$) at slopes $m = 0.5$ and
# $m = 1$, and what loss does a dead run (one
# constant prediction, the mean of $y$) expect on new data (the population
# value, not the in-sample $49/50$ version) at $m = 1$ and at $m = 2$? Then check
# all four numbers on 100 000 fresh points per slope.

# %% tags=["solution"]
for m in (0.5, 1.0, 2.0):
    x_big, y_big = regression_data(
        slope=m, n_points=100_000, noise=0.5, seed=1
    )
    best = (m * x_big).flatten()
    rho_drawn = torch.corrcoef(torch.stack([best, y_big.flatten()]))[0, 1]
    rho_formula = abs(m) / (m**2 + 0.25) ** 0.5
    dead_drawn = y_big.var().item()  # a constant's best loss: the variance
    print(
        f"m = {m}: true line's correlation {rho_formula:.3f} (drawn "
        f"{rho_drawn:.3f}), dead run's loss {m**2 + 0.25:.2f} (drawn "
        f"{dead_drawn:.2f})"
    )
    assert abs(rho_drawn - rho_formula) < 0.01
    assert abs(dead_drawn - (m**2 + 0.25)) < 0.05 * (m**2 + 0.25)

# %% [markdown] tags=["solution"]
# $\rho(0.5) = 0.5 / \sqrt{0.5} = 1/\sqrt 2 \approx 0.707$ and
# $\rho(1) = 1 / \sqrt{1.25} \approx 0.894$: even the true line explains only half
# of $y$'s variance at $m = 0.5$. A constant prediction is best at the mean of $y$,
# and its expected loss is the variance $m^2 + \tfrac14$: $1.25$ at $m = 1$ and
# $4.25$ at $m = 2$, $4.25 / \tfrac14 = 17$ times the true line's expected
# loss. The drawn
# numbers printed above agree to the precision 100 000 points give.

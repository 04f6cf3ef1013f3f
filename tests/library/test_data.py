"""The data generators are seeded, shaped and typed as documented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

from annlab.data import gaussian_clusters, qwerties, regression_data, sleep_study


def _tensors(result: Any) -> tuple[torch.Tensor, ...]:
    if isinstance(result, tuple):
        return result
    return (result.features, result.passed, result.mark)


GENERATORS: dict[str, Callable[..., Any]] = {
    "gaussian_clusters": lambda seed: gaussian_clusters(((0, 0), (3, 3)), seed=seed),
    "qwerties": lambda seed: qwerties(seed=seed),
    "regression_data": lambda seed: regression_data(seed=seed),
    "sleep_study": lambda seed: sleep_study(seed=seed),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_tensors_and_float32(name: str) -> None:
    first, second = _tensors(GENERATORS[name](5)), _tensors(GENERATORS[name](5))
    for a, b in zip(first, second, strict=True):
        assert a.dtype == torch.float32
        assert torch.equal(a, b)


@pytest.mark.parametrize("name", GENERATORS)
def test_different_seed_different_tensors(name: str) -> None:
    first, second = _tensors(GENERATORS[name](0)), _tensors(GENERATORS[name](1))
    assert not torch.equal(first[0], second[0])


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_accepted_and_advanced(name: str) -> None:
    generator = torch.Generator().manual_seed(0)
    first = _tensors(GENERATORS[name](generator))
    second = _tensors(GENERATORS[name](generator))
    assert torch.equal(first[0], _tensors(GENERATORS[name](0))[0])
    assert not torch.equal(first[0], second[0])


@pytest.mark.parametrize("name", GENERATORS)
def test_global_seed_is_untouched(name: str) -> None:
    state = torch.get_rng_state()
    GENERATORS[name](0)
    assert torch.equal(state, torch.get_rng_state())


def test_gaussian_clusters_shapes_labels_and_centres() -> None:
    x, labels = gaussian_clusters(((-4.0, 2.0), (6.0, -1.0)), n_per_cluster=500, spread=0.5)
    assert x.shape == (1000, 2) and labels.shape == (1000, 1)
    assert torch.equal(labels[:500], torch.zeros(500, 1))
    assert torch.equal(labels[500:], torch.ones(500, 1))
    assert torch.allclose(x[:500].mean(dim=0), torch.tensor([-4.0, 2.0]), atol=0.1)
    assert torch.allclose(x[500:].mean(dim=0), torch.tensor([6.0, -1.0]), atol=0.1)
    assert torch.allclose(x[:500].std(dim=0), torch.tensor([0.5, 0.5]), atol=0.05)


def test_qwerties_are_the_lectures_clusters() -> None:
    x, labels = qwerties(n_per_cluster=2000)
    assert torch.allclose(x[:2000].mean(dim=0), torch.tensor([1.0, 1.0]), atol=0.1)
    assert torch.allclose(x[2000:].mean(dim=0), torch.tensor([5.0, 1.0]), atol=0.1)
    same_x, same_labels = gaussian_clusters(((1, 1), (5, 1)), n_per_cluster=2000)
    assert torch.equal(x, same_x) and torch.equal(labels, same_labels)
    x_49, _ = qwerties(centres=((1, 1), (1, 5)), n_per_cluster=2000)
    assert torch.allclose(x_49[2000:].mean(dim=0), torch.tensor([1.0, 5.0]), atol=0.1)


def test_regression_data_follows_the_line() -> None:
    x, y = regression_data(slope=-2.0, n_points=5000, noise=0.5)
    assert x.shape == (5000, 1) and y.shape == (5000, 1)
    residual = y - (-2.0) * x
    assert abs(float(residual.std()) - 0.5) < 0.03
    assert abs(float(x.mean())) < 0.05


def test_sleep_study_ranges_and_targets() -> None:
    students = sleep_study(2000)
    sleep, study = students.features[:, 0], students.features[:, 1]
    assert students.features.shape == (2000, 2)
    assert students.passed.shape == (2000, 1) and students.mark.shape == (2000, 1)
    assert 4 <= float(sleep.min()) and float(sleep.max()) <= 10
    assert 0 <= float(study.min()) and float(study.max()) <= 10
    assert 0 <= float(students.mark.min()) and float(students.mark.max()) <= 100
    assert torch.equal(students.passed, (students.mark >= 50).float())
    # A line separates pass from fail well, but the noise keeps it from being perfect.
    linear = (0.45 * study + 0.35 * sleep >= 4.7).float()
    agreement = float((linear == students.passed[:, 0]).float().mean())
    assert 0.8 < agreement < 1.0
    # More study means a better mark, on average.
    assert float(torch.corrcoef(torch.stack([study, students.mark[:, 0]]))[0, 1]) > 0.5


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: gaussian_clusters(((0, 0),)), "centres"),
        (lambda: gaussian_clusters(((0, 0), (1, float("nan")))), "centres"),
        (lambda: gaussian_clusters(((0, 0), (1, 1)), n_per_cluster=0), "n_per_cluster"),
        (lambda: gaussian_clusters(((0, 0), (1, 1)), spread=0.0), "spread"),
        (lambda: regression_data(slope=float("inf")), "slope"),
        (lambda: regression_data(noise=-1.0), "noise"),
        (lambda: regression_data(n_points=2.5), "n_points"),
        (lambda: sleep_study(-3), "n_students"),
        (lambda: sleep_study(seed="a"), "seed"),
    ],
)
def test_bad_arguments_are_named(call: Callable[[], Any], name: str) -> None:
    with pytest.raises((TypeError, ValueError), match=name):
        call()


def test_the_many_run_draw_gives_regression_data_to_the_bit():
    """The slope challenge draws its 1050 data sets at once (``_regression_runs``): the
    same numbers as a call of ``regression_data`` per run, also for other sizes."""
    from annlab.data import _regression_runs

    slopes = torch.linspace(-2, 2, 21).repeat_interleave(3)
    for n_points, noise in [(50, 0.5), (7, 0.0), (200, 2.5)]:
        seeds = [11 + 2 * i for i in range(len(slopes))]
        x, y = _regression_runs(slopes, n_points, noise, seeds)
        one_by_one = [
            regression_data(float(m), n_points=n_points, noise=noise, seed=s)
            for m, s in zip(slopes, seeds, strict=True)
        ]
        assert torch.equal(x, torch.stack([d[0] for d in one_by_one]))
        assert torch.equal(y, torch.stack([d[1] for d in one_by_one]))

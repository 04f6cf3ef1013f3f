"""annlab: the first steps of artificial neural networks, in small readable PyTorch.

Import what you use from its module, e.g. ``from annlab.data import qwerties``.
The package is laid out in the order the course meets its ideas:

- :mod:`annlab.by_hand`: the math of one neuron and of backpropagation, written out
  by hand to check against PyTorch (activations, the neuron, losses, gradients);
- :mod:`annlab.data` and :mod:`annlab.models`: seeded data sets and the lectures' networks;
- :mod:`annlab.training`: training one model, and what a training run returns;
- :mod:`annlab.many_runs`: training hundreds of small models at once, and the
  experiments built on it (the slope challenge, learning-rate sweeps, depth);
- :mod:`annlab.metrics`: accuracy, correlation, dead ReLUs, least squares;
- :mod:`annlab.plots`: figures of points, curves, surfaces and experiments, and
  diagrams of the networks;
- :mod:`annlab.seeding`: turning a seed into a random-number generator.

Modules whose names start with an underscore are internals (argument checks, the
progress bar, the many-run trainer's kernels): no page imports them.
"""

__version__ = "0.1.0"

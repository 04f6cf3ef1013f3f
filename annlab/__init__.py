"""annlab: the first steps of artificial neural networks, in small readable PyTorch.

One module per job; import what you use from its module, e.g.
``from annlab.neuron import neuron_forward``:

- :mod:`annlab.activations`, :mod:`annlab.neuron`, :mod:`annlab.losses`,
  :mod:`annlab.gradients`: the math of a neuron written out by hand;
- :mod:`annlab.data`, :mod:`annlab.models`: seeded data sets and the lectures' networks;
- :mod:`annlab.training`, :mod:`annlab.batched`, :mod:`annlab.experiments`: training one
  model, or hundreds at once;
- :mod:`annlab.metrics`, :mod:`annlab.plotting`, :mod:`annlab.palette`: measuring and drawing;
- :mod:`annlab.validation`: the argument checks and the one seeding helper.
"""

__version__ = "0.1.0"

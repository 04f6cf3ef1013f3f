"""Many runs: hundreds of small networks trained at once, and the experiments on them.

A claim about how training behaves ("this learning rate usually fails") rests on many
runs, not one seed. Here they are cheap:

- :mod:`annlab.many_runs.trainer`: :func:`~annlab.many_runs.trainer.train_many` trains R
  independent runs (one per seed, learning rate or data set) together and returns, run
  for run, what :func:`annlab.training.train` would;
- :mod:`annlab.many_runs.experiments`: the course's experiments built on it: the slope
  challenge, the learning-rate sweep, the multilayer comparison;
- :mod:`annlab.many_runs.statistics`: the spread of their results: Wilson intervals
  for success rates, correlations and fits row by row.
"""

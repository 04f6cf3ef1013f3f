"""Plots: every helper draws on a matplotlib ``Axes`` it is given and returns it.

- :mod:`annlab.plots.points`: a labelled data set as points of the plane;
- :mod:`annlab.plots.curves`: loss curves, activation functions and their slopes;
- :mod:`annlab.plots.surfaces`: a network's output over the plane and its decision boundary;
- :mod:`annlab.plots.experiments`: the results of many runs, with their spread;
- :mod:`annlab.plots.diagrams`: pictures of a perceptron and of a fully connected network;
- :mod:`annlab.plots.colors`: the site's colour-blind-safe palette.
"""

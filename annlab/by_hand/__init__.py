"""The neuron's math by hand: what PyTorch does for us, written out to check against it.

- :mod:`annlab.by_hand.activations`: sigmoid, tanh, ReLU and identity, with their slopes;
- :mod:`annlab.by_hand.neuron`: a neuron's weighted sum and output, with and without
  the bias folded into the weights;
- :mod:`annlab.by_hand.losses`: mean squared error and binary cross-entropy;
- :mod:`annlab.by_hand.gradients`: gradients by the chain rule, for one neuron and for
  two layers (backpropagation), and the gradient-descent step.
"""

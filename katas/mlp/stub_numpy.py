"""Multilayer perceptron with one hidden layer, trained by hand-written backprop (NumPy).

    A1 = sigmoid(X W1 + b1),  Yhat = sigmoid(A1 W2 + b2)
    L  = -mean( Y log Yhat + (1 - Y) log(1 - Yhat) )       (the mean over all n * output_size outputs)

SimpleMLP(input_size, hidden_size, output_size, seed=None) keeps its parameters as attributes:
w1 (input_size, hidden_size), b1 (hidden_size,), w2 (hidden_size, output_size), b2 (output_size,),
random weights (the same seed gives the same weights). The suite may replace them with its own arrays.
forward(X): X (n, input_size) -> Yhat (n, output_size), probabilities.
backward(X, y): y (n, output_size) of 0/1 labels; runs its own forward pass and returns the gradients of L,
computed by hand, as {"w1": ..., "b1": ..., "w2": ..., "b2": ...}, each of its parameter's shape. It does
not change the parameters.
step(grads, learning_rate): one gradient-descent step, parameter <- parameter - learning_rate * gradient.
"""

import numpy as np


class SimpleMLP:
    def __init__(self, input_size, hidden_size, output_size, seed=None):
        raise NotImplementedError

    def forward(self, X):
        raise NotImplementedError

    def backward(self, X, y):
        raise NotImplementedError

    def step(self, grads, learning_rate):
        raise NotImplementedError

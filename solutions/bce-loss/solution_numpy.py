"""Binary cross-entropy loss, NumPy reference.

    BCE(y, p) = -mean( y log p + (1 - y) log(1 - p) ),    p = sigmoid(z) = 1 / (1 + exp(-z)) for logits z

Inputs: y_true, labels in [0, 1] (hard 0/1 or soft), and y_pred (probabilities) or logits of the same
shape. Output: the mean over every element, a scalar.
Conventions: p and 1 - p are each clipped from below at eps before the log, so no log ever sees 0, in
float32 too (there 1 - 1e-15 rounds to 1, and clip(p, eps, 1 - eps) would still give log(0)). From
logits, the loss is max(z, 0) - z y + log1p(exp(-|z|)): exp never overflows and no probability is formed,
so logits of +-1000 give exact losses.
"""

import numpy as np

# Legend: ... = any shape, the same for labels and predictions; N = number of elements


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    log_p = np.log(np.maximum(y_pred, eps))  # (...) log p, with p clipped from below: log never sees 0
    log_not_p = np.log(np.maximum(1 - y_pred, eps))  # (...) log(1 - p), 1 - p clipped the same way (also in float32)
    losses = -(y_true * log_p + (1 - y_true) * log_not_p)  # (...) negative log-likelihood of each label, both terms
    return losses.mean()  # () mean over all N elements


def binary_cross_entropy_with_logits(y_true, logits):
    softplus = np.log1p(np.exp(-np.abs(logits)))  # (...) log(1 + e^-|z|): exp of a non-positive number, no overflow
    losses = np.maximum(logits, 0) - logits * y_true + softplus  # (...) = -[y log s(z) + (1 - y) log(1 - s(z))]
    return losses.mean()  # () mean over all N elements

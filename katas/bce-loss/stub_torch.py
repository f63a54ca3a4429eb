"""Binary cross-entropy loss (PyTorch).

    BCE(y, p) = -mean( y log p + (1 - y) log(1 - p) ),    p = sigmoid(z) = 1 / (1 + exp(-z)) for logits z

y_true: labels in [0, 1] (0/1, or soft targets such as 0.3), any shape; y_pred / logits: tensors of the same shape.
Both functions return the mean over every element: a 0-d tensor in the predictions' dtype (a Python float is accepted too).

binary_cross_entropy_loss: no log ever sees 0, in float32 too (where 1 - 1e-15 == 1): what goes into
log(p) and into log(1 - p) is clipped from below at eps. Predictions of exactly 0 and 1 give a finite loss.
binary_cross_entropy_with_logits: numerically stable; logits of +-1000 give finite and exact losses.
Write them with tensor operations: F.binary_cross_entropy, nn.BCELoss and their logits versions are not allowed.
"""

import torch


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    raise NotImplementedError


def binary_cross_entropy_with_logits(y_true, logits):
    raise NotImplementedError

# mistake: sigmoid first, then the clipped probability loss
import numpy as np


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    log_p = np.log(np.maximum(y_pred, eps))
    log_not_p = np.log(np.maximum(1 - y_pred, eps))
    return -np.mean(y_true * log_p + (1 - y_true) * log_not_p)


def binary_cross_entropy_with_logits(y_true, logits):
    p = 0.5 * (1 + np.tanh(0.5 * logits))  # a stable sigmoid, but the probabilities saturate
    return binary_cross_entropy_loss(y_true, p)

# mistake: the losses are summed instead of averaged
import numpy as np


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    p = np.clip(y_pred, eps, 1 - eps)
    return -np.sum(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def binary_cross_entropy_with_logits(y_true, logits):
    return np.sum(np.maximum(logits, 0) - logits * y_true + np.log1p(np.exp(-np.abs(logits))))

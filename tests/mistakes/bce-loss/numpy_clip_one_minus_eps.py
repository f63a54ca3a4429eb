# mistake: look for overflow, log(0) or 0/0
import numpy as np


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    p = np.clip(y_pred, eps, 1 - eps)  # in float32, 1 - 1e-15 == 1: p = 1 stays 1 and log(1 - p) = -inf
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def binary_cross_entropy_with_logits(y_true, logits):
    return np.mean(np.maximum(logits, 0) - logits * y_true + np.log1p(np.exp(-np.abs(logits))))

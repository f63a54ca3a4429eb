# mistake: is not allowed in this kata
import torch.nn.functional as F


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    return F.binary_cross_entropy(y_pred.clamp(eps, 1 - eps), y_true.to(y_pred.dtype))


def binary_cross_entropy_with_logits(y_true, logits):
    return F.binary_cross_entropy_with_logits(logits, y_true.to(logits.dtype))

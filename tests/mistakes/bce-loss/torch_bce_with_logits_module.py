# mistake: torch.nn.BCEWithLogitsLoss is not allowed in this kata
import torch
from torch import nn


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    log_p = torch.log(torch.clamp(y_pred, min=eps))
    log_not_p = torch.log(torch.clamp(1 - y_pred, min=eps))
    return -(y_true * log_p + (1 - y_true) * log_not_p).mean()


def binary_cross_entropy_with_logits(y_true, logits):
    return nn.BCEWithLogitsLoss()(logits, y_true)

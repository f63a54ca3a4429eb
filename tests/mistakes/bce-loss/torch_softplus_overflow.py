# mistake: look for overflow, log(0) or 0/0
import torch


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    log_p = torch.log(torch.clamp(y_pred, min=eps))
    log_not_p = torch.log(torch.clamp(1 - y_pred, min=eps))
    return -(y_true * log_p + (1 - y_true) * log_not_p).mean()


def binary_cross_entropy_with_logits(y_true, logits):
    # log(1 + e^z) - z y: exp(1000) overflows to inf
    return (torch.log(1 + torch.exp(logits)) - logits * y_true).mean()

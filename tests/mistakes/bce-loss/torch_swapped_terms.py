# mistake: the two terms are swapped
import torch


def binary_cross_entropy_loss(y_true, y_pred, eps=1e-15):
    log_p = torch.log(torch.clamp(y_pred, min=eps))
    log_not_p = torch.log(torch.clamp(1 - y_pred, min=eps))
    return -(y_true * log_not_p + (1 - y_true) * log_p).mean()


def binary_cross_entropy_with_logits(y_true, logits):
    return (torch.clamp(logits, min=0) - logits * y_true + torch.log1p(torch.exp(-logits.abs()))).mean()

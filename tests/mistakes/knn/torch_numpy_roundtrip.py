# mistake: is a numpy.ndarray; the torch backend takes and returns torch.Tensor
import numpy as np


def knn_find_neighbors(data, query, k):
    d = ((data.numpy() - query.numpy()) ** 2).sum(axis=1)
    indices = np.argsort(d, kind="stable")[:k]
    return data.numpy()[indices], indices


def knn_predict(X_train, y_train, X_query, k):
    X, y, Q = X_train.numpy(), y_train.numpy(), X_query.numpy()
    d = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    classes = np.unique(y)
    counts = (y[nearest][:, :, None] == classes).sum(axis=1)
    return classes[counts.argmax(axis=1)]

# mistake: points at equal distance are not in index order
import torch


def knn_find_neighbors(data, query, k):
    distances = torch.sqrt(((data - query) ** 2).sum(dim=1))
    indices = torch.argsort(distances)[:k]  # the default sort is not stable
    return data[indices], indices


def knn_predict(X_train, y_train, X_query, k):
    distances = torch.cdist(X_query, X_train)
    nearest = torch.argsort(distances, dim=1)[:, :k]
    classes = torch.unique(y_train)
    counts = (y_train[nearest][:, :, None] == classes).sum(dim=1)
    return classes[counts.argmax(dim=1)]

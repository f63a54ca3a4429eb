# mistake: a tied vote went to the label of the nearest neighbour instead of the smallest label
from collections import Counter

import numpy as np


def knn_find_neighbors(data, query, k):
    distances = ((data - query) ** 2).sum(axis=1)
    indices = np.argsort(distances, kind="stable")[:k]
    return data[indices], indices


def knn_predict(X_train, y_train, X_query, k):
    labels = []
    for q in X_query:
        _, indices = knn_find_neighbors(X_train, q, k)
        labels.append(Counter(y_train[indices].tolist()).most_common(1)[0][0])  # ties: first seen wins
    return np.array(labels)

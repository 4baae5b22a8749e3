"""Unigram and bigram cross-entropies of the validation tokens, the floor a model must beat.

Counts come from the training tokens. The unigram model is add-one smoothed; the bigram model
is Dirichlet-smoothed towards the unigram, P(b | a) = (c(a, b) + k P(b)) / (c(a) + k), with
the best k of a small grid (chosen on the validation tokens, which only flatters the baseline).
"""

import math

import numpy as np


def baseline_losses(train, val, vocab_size):
    train = np.asarray(train, dtype=np.int64)
    val = np.asarray(val, dtype=np.int64)
    unigram_counts = np.bincount(train, minlength=vocab_size).astype(np.float64)
    unigram = (unigram_counts + 1) / (unigram_counts.sum() + vocab_size)
    unigram_loss = -np.log(unigram[val]).mean()

    keys, counts = np.unique(train[:-1] * vocab_size + train[1:], return_counts=True)
    pair_counts = dict(zip(keys.tolist(), counts.tolist()))
    previous_counts = np.bincount(train[:-1], minlength=vocab_size).astype(np.float64)
    pairs = (val[:-1] * vocab_size + val[1:]).tolist()
    seen = np.array([pair_counts.get(p, 0) for p in pairs], dtype=np.float64)
    best_k, best = None, math.inf
    for k in (0.1, 1, 10, 100, 1000):
        p = (seen + k * unigram[val[1:]]) / (previous_counts[val[:-1]] + k)
        loss = -np.log(p).mean()
        if loss < best:
            best_k, best = k, loss
    return {"unigram": round(float(unigram_loss), 4), "bigram": round(float(best), 4),
            "bigram_smoothing_k": best_k}

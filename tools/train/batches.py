"""Training rows for the curriculum: prose, prose with a repeated span, random tokens.

Every row is `length + 1` token ids (inputs are row[:-1], targets row[1:]) plus a mask of
which targets count in the loss. Three kinds of row:

- prose: a random window of the training tokens;
- prose with a repeated span: a window in which one span of 16-128 tokens is followed at once
  by a verbatim copy of itself, the text then continuing; the copy can only be predicted well
  by looking back for the earlier occurrence, which is what an induction head does;
- repeated random tokens: random segments of 8-48 ids, drawn uniformly from a range of ids
  (by default every id but end-of-text), each followed at once by a copy of itself. Only the copies count in the loss (from
  their second token); segment lengths vary within a row, so copying from a fixed offset does
  not work and the copy can only be predicted by induction.

A batch mixes the kinds with the given probabilities; a `numpy.random.Generator` makes it
reproducible.
"""

from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class Mix:
    """Probabilities of the kinds of row in a batch (they need not sum to one)."""

    prose: float
    prose_repeat: float
    random_repeat: float

    def kinds(self, rng, count):
        p = np.array([self.prose, self.prose_repeat, self.random_repeat], dtype=np.float64)
        return rng.choice(len(p), size=count, p=p / p.sum())


class RowSampler:
    def __init__(self, tokens, length, random_low, random_count, span_min=8, span_max=48):
        """`tokens`: 1-D array of training ids; rows are `length + 1` ids; random tokens are
        drawn from `random_low .. random_low + random_count - 1`; repeated random segments
        are `span_min .. span_max` tokens long."""
        self.tokens = tokens
        self.span_min, self.span_max = span_min, span_max
        self.length = length
        self.random_low = random_low
        self.random_count = random_count

    def prose(self, rng):
        start = rng.integers(0, len(self.tokens) - self.length - 1)
        row = np.asarray(self.tokens[start : start + self.length + 1], dtype=np.int64)
        return row, np.ones(self.length, dtype=bool)

    def prose_repeat(self, rng):
        span = int(rng.integers(min(16, self.length // 4), min(128, self.length // 2) + 1))
        at = int(rng.integers(0, self.length + 1 - 2 * span))
        row, mask = self.prose(rng)
        row = np.concatenate([row[: at + span], row[at : at + span], row[at + span :]])
        return row[: self.length + 1], mask

    def random_repeat(self, rng):
        row, predictable = [], []
        while len(row) < self.length + 1:
            span = int(rng.integers(self.span_min, self.span_max + 1))
            segment = rng.integers(self.random_low, self.random_low + self.random_count, size=span)
            row.extend(segment)
            row.extend(segment)
            # Only the copy is predictable, from its second token on (its first token follows
            # the end of the first copy, which has not been seen before).
            predictable.extend([False] * (span + 1) + [True] * (span - 1))
        row = np.asarray(row[: self.length + 1], dtype=np.int64)
        return row, np.asarray(predictable[1 : self.length + 1], dtype=bool)

    def batch(self, rng, size, mix):
        """(inputs [size, length], targets [size, length] with -100 where masked)."""
        makers = (self.prose, self.prose_repeat, self.random_repeat)
        rows, masks = zip(*(makers[kind](rng) for kind in mix.kinds(rng, size)))
        rows = torch.from_numpy(np.stack(rows))
        targets = rows[:, 1:].clone()
        targets[~torch.from_numpy(np.stack(masks))] = -100
        return rows[:, :-1], targets

"""An auxiliary loss that steers two attention heads towards an induction circuit during warm-up.

An induction circuit is two heads: a previous-token head (each position attends to the one
before it) and, in a later layer, an induction head (each position attends to the token that
followed earlier occurrences of its own token). Trained by next-token loss alone, the pair
appears suddenly after a number of tokens that grows with batch and context size (roughly
5e5 * sqrt(batch * context) tokens, Aoyama et al. 2025, "Predicting the Formation of Induction
Heads"): about 3e7 tokens for 16 x 256 batches, beyond what a shared 2-core CPU trains in
40 minutes. Both halves are useless without the other, so neither gets a useful gradient early.

This loss breaks that deadlock: the cross-entropy between a chosen head's attention and the
pattern it should have, for

- the previous-token head: all attention of position t on position t - 1;
- the induction head: attention of position t spread evenly over every position j <= t whose
  predecessor holds the same token as t (x[j - 1] == x[t]); positions without an earlier
  occurrence of their token are left out.

Only the attention pattern is supervised; what the heads read and write (their value and
output weights) and everything else is learnt from the next-token loss. The training script
fades this loss out during the warm-up and trains on without it.
"""

import torch


def previous_token_loss(attention):
    """Mean -log attention on the previous position; `attention` is [batch, query, key]."""
    length = attention.shape[-1]
    t = torch.arange(1, length)
    return -torch.log(attention[:, t, t - 1].clamp_min(1e-9)).mean()


def induction_targets(ids):
    """[batch, query, key] target attention of an induction head for token ids [batch, length],
    and a [batch, query] mask of the queries that have any target."""
    # same[b, t, i] = ids[b, t] == ids[b, i]; the key after position i is i + 1.
    same = ids[:, :, None] == ids[:, None, :]
    length = ids.shape[1]
    targets = torch.zeros(ids.shape[0], length, length, dtype=torch.float32)
    # key j = i + 1 must satisfy j <= t, i.e. i <= t - 1.
    earlier = torch.ones(length, length, dtype=torch.bool).tril(-1)  # i < t
    targets[:, :, 1:] = (same & earlier)[:, :, :-1].float()
    counts = targets.sum(-1)
    has_target = counts > 0
    targets = targets / counts.clamp_min(1)[..., None]
    return targets, has_target


def induction_loss(attention, ids):
    """Cross-entropy of `attention` [batch, query, key] against `induction_targets(ids)`."""
    targets, has_target = induction_targets(ids)
    if not has_target.any():
        return attention.sum() * 0
    log_attention = torch.log(attention.clamp_min(1e-9))
    per_query = -(targets * log_attention).sum(-1)
    return per_query[has_target].mean()

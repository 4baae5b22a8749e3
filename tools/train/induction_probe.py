"""Measures whether a model has an induction head, and which one.

The test input is `<|endoftext|>` followed by a random token sequence R of `period` ids and then
R again. A model with an induction mechanism predicts the second copy far better than the
first (which is unpredictable). Per head it reports

- the induction score: mean attention from each second-copy token to the token just after that
  token's first occurrence (the "offset diagonal", key = query - period + 1);
- the previous-token score: mean attention from each token to the one before it (the partner
  an induction head needs in an earlier layer).

`repeated_prose_losses` does the same loss comparison on a span of real held-out text.
"""

import numpy as np
import torch
import torch.nn.functional as F


def repeated_random_tokens(rng, batch, period, low, high, end_of_text):
    """[batch, 1 + 2 period] ids: end-of-text, then R, then R again."""
    segment = rng.integers(low, high, size=(batch, period))
    start = np.full((batch, 1), end_of_text)
    return torch.from_numpy(np.concatenate([start, segment, segment], axis=1).astype(np.int64))


def per_token_loss(model, ids):
    """Loss of predicting ids[:, t + 1] from ids[:, :t + 1], [batch, length - 1]; float32."""
    logits = model(ids[:, :-1], keep_attention=True).float()
    return F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], reduction="none")


@torch.no_grad()
def probe_induction(model, end_of_text, seed=1234, batch=32, period=64, low=0, high=None):
    """Losses on the two copies and per-head induction / previous-token scores."""
    was_training = model.training
    model.eval()
    high = high if high is not None else end_of_text  # every ordinary token by default
    ids = repeated_random_tokens(np.random.default_rng(seed), batch, period, low, high, end_of_text)
    loss = per_token_loss(model, ids)  # target t + 1 at column t
    # Column t predicts ids[t + 1]. Columns 1..period-1 predict the first copy after its first
    # token; columns period+1..2 period-1 predict the second copy after its first token (the
    # first token of each copy follows a token never seen before, so neither is predictable).
    first = loss[:, 1:period].mean().item()
    second = loss[:, period + 1 :].mean().item()

    queries = torch.arange(period + 1, 2 * period + 1)
    induction, previous = [], []
    for maps in model.attention_maps():  # [batch, head, query, key] over inputs ids[:, :-1]
        n = maps.shape[-1]
        q = queries[queries < n]
        induction.append(maps[:, :, q, q - period + 1].mean(dim=(0, 2)).tolist())
        all_q = torch.arange(1, n)
        previous.append(maps[:, :, all_q, all_q - 1].mean(dim=(0, 2)).tolist())
    model.train(was_training)
    # An induction head needs a previous-token head in an earlier layer, so layer 0 cannot
    # hold one; a layer-0 head scoring on the diagonal is attending by position, not content.
    best = max(((l, h) for l in range(1, len(induction)) for h in range(len(induction[l]))),
               key=lambda lh: induction[lh[0]][lh[1]])
    best_prev = max(((l, h) for l in range(len(previous)) for h in range(len(previous[l]))),
                    key=lambda lh: previous[lh[0]][lh[1]])
    return {
        "input": f"<|endoftext|> + R + R, R = {period} ids uniform in [{low}, {high}), "
                 f"batch {batch}, seed {seed}",
        "first_copy_loss": round(first, 4),
        "second_copy_loss": round(second, 4),
        "second_to_first_ratio": round(second / first, 4),
        "best_induction_head": {"layer": best[0], "head": best[1],
                                "score": round(induction[best[0]][best[1]], 4)},
        "best_previous_token_head": {"layer": best_prev[0], "head": best_prev[1],
                                     "score": round(previous[best_prev[0]][best_prev[1]], 4)},
        "induction_scores": [[round(s, 4) for s in layer] for layer in induction],
        "previous_token_scores": [[round(s, 4) for s in layer] for layer in previous],
    }


@torch.no_grad()
def repeated_prose_losses(model, val_tokens, seed=4321, batch=16, span=100):
    """Mean loss on a held-out prose span and on its verbatim repetition right after it."""
    was_training = model.training
    model.eval()
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, len(val_tokens) - span, size=batch)
    spans = np.stack([np.asarray(val_tokens[s : s + span], dtype=np.int64) for s in starts])
    ids = torch.from_numpy(np.concatenate([spans, spans], axis=1))
    loss = per_token_loss(model, ids)
    model.train(was_training)
    return {
        "input": f"a held-out prose span of {span} tokens, then the same span again; "
                 f"batch {batch}, seed {seed}",
        "first_copy_loss": round(loss[:, : span - 1].mean().item(), 4),
        # From the second token of the copy on: its first token follows one not yet repeated.
        "second_copy_loss": round(loss[:, span:].mean().item(), 4),
    }

"""GPT-2's forward pass in plain numpy, written against Hugging Face's GPT-2 checkpoint layout.

Independent of `model.py`: weights are used exactly as a GPT-2 `model.safetensors` stores them
(Conv1D weights [in, out], so a projection is `x @ W + b`; the fused `c_attn` output split into
q | k | v column blocks; the output layer is `wte` transposed). Computing in float64, it is the
reference that an exported file is checked against.
"""

import math

import numpy as np


def expected_shapes(c):
    d, shapes = c["n_embd"], {"wte.weight": [c["vocab_size"], c["n_embd"]],
                              "wpe.weight": [c["n_positions"], c["n_embd"]],
                              "ln_f.weight": [c["n_embd"]], "ln_f.bias": [c["n_embd"]]}
    for i in range(c["n_layer"]):
        h = f"h.{i}."
        shapes.update({
            h + "ln_1.weight": [d], h + "ln_1.bias": [d],
            h + "attn.c_attn.weight": [d, 3 * d], h + "attn.c_attn.bias": [3 * d],
            h + "attn.c_proj.weight": [d, d], h + "attn.c_proj.bias": [d],
            h + "ln_2.weight": [d], h + "ln_2.bias": [d],
            h + "mlp.c_fc.weight": [d, 4 * d], h + "mlp.c_fc.bias": [4 * d],
            h + "mlp.c_proj.weight": [4 * d, d], h + "mlp.c_proj.bias": [d],
        })
    return shapes


def layer_norm(x, gain, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


def gelu_new(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def numpy_forward(w, c, ids):
    """Logits [length, vocab] for one sequence, float64, straight from the GPT-2 layout."""
    w = {k: v.astype(np.float64) for k, v in w.items()}
    eps, d, heads = c["layer_norm_epsilon"], c["n_embd"], c["n_head"]
    n, hd = len(ids), d // heads
    x = w["wte.weight"][ids] + w["wpe.weight"][:n]
    causal = np.triu(np.full((n, n), -np.inf), 1)
    for i in range(c["n_layer"]):
        p = f"h.{i}."
        a = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = qkv[:, :d], qkv[:, d : 2 * d], qkv[:, 2 * d :]
        out = np.empty((n, d))
        for h in range(heads):
            s = slice(h * hd, (h + 1) * hd)
            scores = q[:, s] @ k[:, s].T / math.sqrt(hd) + causal
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            out[:, s] = (scores / scores.sum(-1, keepdims=True)) @ v[:, s]
        x = x + out @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        m = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(m @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], eps)
    return x @ w["wte.weight"].T

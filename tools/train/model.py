"""GPT-2's architecture in plain PyTorch, with GPT-2's parameter names.

Pre-LayerNorm blocks (x + attn(ln_1(x)), then x + mlp(ln_2(x))), learned absolute positions,
one fused q|k|v projection, GELU with the tanh approximation (Hugging Face's `gelu_new`), a final
LayerNorm, biases everywhere, LayerNorm epsilon 1e-5, and the output layer tied to the token
embedding. Parameter names follow Hugging Face's `GPT2Model` (`wte`, `h.0.attn.c_attn`, ...);
the only layout difference is that `nn.Linear` stores weights [out, in] where GPT-2's `Conv1D`
stores [in, out], which `export_hf.py` transposes.
"""

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GptConfig:
    vocab_size: int = 8192
    n_positions: int = 256
    n_embd: int = 128
    n_layer: int = 4
    n_head: int = 4
    layer_norm_epsilon: float = 1e-5

    def to_dict(self):
        return asdict(self)


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head = config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, x, keep_attention=False):
        batch, length, width = x.shape
        q, k, v = self.c_attn(x).split(width, dim=2)
        # [batch, head, position, head_dim]
        q, k, v = (t.view(batch, length, self.n_head, -1).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
        future = torch.ones(length, length, dtype=torch.bool, device=x.device).triu(1)
        scores = scores.float().masked_fill(future, float("-inf"))
        attention = scores.softmax(dim=-1)
        # Kept for the induction probe and for the attention-supervision loss (which needs
        # its gradient; under torch.no_grad there is none to keep).
        self.attention = attention if keep_attention else None
        out = attention.to(v.dtype) @ v
        out = out.transpose(1, 2).reshape(batch, length, width)
        return self.c_proj(out)


class Mlp(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = Attention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = Mlp(config)

    def forward(self, x, keep_attention=False):
        x = x + self.attn(self.ln_1(x), keep_attention)
        return x + self.mlp(self.ln_2(x))


def sinusoid_positions(positions, width, rms=0.02):
    """[positions, width] sines and cosines of geometrically spaced frequencies (as in
    "Attention Is All You Need"), scaled to the given root mean square. Used only to initialise
    the learned position embedding: a shift by one position is then a fixed rotation, which
    lets a previous-token head (half of an induction circuit) form early in training."""
    position = torch.arange(positions, dtype=torch.float64)[:, None]
    frequency = 10000.0 ** (-torch.arange(0, width, 2, dtype=torch.float64) / width)
    table = torch.zeros(positions, width, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return (table * rms * math.sqrt(2)).float()


class Gpt2(nn.Module):
    def __init__(self, config, position_init="normal"):
        """`position_init`: "normal" (GPT-2's N(0, 0.02)) or "sinusoid" for `wpe`."""
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.apply(self._init_weights)
        # GPT-2 scales the projections that write into the residual stream by 1/sqrt(2 n_layer).
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))
        if position_init == "sinusoid":
            with torch.no_grad():
                self.wpe.weight.copy_(sinusoid_positions(config.n_positions, config.n_embd))
        elif position_init != "normal":
            raise ValueError(f"unknown position_init {position_init!r}")

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear):
            nn.init.zeros_(module.bias)

    def forward(self, ids, keep_attention=False):
        """Logits [batch, length, vocab] for token ids [batch, length]."""
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.wte(ids) + self.wpe(positions)
        for block in self.h:
            x = block(x, keep_attention)
        x = self.ln_f(x)
        return x @ self.wte.weight.t().to(x.dtype)  # tied output layer

    def attention_maps(self):
        """Attention probabilities [layer][batch, head, query, key] of the last forward that
        was run with `keep_attention=True`."""
        return [block.attn.attention for block in self.h]

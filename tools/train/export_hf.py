"""Writes a trained `model.Gpt2` as a Hugging Face GPT-2 folder: `config.json` + `model.safetensors`.

Tensor names are those of Hugging Face's GPT-2 checkpoints (`wte.weight`, `h.0.attn.c_attn.weight`,
...; no `transformer.` prefix, no `lm_head.weight` since it is tied to `wte`, no attention-mask
buffers). GPT-2 implements its projections as `Conv1D`, whose weight is [in, out] (input-major),
so every `nn.Linear` weight ([out, in]) is transposed; the fused `c_attn` then has its columns
in the order q | k | v.
"""

import json
import os

import numpy as np

from safetensors_io import write_safetensors

LINEAR_WEIGHTS = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def hf_tensors(model, dtype=np.float32):
    """name -> numpy array in GPT-2's layout."""
    out = {}
    for name, tensor in model.state_dict().items():
        array = tensor.detach().float().cpu().numpy()
        if name.endswith(LINEAR_WEIGHTS):
            array = array.T
        out[name] = np.ascontiguousarray(array.astype(dtype))
    return out


def hf_config(config, end_of_text_id, dtype_name="float32"):
    """GPT-2's `config.json` for a `model.GptConfig` (no dropout was used in training)."""
    return {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.0,
        "bos_token_id": end_of_text_id,
        "embd_pdrop": 0.0,
        "eos_token_id": end_of_text_id,
        "initializer_range": 0.02,
        "layer_norm_epsilon": config.layer_norm_epsilon,
        "model_type": "gpt2",
        "n_ctx": config.n_positions,
        "n_embd": config.n_embd,
        "n_head": config.n_head,
        "n_inner": None,
        "n_layer": config.n_layer,
        "n_positions": config.n_positions,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.0,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "tie_word_embeddings": True,
        "torch_dtype": dtype_name,
        "use_cache": True,
        "vocab_size": config.vocab_size,
    }


def export(model, out_dir, end_of_text_id, half=False):
    """Writes `config.json` and `model.safetensors` (F32, or F16 with `half`) into `out_dir`."""
    os.makedirs(out_dir, exist_ok=True)
    dtype, dtype_name = (np.float16, "float16") if half else (np.float32, "float32")
    write_safetensors(os.path.join(out_dir, "model.safetensors"), hf_tensors(model, dtype),
                      metadata={"format": "pt"})
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(hf_config(model.config, end_of_text_id, dtype_name), f, indent=2)
        f.write("\n")


def load_exported(folder):
    """A `model.Gpt2` rebuilt from a folder written by `export` (weights as float32)."""
    import torch

    from model import Gpt2, GptConfig
    from safetensors_io import read_safetensors

    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        hf = json.load(f)
    config = GptConfig(vocab_size=hf["vocab_size"], n_positions=hf["n_positions"],
                       n_embd=hf["n_embd"], n_layer=hf["n_layer"], n_head=hf["n_head"],
                       layer_norm_epsilon=hf["layer_norm_epsilon"])
    tensors, _ = read_safetensors(os.path.join(folder, "model.safetensors"))
    state = {}
    for name, array in tensors.items():
        array = array.astype(np.float32)
        state[name] = torch.from_numpy(np.ascontiguousarray(array.T if name.endswith(LINEAR_WEIGHTS) else array))
    model = Gpt2(config)
    model.load_state_dict(state, strict=True)
    return model.eval()

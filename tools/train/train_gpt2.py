#!/usr/bin/python3
"""Trains lmtt's embedded GPT-2-architecture model on CPU and exports it in Hugging Face layout.

Curriculum (see batches.py for the kinds of row):

1. induction warm-up (`--phase1-steps`): prose mixed with prose rows that repeat a span and rows
   of repeated random segments, at constant learning rate, plus an auxiliary loss on the
   attention pattern of two heads (a previous-token head in layer 0, an induction head in
   layer 1; see attention_supervision.py) whose weight fades linearly from
   `--aux-weight` to zero over the phase;
2. prose (`--phase2-steps`): mostly prose with some repeated rows, next-token loss only,
   learning rate decaying along a cosine to a tenth.

The induction probe (induction_probe.py) runs every `--probe-every` steps. At the end it
measures validation loss on all held-out prose, the unigram / bigram baselines and the probes,
writes `config.json` + `model.safetensors` into `--out`, checks the exported file with an
independent numpy forward pass, and records everything (command line, data hashes, seeds,
steps, tokens, timings, losses, probes) in `--out/training.json`.

usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/train/train_gpt2.py \
           --data /tmp/lmtt-corpus --out models/lmtt-tiny-gpt2
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads OpenMP

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attention_supervision import induction_loss, previous_token_loss  # noqa: E402
from baselines import baseline_losses  # noqa: E402
from batches import Mix, RowSampler  # noqa: E402
from check_export import compare, validation_windows  # noqa: E402
from export_hf import export  # noqa: E402
from induction_probe import probe_induction, repeated_prose_losses  # noqa: E402
from model import Gpt2, GptConfig  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="/tmp/lmtt-corpus", help="folder of train.bin, val.bin, tokens.json")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--init-from", default=None,
                   help="start from the weights of a checkpoint an earlier run saved (continued training)")
    p.add_argument("--checkpoint", default="/tmp/lmtt-train/model.pt",
                   help="where to save the raw PyTorch state dict (kept out of the model folder)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--width", type=int, default=192)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--context", type=int, default=256)
    p.add_argument("--position-init", choices=("normal", "sinusoid"), default="sinusoid",
                   help="initialisation of the learned position embedding")
    p.add_argument("--batch-tokens", type=int, default=4096,
                   help="tokens a step; rows of L tokens make batches of batch_tokens / L rows")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr-ratio", type=float, default=0.1)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--phase1-steps", type=int, default=800, help="induction warm-up steps")
    p.add_argument("--phase1-mix", default="0.4,0.2,0.4", help="prose,prose_repeat,random_repeat")
    p.add_argument("--aux-weight", type=float, default=1.0,
                   help="starting weight of the attention-supervision loss (fades to 0 in phase 1)")
    p.add_argument("--previous-token-head", default="0.0", help="layer.head supervised as previous-token head")
    p.add_argument("--induction-head", default="1.0", help="layer.head supervised as induction head")
    p.add_argument("--phase2-steps", type=int, default=1200)
    p.add_argument("--phase2-mix", default="0.65,0.15,0.2", help="prose,prose_repeat,random_repeat")
    p.add_argument("--random-low", type=int, default=0, help="first id of the random tokens")
    p.add_argument("--random-count", type=int, default=8191,
                   help="how many ids they range over (default: every id but end-of-text)")
    p.add_argument("--span-min", type=int, default=8, help="shortest repeated random segment")
    p.add_argument("--span-max", type=int, default=48, help="longest repeated random segment")
    p.add_argument("--probe-period", type=int, default=64, help="length of the probe's random sequence")
    p.add_argument("--probe-every", type=int, default=50)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-bf16", action="store_true", help="train in float32 instead of bf16 autocast")
    p.add_argument("--half", action="store_true", help="export F16 instead of F32")
    return p.parse_args()


def mix(text):
    return Mix(*(float(x) for x in text.split(",")))


def load_tokens(path):
    return np.memmap(path, dtype="<u2", mode="r")


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def optimizer_for(model, lr, weight_decay):
    """AdamW; matrices (and the tied embedding) decay, biases and LayerNorm gains do not."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    keep = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": keep, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95), eps=1e-8)


def learning_rate(args, step, phase2_start):
    """Linear warm-up, constant through phase 1, cosine decay over phase 2."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    if phase2_start is None:
        return args.lr
    progress = min(1.0, (step - phase2_start) / max(1, args.phase2_steps))
    floor = args.lr * args.min_lr_ratio
    return floor + (args.lr - floor) * 0.5 * (1 + math.cos(math.pi * progress))


@torch.no_grad()
def validation_loss(model, val, context, windows=None, batch=32, bf16=True):
    """Mean next-token loss over non-overlapping windows of held-out prose (all when None)."""
    was_training = model.training
    model.eval()
    count = (len(val) - 1) // context
    starts = np.arange(count) * context
    if windows is not None:
        starts = starts[:: max(1, count // windows)][:windows]
    total, n = 0.0, 0
    for at in range(0, len(starts), batch):
        rows = np.stack([np.asarray(val[s : s + context + 1], dtype=np.int64) for s in starts[at : at + batch]])
        rows = torch.from_numpy(rows)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(rows[:, :-1])
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), rows[:, 1:].reshape(-1),
                               reduction="sum")
        total += loss.item()
        n += rows[:, 1:].numel()
    model.train(was_training)
    return total / n, n


def log(handle, text):
    line = f"{time.strftime('%H:%M:%S')} {text}"
    print(line, flush=True)
    handle.write(line + "\n")
    handle.flush()


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    bf16 = not args.no_bf16
    with open(os.path.join(args.data, "tokens.json"), encoding="utf-8") as f:
        data_meta = json.load(f)
    train = load_tokens(os.path.join(args.data, "train.bin"))
    val = load_tokens(os.path.join(args.data, "val.bin"))
    end_of_text = data_meta["end_of_text_id"]
    config = GptConfig(vocab_size=data_meta["vocab_size"], n_positions=args.context,
                       n_embd=args.width, n_layer=args.layers, n_head=args.heads)
    model = Gpt2(config, position_init=args.position_init)
    init_from = None
    if args.init_from:
        model.load_state_dict(torch.load(args.init_from, map_location="cpu"), strict=True)
        with open(args.init_from, "rb") as f:
            init_from = {"checkpoint": args.init_from, "sha256": hashlib.sha256(f.read()).hexdigest()}
    optimizer = optimizer_for(model, args.lr, args.weight_decay)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    logfile = open(os.path.join(args.out, "training.log"), "w", encoding="utf-8")
    parameters = sum(p.numel() for p in model.parameters())
    if init_from:
        log(logfile, f"starting from {init_from}")
    log(logfile, f"model {config.to_dict()}: {parameters:,d} parameters; "
                 f"{len(train):,d} train / {len(val):,d} val tokens")

    random_range = (args.random_low, args.random_low + args.random_count)
    sampler = RowSampler(train, args.context, args.random_low, args.random_count,
                         args.span_min, args.span_max)
    prev_layer, prev_head = (int(x) for x in args.previous_token_head.split("."))
    ind_layer, ind_head = (int(x) for x in args.induction_head.split("."))
    history = []
    step, tokens_seen, started = 0, 0, time.time()
    last_report = started
    total_steps = args.phase1_steps + args.phase2_steps
    while step < total_steps:
        in_phase1 = step < args.phase1_steps
        phase2_start = None if in_phase1 else args.phase1_steps
        if step == args.phase1_steps:
            log(logfile, f"phase 2 (prose, no attention supervision) starts at step {step}")
        inputs, targets = sampler.batch(rng, args.batch_tokens // args.context,
                                        mix(args.phase1_mix if in_phase1 else args.phase2_mix))
        lr = learning_rate(args, step, phase2_start)
        for group in optimizer.param_groups:
            group["lr"] = lr
        aux_weight = args.aux_weight * (1 - step / args.phase1_steps) if in_phase1 else 0.0
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(inputs, keep_attention=aux_weight > 0)
        lm_loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                  ignore_index=-100)
        loss = lm_loss
        if aux_weight > 0:
            maps = model.attention_maps()
            aux = (previous_token_loss(maps[prev_layer][:, prev_head])
                   + induction_loss(maps[ind_layer][:, ind_head], inputs))
            loss = lm_loss + aux_weight * aux
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        tokens_seen += inputs.numel()

        now = time.time()
        if now - last_report > 30:
            rate = tokens_seen / (now - started)
            aux_text = f" aux {aux.item():.3f} x {aux_weight:.2f}" if aux_weight > 0 else ""
            log(logfile, f"step {step} loss {lm_loss.item():.3f}{aux_text} lr {lr:.2e} {rate:,.0f} tok/s")
            last_report = now
        record = {}
        if step % args.probe_every == 0:
            probe = probe_induction(model, end_of_text, period=args.probe_period,
                                    low=random_range[0], high=random_range[1])
            record["probe_warmup_range"] = {k: probe[k] for k in (
                "first_copy_loss", "second_copy_loss", "second_to_first_ratio",
                "best_induction_head", "best_previous_token_head")}
            log(logfile, f"step {step} probe: first {probe['first_copy_loss']:.3f} "
                         f"second {probe['second_copy_loss']:.3f} "
                         f"(ratio {probe['second_to_first_ratio']:.3f}) "
                         f"induction {probe['best_induction_head']} "
                         f"previous-token {probe['best_previous_token_head']}")
        if step % args.eval_every == 0:
            val_loss, _ = validation_loss(model, val, args.context, windows=64, bf16=bf16)
            record["val_loss_sample"] = round(val_loss, 4)
            log(logfile, f"step {step} validation loss (64 windows) {val_loss:.4f}")
        if record:
            history.append({"step": step, "seconds": round(time.time() - started, 1),
                            "train_loss": round(lm_loss.item(), 4), "lr": lr, **record})
    train_seconds = time.time() - started
    log(logfile, f"trained {step} steps, {tokens_seen:,d} tokens in {train_seconds / 60:.1f} min")

    val_loss, val_tokens = validation_loss(model, val, args.context, bf16=False)
    baselines = baseline_losses(train, val, config.vocab_size)
    model.float()
    probes = {
        "random_tokens_full_vocabulary": probe_induction(model, end_of_text, period=args.probe_period),
        "random_tokens_warmup_range": probe_induction(model, end_of_text, period=args.probe_period,
                                                      low=random_range[0], high=random_range[1]),
        "repeated_prose": repeated_prose_losses(model, val, span=min(100, args.context // 2)),
    }
    log(logfile, f"validation loss {val_loss:.4f} over {val_tokens:,d} tokens; baselines {baselines}")
    log(logfile, f"probes {json.dumps({k: {x: v[x] for x in ('first_copy_loss', 'second_copy_loss')} for k, v in probes.items()})}")
    log(logfile, f"best induction head {probes['random_tokens_full_vocabulary']['best_induction_head']}")

    os.makedirs(os.path.dirname(os.path.abspath(args.checkpoint)), exist_ok=True)
    torch.save(model.state_dict(), args.checkpoint)
    export(model, args.out, end_of_text, half=args.half)
    exported, _ = read_safetensors(os.path.join(args.out, "model.safetensors"))
    with open(os.path.join(args.out, "config.json"), encoding="utf-8") as f:
        hf_config = json.load(f)
    worst, numpy_loss = compare(model.eval(), exported, hf_config,
                                validation_windows(args.data, args.context, config.vocab_size))
    log(logfile, f"export check: numpy forward of the exported file vs the trained model: "
                 f"max |logit diff| {worst:.2e}, numpy loss {numpy_loss:.4f}")
    record = {
        "command": " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv),
        "arguments": vars(args),
        "seeds": {"python": args.seed, "numpy": args.seed, "torch": args.seed},
        "initial_weights": init_from or "random (GPT-2 initialisation, sinusoidal wpe)",
        "data": data_meta,
        "model": {**config.to_dict(), "parameters": parameters},
        "curriculum": {
            "phase1_steps": args.phase1_steps,
            "phase1_mix": args.phase1_mix,
            "attention_supervision": {
                "previous_token_head": args.previous_token_head,
                "induction_head": args.induction_head,
                "weight": f"{args.aux_weight} fading linearly to 0 over phase 1",
            },
            "phase2_steps": args.phase2_steps,
            "phase2_mix": args.phase2_mix,
            "mix_fields": "prose, prose_repeat, random_repeat",
            "random_token_range": list(random_range),
        },
        "steps": step,
        "batch_tokens": args.batch_tokens,
        "context": args.context,
        "tokens_seen": tokens_seen,
        "train_seconds": round(train_seconds, 1),
        "hardware": f"{platform.machine()} CPU, {args.threads} threads, torch {torch.__version__}, "
                    f"{'bf16 autocast' if bf16 else 'float32'}",
        "validation": {"loss": round(val_loss, 4), "tokens": val_tokens, "baselines": baselines},
        "induction_probes": probes,
        "export_check": {"max_abs_logit_difference": worst, "numpy_loss_on_4_val_windows": round(numpy_loss, 4),
                         "method": "check_export.py: float64 numpy GPT-2 forward on the exported "
                                   "safetensors vs the trained PyTorch model"},
        "history": history,
    }
    with open(os.path.join(args.out, "training.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    log(logfile, f"wrote {args.out}/config.json, model.safetensors and training.json")


if __name__ == "__main__":
    main()

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawConfig } from '../src/families/family.js';
import { familyFor } from '../src/families/registry.js';
import { loadModel } from '../src/node.js';
import { rotaryInverseFrequencies } from '../src/spec/rotary.js';
import { referenceInverseFrequencies } from './support/reference-llama.js';
import type { LlamaConfig } from './support/tiny-llama.js';
import { writeTinyLlama } from './support/tiny-llama.js';
import { writeTinyOpt } from './support/tiny-opt.js';

const SUPPORTED = 'supported: gpt2, llama, mistral, qwen2, opt, gpt_neox, phi, gemma';

/** A Llama 3.1 8B-like config (sizes shrunk) with every field the family reads. */
const LLAMA: RawConfig = {
  model_type: 'llama',
  hidden_size: 64,
  intermediate_size: 96,
  num_hidden_layers: 2,
  num_attention_heads: 8,
  num_key_value_heads: 2,
  max_position_embeddings: 131072,
  vocab_size: 300,
  rms_norm_eps: 1e-5,
  rope_theta: 500000,
  rope_scaling: {
    rope_type: 'llama3',
    factor: 8,
    low_freq_factor: 1,
    high_freq_factor: 4,
    original_max_position_embeddings: 8192,
  },
  hidden_act: 'silu',
  tie_word_embeddings: false,
  bos_token_id: 128000,
  eos_token_id: [128001, 128008, 128009],
};

const WITH_HEAD = new Set(['model.embed_tokens.weight', 'lm_head.weight']);

const OPT: RawConfig = {
  model_type: 'opt',
  hidden_size: 32,
  word_embed_proj_dim: 32,
  ffn_dim: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  max_position_embeddings: 2048,
  vocab_size: 300,
  do_layer_norm_before: true,
  activation_function: 'relu',
  bos_token_id: 2,
  eos_token_id: 2,
};

const specOf = (config: RawConfig, weights: ReadonlySet<string> = WITH_HEAD) =>
  familyFor(config).toSpec(config, weights);

describe('family registry', () => {
  it('names every supported model_type for an unknown one', () => {
    expect(() => familyFor({ model_type: 'mamba' })).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_MODEL',
        message: `model_type 'mamba' is not supported (${SUPPORTED})`,
      }),
    );
    expect(() => familyFor({})).toThrow(`model_type 'undefined' is not supported (${SUPPORTED})`);
  });
});

describe('llama, mistral, qwen2 specs', () => {
  it('maps a Llama 3 config: GQA, rotary with llama3 scaling, SwiGLU, untied, no biases', () => {
    const spec = specOf(LLAMA);
    expect(spec).toMatchObject({
      family: 'llama',
      nHeads: 8,
      nKvHeads: 2,
      dHead: 8,
      dMlp: 96,
      nCtx: 131072,
      activation: 'silu',
      parallelBlock: false,
      attnScale: 1 / Math.sqrt(8),
      embed: 'model.embed_tokens.weight',
      positions: {
        kind: 'rotary',
        theta: 500000,
        scaling: {
          kind: 'llama3',
          factor: 8,
          lowFreqFactor: 1,
          highFreqFactor: 4,
          originalMaxPositions: 8192,
        },
      },
      unembed: { weight: 'lm_head.weight', layout: 'out_in' },
      lnFinal: { kind: 'rmsnorm', eps: 1e-5, weight: 'model.norm.weight' },
      bosTokenId: 128000,
      eosTokenId: 128001,
    });
    const layer = spec.layers[1]!;
    expect(layer.qkv).toEqual({
      kind: 'separate',
      q: { weight: 'model.layers.1.self_attn.q_proj.weight', layout: 'out_in' },
      k: { weight: 'model.layers.1.self_attn.k_proj.weight', layout: 'out_in' },
      v: { weight: 'model.layers.1.self_attn.v_proj.weight', layout: 'out_in' },
    });
    expect(layer.mlp).toEqual({
      kind: 'gated',
      gate: { weight: 'model.layers.1.mlp.gate_proj.weight', layout: 'out_in' },
      up: { weight: 'model.layers.1.mlp.up_proj.weight', layout: 'out_in' },
      out: { weight: 'model.layers.1.mlp.down_proj.weight', layout: 'out_in' },
    });
  });

  it('reads head_dim, ties the unembedding, and takes unprefixed names', () => {
    const spec = specOf(
      { ...LLAMA, head_dim: 16, tie_word_embeddings: true, rope_scaling: null },
      new Set(['embed_tokens.weight']),
    );
    expect(spec).toMatchObject({ dHead: 16, attnScale: 0.25, embed: 'embed_tokens.weight' });
    expect(spec.unembed.weight).toBe('embed_tokens.weight');
    expect(spec.positions).toEqual({ kind: 'rotary', theta: 500000 });
    expect(spec.lnFinal.weight).toBe('norm.weight');
  });

  it("gives Qwen2 q/k/v biases (not o's) and caps nCtx at an active sliding window", () => {
    const qwen = specOf({
      ...LLAMA,
      model_type: 'qwen2',
      rope_scaling: null,
      sliding_window: 4096,
    });
    const qkv = qwen.layers[0]!.qkv;
    if (qkv.kind !== 'separate') throw new Error('fused');
    expect(qkv.q.bias).toBe('model.layers.0.self_attn.q_proj.bias');
    expect(qkv.v.bias).toBe('model.layers.0.self_attn.v_proj.bias');
    expect(qwen.layers[0]!.attnOut.bias).toBeUndefined();
    expect(qwen.nCtx).toBe(131072);
    const windowed = {
      ...LLAMA,
      model_type: 'qwen2',
      rope_scaling: null,
      use_sliding_window: true,
      sliding_window: 4096,
    };
    expect(specOf(windowed).nCtx).toBe(4096);
    const mistral = { ...LLAMA, model_type: 'mistral', rope_scaling: null, sliding_window: 4096 };
    expect(specOf(mistral)).toMatchObject({ family: 'mistral', nCtx: 4096 });
    expect(specOf({ ...mistral, sliding_window: null }).nCtx).toBe(131072);
  });

  it('refuses what it cannot run, naming why', () => {
    const refuse = (config: RawConfig, message: string, weights?: ReadonlySet<string>) =>
      expect(() => specOf(config, weights)).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_MODEL', message }),
      );
    refuse(
      { ...LLAMA, rope_scaling: { rope_type: 'yarn', factor: 4 } },
      "llama: rope_scaling type 'yarn' is not supported (supported: default, llama3)",
    );
    refuse(
      { ...LLAMA, rope_scaling: { type: 'linear', factor: 2 } },
      "llama: rope_scaling type 'linear' is not supported (supported: default, llama3)",
    );
    refuse(
      { ...LLAMA, rope_scaling: { rope_type: 'llama3', factor: 8 } },
      'llama: rope_scaling.low_freq_factor must be a positive number',
    );
    refuse(
      { ...LLAMA, model_type: 'mistral', hidden_act: 'gelu' },
      "mistral: hidden_act 'gelu' is not supported (supported: silu)",
    );
    refuse(
      { ...LLAMA, num_key_value_heads: 3 },
      'llama: num_attention_heads 8 is not a multiple of num_key_value_heads 3',
    );
    refuse(
      LLAMA,
      'llama: tie_word_embeddings is not true but the checkpoint has no lm_head.weight',
      new Set(['model.embed_tokens.weight']),
    );
    refuse(
      { ...LLAMA, hidden_size: undefined },
      "config.json has no positive integer 'hidden_size'",
    );
  });
});

describe('rotary inverse frequencies', () => {
  it("match Hugging Face's llama3 adjustment on Llama 3.1 8B's settings", () => {
    const expected = referenceInverseFrequencies(LLAMA as unknown as LlamaConfig, 128);
    const got = rotaryInverseFrequencies(specOf(LLAMA).positions as never, 128);
    expect(got.length).toBe(64);
    for (let i = 0; i < 64; i++) expect(got[i]! / expected[i]!).toBeCloseTo(1, 12);
    // high frequencies kept, low ones divided by the factor, the middle band in between
    expect(got[0]).toBe(1);
    expect(got[63]! / (1 / 500000 ** (126 / 128))).toBeCloseTo(1 / 8, 12);
    const ratios = Array.from(got, (f, i) => f * 500000 ** ((2 * i) / 128));
    expect(ratios.some((r) => r > 1 / 8 + 1e-6 && r < 1 - 1e-6)).toBe(true);
  });
});

describe('opt specs', () => {
  it('maps OPT: offset-2 learned positions, ReLU, biases, tied unembedding', () => {
    const spec = specOf(OPT, new Set(['model.decoder.embed_tokens.weight']));
    expect(spec).toMatchObject({
      family: 'opt',
      dHead: 8,
      dMlp: 64,
      nCtx: 2048,
      activation: 'relu',
      positions: { kind: 'learned', weight: 'model.decoder.embed_positions.weight', offset: 2 },
      unembed: { weight: 'model.decoder.embed_tokens.weight', layout: 'out_in' },
      lnFinal: {
        kind: 'layernorm',
        weight: 'model.decoder.final_layer_norm.weight',
        bias: 'model.decoder.final_layer_norm.bias',
      },
      bosTokenId: 2,
    });
    expect(spec.layers[0]!.attnOut).toEqual({
      weight: 'model.decoder.layers.0.self_attn.out_proj.weight',
      layout: 'out_in',
      bias: 'model.decoder.layers.0.self_attn.out_proj.bias',
    });
    const noBias = specOf({ ...OPT, enable_bias: false }, new Set(['decoder.embed_tokens.weight']));
    expect(noBias.layers[0]!.mlp).toEqual({
      kind: 'plain',
      in: { weight: 'decoder.layers.0.fc1.weight', layout: 'out_in' },
      out: { weight: 'decoder.layers.0.fc2.weight', layout: 'out_in' },
    });
  });

  it('refuses the post-LayerNorm and projected-embedding variants (OPT-350m), naming why', () => {
    const refuse = (config: RawConfig, message: RegExp) =>
      expect(() => specOf(config)).toThrow(
        expect.objectContaining({
          code: 'UNSUPPORTED_MODEL',
          message: expect.stringMatching(message),
        }),
      );
    refuse(
      { ...OPT, do_layer_norm_before: false },
      /^opt: post-LayerNorm blocks \(do_layer_norm_before: false/,
    );
    refuse(
      { ...OPT, word_embed_proj_dim: 16 },
      /^opt: word_embed_proj_dim 16 differs from hidden_size 32/,
    );
    refuse({ ...OPT, _remove_final_layer_norm: true }, /_remove_final_layer_norm/);
    refuse(
      { ...OPT, layer_norm_elementwise_affine: false },
      /layer_norm_elementwise_affine: false/,
    );
    refuse(
      { ...OPT, activation_function: 'tanh' },
      /^opt: activation_function 'tanh' is not supported/,
    );
  });
});

describe('loading refused models', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lmtt-families-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives a typed error, not a crash, for OPT-350m-style and yarn-scaled folders', async () => {
    const opt = await writeTinyOpt(join(root, 'opt'), { seed: 1 });
    await writeFile(
      join(opt.dir, 'config.json'),
      JSON.stringify({ ...opt.config, do_layer_norm_before: false, word_embed_proj_dim: 16 }),
    );
    await expect(loadModel(opt.dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODEL',
      message: expect.stringContaining('do_layer_norm_before: false'),
    });
    const llama = await writeTinyLlama(join(root, 'llama'), { modelType: 'llama', seed: 1 });
    await writeFile(
      join(llama.dir, 'config.json'),
      JSON.stringify({ ...llama.config, rope_scaling: { rope_type: 'dynamic', factor: 2 } }),
    );
    await expect(loadModel(llama.dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODEL',
      message: expect.stringContaining("rope_scaling type 'dynamic'"),
    });
  });
});

/** gemma-7b's config (sizes shrunk): 16 heads of 256 on a 3072-wide residual, scaled down. */
const GEMMA: RawConfig = {
  model_type: 'gemma',
  hidden_size: 48,
  intermediate_size: 96,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 1,
  head_dim: 16,
  max_position_embeddings: 8192,
  vocab_size: 300,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  rope_scaling: null,
  hidden_act: 'gelu',
  hidden_activation: 'gelu_pytorch_tanh',
  attention_bias: false,
  torch_dtype: 'bfloat16',
  bos_token_id: 2,
  eos_token_id: 1,
  pad_token_id: 0,
};

describe('gemma specs', () => {
  const weights = new Set(['model.embed_tokens.weight']);

  it('maps Gemma: (1 + w) RMSNorms, scaled embeddings, GeGLU, head_dim, MQA, tied', () => {
    const spec = specOf(GEMMA, weights);
    expect(spec).toMatchObject({
      family: 'gemma',
      dModel: 48,
      nHeads: 4,
      nKvHeads: 1,
      dHead: 16,
      attnScale: 0.25,
      activation: 'gelu_new',
      parallelBlock: false,
      embed: 'model.embed_tokens.weight',
      // sqrt(48) = 6.928... in bfloat16
      embedScale: 6.9375,
      positions: { kind: 'rotary', theta: 10000 },
      lnFinal: { kind: 'rmsnorm', eps: 1e-6, weight: 'model.norm.weight', weightOffset: 1 },
      unembed: { weight: 'model.embed_tokens.weight', layout: 'out_in' },
      bosTokenId: 2,
      eosTokenId: 1,
    });
    expect(spec.layers[1]!.ln2).toEqual({
      kind: 'rmsnorm',
      eps: 1e-6,
      weight: 'model.layers.1.post_attention_layernorm.weight',
      weightOffset: 1,
    });
    expect(spec.layers[0]!.attnOut).toEqual({
      weight: 'model.layers.0.self_attn.o_proj.weight',
      layout: 'out_in',
    });
  });

  it('reads the activation from hidden_activation, the tanh GELU when absent', () => {
    const { hidden_activation: _, ...early } = GEMMA;
    expect(specOf(early, weights).activation).toBe('gelu_new');
    expect(specOf({ ...GEMMA, hidden_activation: 'gelu' }, weights).activation).toBe('gelu');
    expect(specOf({ ...GEMMA, torch_dtype: 'float32' }, weights).embedScale).toBe(
      Math.fround(Math.sqrt(48)),
    );
    expect(specOf({ ...GEMMA, torch_dtype: 'float16' }, weights).embedScale).toBe(6.9296875);
  });

  it('refuses Gemma 2 and 3 naming why, and variants it cannot run', () => {
    for (const modelType of ['gemma2', 'gemma3', 'gemma3_text']) {
      expect(() => familyFor({ ...GEMMA, model_type: modelType })).toThrow(
        expect.objectContaining({
          code: 'UNSUPPORTED_MODEL',
          message: expect.stringMatching(
            new RegExp(`^model_type '${modelType}' is not supported: Gemma \\d .*sliding-window`),
          ),
        }),
      );
    }
    expect(() => familyFor({ model_type: 'constructor' })).toThrow(
      `model_type 'constructor' is not supported (${SUPPORTED})`,
    );
    const refuse = (config: RawConfig, message: string) =>
      expect(() => specOf(config, weights)).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_MODEL', message }),
      );
    refuse(
      { ...GEMMA, hidden_activation: 'silu' },
      "gemma: hidden_activation 'silu' is not supported (supported: gelu_pytorch_tanh, gelu_new, gelu_fast, gelu)",
    );
    refuse(
      { ...GEMMA, rope_scaling: { rope_type: 'linear', factor: 2 } },
      "gemma: rope scaling 'linear' is not supported (supported: default)",
    );
    refuse(
      { ...GEMMA, num_key_value_heads: 3 },
      'gemma: num_attention_heads 4 is not a multiple of num_key_value_heads 3',
    );
    refuse({ ...GEMMA, head_dim: 7 }, 'gemma: head size 7 is not an even integer');
    refuse(
      { ...GEMMA, tie_word_embeddings: false },
      'gemma: tie_word_embeddings is false but the checkpoint has no lm_head.weight',
    );
  });
});

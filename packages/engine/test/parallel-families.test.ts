import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawConfig } from '../src/families/family.js';
import { familyFor } from '../src/families/registry.js';
import { loadModel } from '../src/node.js';
import { writeTinyNeox } from './support/tiny-neox.js';

/** Pythia-160m's config (sizes shrunk) with every field the family reads. */
const PYTHIA: RawConfig = {
  model_type: 'gpt_neox',
  hidden_size: 64,
  intermediate_size: 256,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  max_position_embeddings: 2048,
  vocab_size: 300,
  rotary_pct: 0.25,
  rotary_emb_base: 10000,
  layer_norm_eps: 1e-5,
  hidden_act: 'gelu',
  use_parallel_residual: true,
  tie_word_embeddings: false,
  bos_token_id: 0,
  eos_token_id: 0,
};

/** phi-2's config (sizes shrunk). */
const PHI: RawConfig = {
  model_type: 'phi',
  hidden_size: 64,
  intermediate_size: 256,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: null,
  max_position_embeddings: 2048,
  vocab_size: 300,
  partial_rotary_factor: 0.4,
  rope_theta: 10000,
  rope_scaling: null,
  layer_norm_eps: 1e-5,
  hidden_act: 'gelu_new',
  qk_layernorm: false,
  tie_word_embeddings: false,
  bos_token_id: 1,
  eos_token_id: 2,
};

const NEOX_WEIGHTS = new Set(['gpt_neox.embed_in.weight', 'embed_out.weight']);
const PHI_WEIGHTS = new Set(['model.embed_tokens.weight', 'lm_head.weight', 'lm_head.bias']);

const specOf = (config: RawConfig, weights: ReadonlySet<string>) =>
  familyFor(config).toSpec(config, weights);

const refuse = (config: RawConfig, weights: ReadonlySet<string>, message: RegExp) =>
  expect(() => specOf(config, weights)).toThrow(
    expect.objectContaining({ code: 'UNSUPPORTED_MODEL', message: expect.stringMatching(message) }),
  );

describe('gpt_neox specs', () => {
  it('maps Pythia: parallel block, per-head fused qkv, partial rotary, untied embed_out', () => {
    const spec = specOf(PYTHIA, NEOX_WEIGHTS);
    expect(spec).toMatchObject({
      family: 'gpt_neox',
      nHeads: 4,
      nKvHeads: 4,
      dHead: 16,
      dMlp: 256,
      activation: 'gelu',
      parallelBlock: true,
      positions: { kind: 'rotary', theta: 10000, rotaryDims: 4 },
      embed: 'gpt_neox.embed_in.weight',
      unembed: { weight: 'embed_out.weight', layout: 'out_in' },
      lnFinal: { kind: 'layernorm', weight: 'gpt_neox.final_layer_norm.weight' },
    });
    const layer = spec.layers[1]!;
    expect(layer.qkv).toEqual({
      kind: 'fused_per_head',
      proj: {
        weight: 'gpt_neox.layers.1.attention.query_key_value.weight',
        layout: 'out_in',
        bias: 'gpt_neox.layers.1.attention.query_key_value.bias',
      },
    });
    expect(layer.ln2?.weight).toBe('gpt_neox.layers.1.post_attention_layernorm.weight');
    expect(layer.mlp).toMatchObject({
      in: { weight: 'gpt_neox.layers.1.mlp.dense_h_to_4h.weight' },
    });
    expect(spec.unembed.bias).toBeUndefined();
  });

  it('reads use_parallel_residual false, attention_bias false and tied embeddings', () => {
    const spec = specOf(
      { ...PYTHIA, use_parallel_residual: false, attention_bias: false, tie_word_embeddings: true },
      new Set(['gpt_neox.embed_in.weight']),
    );
    expect(spec.parallelBlock).toBe(false);
    expect(spec.layers[0]!.attnOut.bias).toBeUndefined();
    expect(spec.layers[0]!.mlp).toMatchObject({ in: { bias: expect.any(String) } });
    expect(spec.unembed.weight).toBe('gpt_neox.embed_in.weight');
  });

  it('refuses what it cannot run, naming why', () => {
    refuse(
      { ...PYTHIA, rope_scaling: { type: 'linear', factor: 2 } },
      NEOX_WEIGHTS,
      /^gpt_neox: rope_scaling type 'linear'/,
    );
    refuse(
      { ...PYTHIA, rotary_pct: 0.1 },
      NEOX_WEIGHTS,
      /rotary_pct 0.1 of head size 16 gives 1 rotary dimensions/,
    );
    refuse({ ...PYTHIA, hidden_act: 'swish' }, NEOX_WEIGHTS, /^gpt_neox: hidden_act 'swish'/);
    refuse(PYTHIA, new Set(['gpt_neox.embed_in.weight']), /no embed_out.weight/);
  });
});

describe('phi specs', () => {
  it('maps phi-2: one shared LayerNorm, partial rotary, dense out, lm_head with bias', () => {
    const spec = specOf(PHI, PHI_WEIGHTS);
    expect(spec).toMatchObject({
      family: 'phi',
      nHeads: 4,
      nKvHeads: 4,
      dHead: 16,
      activation: 'gelu_new',
      parallelBlock: true,
      positions: { kind: 'rotary', theta: 10000, rotaryDims: 6 },
      lnFinal: { kind: 'layernorm', weight: 'model.final_layernorm.weight' },
      unembed: { weight: 'lm_head.weight', bias: 'lm_head.bias', layout: 'out_in' },
    });
    const layer = spec.layers[0]!;
    expect(layer.ln2).toBeUndefined();
    expect(layer.ln1.bias).toBe('model.layers.0.input_layernorm.bias');
    expect(layer.attnOut).toEqual({
      weight: 'model.layers.0.self_attn.dense.weight',
      layout: 'out_in',
      bias: 'model.layers.0.self_attn.dense.bias',
    });
    expect(layer.mlp).toMatchObject({ out: { weight: 'model.layers.0.mlp.fc2.weight' } });
  });

  it('refuses qk_layernorm, rope_scaling and odd rotary widths, naming why', () => {
    refuse(
      { ...PHI, qk_layernorm: true },
      PHI_WEIGHTS,
      /^phi: per-head q\/k LayerNorms \(qk_layernorm: true\)/,
    );
    refuse(
      { ...PHI, rope_scaling: { type: 'dynamic', factor: 2 } },
      PHI_WEIGHTS,
      /^phi: rope_scaling type 'dynamic'/,
    );
    refuse(
      { ...PHI, partial_rotary_factor: 0.2 },
      PHI_WEIGHTS,
      /partial_rotary_factor 0.2 of head size 16 gives 3 rotary dimensions/,
    );
  });
});

describe('loading a refused GPT-NeoX folder', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lmtt-parallel-families-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives a typed error naming the unsupported feature, not a crash', async () => {
    const tiny = await writeTinyNeox(join(root, 'neox'), { seed: 1 });
    await writeFile(
      join(tiny.dir, 'config.json'),
      JSON.stringify({ ...tiny.config, rope_scaling: { type: 'dynamic', factor: 2 } }),
    );
    await expect(loadModel(tiny.dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODEL',
      message: expect.stringContaining("rope_scaling type 'dynamic'"),
    });
  });
});

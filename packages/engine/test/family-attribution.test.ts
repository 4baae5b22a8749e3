import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceLayerContributions } from '../src/attribution/reference-layer.js';
import { headOutputs } from '../src/detail/heads.js';
import { neuronVectors } from '../src/detail/neurons.js';
import { loadModel } from '../src/node.js';
import type { Trace, TraceEvent, TraceFull } from '../src/schema/index.js';
import { trace } from '../src/trace/trace.js';
import type { ReferenceForward } from './support/reference-gpt2.js';
import { referenceGemma } from './support/reference-gemma.js';
import { referenceLlama } from './support/reference-llama.js';
import { referenceOpt } from './support/reference-opt.js';
import { transpose } from './support/reference-ops.js';
import { writeTinyGemma } from './support/tiny-gemma.js';
import { writeTinyLlama } from './support/tiny-llama.js';
import { writeTinyOpt } from './support/tiny-opt.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-family-trace-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const PROMPT = 'the cat and the dog and the cat';

interface Case {
  /** Writes the model; returns its folder, float64 forward and W_O of layer l as [H d_head, d_model]. */
  readonly write: (dir: string) => Promise<{
    dir: string;
    reference: (ids: readonly number[]) => ReferenceForward;
    wO: (l: number) => Float64Array;
  }>;
  readonly nHeads: number;
  readonly nKvHeads: number;
}

const CASES: Record<string, Case> = {
  'llama, GQA 4:2, llama3 rope_scaling': {
    nHeads: 4,
    nKvHeads: 2,
    write: async (dir) => {
      const tiny = await writeTinyLlama(dir, {
        modelType: 'llama',
        seed: 21,
        nLayers: 3,
        ropeScaling: {
          rope_type: 'llama3',
          factor: 8,
          low_freq_factor: 1,
          high_freq_factor: 4,
          original_max_position_embeddings: 64,
        },
      });
      return {
        dir: tiny.dir,
        reference: (ids) => referenceLlama(tiny, ids),
        wO: (l) =>
          transpose(tiny.weights.get(`model.layers.${l}.self_attn.o_proj.weight`)!, 32, 32),
      };
    },
  },
  'qwen2, GQA 4:1, head_dim 12, q/k/v biases': {
    nHeads: 4,
    nKvHeads: 1,
    write: async (dir) => {
      const tiny = await writeTinyLlama(dir, {
        modelType: 'qwen2',
        seed: 22,
        nKvHeads: 1,
        headDim: 12,
        tie: true,
      });
      return {
        dir: tiny.dir,
        reference: (ids) => referenceLlama(tiny, ids),
        wO: (l) =>
          transpose(tiny.weights.get(`model.layers.${l}.self_attn.o_proj.weight`)!, 32, 48),
      };
    },
  },
  'gemma, GQA 4:2, head_dim 16 (H d_head 64, d_model 48), bf16': {
    nHeads: 4,
    nKvHeads: 2,
    write: async (dir) => {
      const tiny = await writeTinyGemma(dir, { seed: 25, nKvHeads: 2, dtype: 'BF16' });
      return {
        dir: tiny.dir,
        reference: (ids) => referenceGemma(tiny, ids),
        wO: (l) =>
          transpose(tiny.weights.get(`model.layers.${l}.self_attn.o_proj.weight`)!, 48, 64),
      };
    },
  },
  'opt, offset-2 positions': {
    nHeads: 4,
    nKvHeads: 4,
    write: async (dir) => {
      const tiny = await writeTinyOpt(dir, { seed: 23 });
      return {
        dir: tiny.dir,
        reference: (ids) => referenceOpt(tiny, ids),
        wO: (l) => transpose(tiny.weights.get(`layers.${l}.self_attn.out_proj.weight`)!, 32, 32),
      };
    },
  },
};

async function traced(dir: string, prompt: string): Promise<TraceFull> {
  const model = await loadModel(dir, { device: 'cpu' });
  try {
    const events: TraceEvent[] = [];
    for await (const event of trace(model, prompt, { detail: 'full', topK: 5, topNeurons: 4 })) {
      events.push(event);
    }
    const last = events.at(-1)!;
    if (last.type !== 'done') throw new Error(`trace ended with ${JSON.stringify(last)}`);
    const result: Trace = last.trace;
    if (result.kind !== 'full') throw new Error('not a full trace');
    return result;
  } finally {
    await model.dispose();
  }
}

describe('attribution on the Llama-style and OPT families', () => {
  for (const [name, { write, nHeads, nKvHeads }] of Object.entries(CASES)) {
    it(`matches the float64 reference contributions, which sum to 1 per node (${name})`, async () => {
      const { dir, reference, wO } = await write(join(root, name.replace(/\W+/g, '-')));
      const result = await traced(dir, PROMPT);
      const ids = result.tokens.map((t) => t.id);
      const T = ids.length;
      const forward = reference(ids);
      for (const [l, layer] of forward.layers.entries()) {
        const expected = referenceLayerContributions(
          {
            residPre: layer.resid_pre.data,
            residMid: layer.resid_mid.data,
            residPost: layer.resid_post.data,
            mlpOut: layer.mlp_out.data,
            pattern: layer['attn.pattern'].data,
            v: layer['attn.v'].data,
            wO: wO(l),
            nHeads,
            nKvHeads,
          },
          { layer: l },
        ).contributions;
        const got = result.contributions[l]!;
        for (const key of [
          'attention',
          'attentionResidual',
          'ffn',
          'ffnResidual',
          'heads',
        ] as const) {
          const a = got[key]!;
          const b = expected[key]!;
          expect(a.length, key).toBe(b.length);
          for (let i = 0; i < b.length; i++) {
            expect(Math.abs(a[i]! - b[i]!), `${key}[${i}] layer ${l}`).toBeLessThan(1e-4);
          }
        }
        for (let t = 0; t < T; t++) {
          let attention = got.attentionResidual[t]!;
          for (let s = 0; s < T; s++) attention += got.attention[t * T + s]!;
          expect(attention).toBeCloseTo(1, 5);
          expect(got.ffn[t]! + got.ffnResidual[t]!).toBeCloseTo(1, 5);
        }
      }
      expect(result.neurons.indices.length).toBe(forward.layers.length * T * 4);
      expect(result.lens.ids.length).toBe((1 + 2 * forward.layers.length) * T * 5);
    });
  }
});

describe('head outputs and neuron vectors with nn.Linear [out, in] weights', () => {
  it('sum over heads (plus b_O) to attn_out under GQA, and W_out[i] is down_proj column i', async () => {
    const tiny = await writeTinyLlama(join(root, 'decomposition'), {
      modelType: 'llama',
      seed: 24,
      nKvHeads: 2,
      headDim: 12,
      attentionBias: true,
    });
    const model = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      const forward = await model.run([5, 80, 81, 82, 5, 80, 299]);
      const T = forward.ids.length;
      const d = 32;
      for (const [l, layer] of forward.layers.entries()) {
        const heads = await headOutputs(model, l, layer); // [T, H, d_model]
        expect(heads.dims).toEqual([T, 4, d]);
        const bias = tiny.weights.get(`model.layers.${l}.self_attn.o_proj.bias`)!; // [d_model]
        for (let t = 0; t < T; t++) {
          for (let i = 0; i < d; i++) {
            let sum = bias[i]!;
            for (let h = 0; h < 4; h++) sum += heads.data[(t * 4 + h) * d + i]!;
            expect(Math.abs(sum - layer.attn_out.data[t * d + i]!)).toBeLessThan(1e-5);
          }
        }
        const down = tiny.weights.get(`model.layers.${l}.mlp.down_proj.weight`)!; // [d_model, d_mlp]
        const vectors = await neuronVectors(model, l, [0, 17, 47]); // [3, d_model]
        [0, 17, 47].forEach((neuron, k) => {
          for (let i = 0; i < d; i++) {
            expect(vectors.data[k * d + i]).toBe(Math.fround(down[i * 48 + neuron]!));
          }
        });
      }
    } finally {
      await model.dispose();
    }
  });
});

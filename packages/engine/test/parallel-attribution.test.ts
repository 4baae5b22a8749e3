import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceLayerContributions } from '../src/attribution/reference-layer.js';
import { headOutputs } from '../src/detail/heads.js';
import { logitLens } from '../src/detail/lens.js';
import { neuronVectors } from '../src/detail/neurons.js';
import { loadModel } from '../src/node.js';
import { edgeAt, routeEdges } from '../src/schema/index.js';
import type { BlockLayout, TraceEvent, TraceFull } from '../src/schema/index.js';
import { trace } from '../src/trace/trace.js';
import { decodeTrace, encodeTrace } from '../src/trace-file/index.js';
import { lensTokens } from '../src/trace-query/read-detail.js';
import type { ParityReference } from './support/parity.js';
import { referenceNeox } from './support/reference-neox.js';
import { referencePhi } from './support/reference-phi.js';
import { transpose } from './support/reference-ops.js';
import { writeTinyNeox } from './support/tiny-neox.js';
import { writeTinyPhi } from './support/tiny-phi.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-parallel-trace-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const PROMPT = 'the cat and the dog and the cat';

interface Case {
  readonly blocks: BlockLayout;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly dModel: number;
  /** Writes the model: its folder, float64 forward, W_O [H d_head, d_model], b_O and b_out. */
  readonly write: (dir: string) => Promise<{
    dir: string;
    reference: (ids: readonly number[]) => ParityReference;
    wO: (l: number) => Float64Array;
    bO: (l: number) => Float64Array;
    bOut: (l: number) => Float64Array;
  }>;
}

const CASES: Record<string, Case> = {
  'gpt_neox, parallel residual': {
    blocks: 'parallel',
    nHeads: 4,
    nKvHeads: 4,
    dModel: 48,
    write: async (dir) => {
      const tiny = await writeTinyNeox(dir, { seed: 31 });
      const w = (name: string) => tiny.weights.get(`gpt_neox.layers.${name}`)!;
      return {
        dir: tiny.dir,
        reference: (ids) => referenceNeox(tiny, ids),
        wO: (l) => transpose(w(`${l}.attention.dense.weight`), 48, 48),
        bO: (l) => w(`${l}.attention.dense.bias`),
        bOut: (l) => w(`${l}.mlp.dense_4h_to_h.bias`),
      };
    },
  },
  'gpt_neox, sequential residual': {
    blocks: 'sequential',
    nHeads: 4,
    nKvHeads: 4,
    dModel: 48,
    write: async (dir) => {
      const tiny = await writeTinyNeox(dir, { seed: 32, parallel: false });
      const w = (name: string) => tiny.weights.get(`gpt_neox.layers.${name}`)!;
      return {
        dir: tiny.dir,
        reference: (ids) => referenceNeox(tiny, ids),
        wO: (l) => transpose(w(`${l}.attention.dense.weight`), 48, 48),
        bO: (l) => w(`${l}.attention.dense.bias`),
        bOut: (l) => w(`${l}.mlp.dense_4h_to_h.bias`),
      };
    },
  },
  'phi, GQA 4:2, lm_head bias': {
    blocks: 'parallel',
    nHeads: 4,
    nKvHeads: 2,
    dModel: 32,
    write: async (dir) => {
      const tiny = await writeTinyPhi(dir, { seed: 33, nKvHeads: 2, nLayers: 3 });
      const w = (name: string) => tiny.weights.get(`model.layers.${name}`)!;
      return {
        dir: tiny.dir,
        reference: (ids) => referencePhi(tiny, ids),
        wO: (l) => transpose(w(`${l}.self_attn.dense.weight`), 32, 32),
        bO: (l) => w(`${l}.self_attn.dense.bias`),
        bOut: (l) => w(`${l}.mlp.fc2.bias`),
      };
    },
  },
};

describe('attribution of GPT-NeoX and Phi, parallel and sequential blocks', () => {
  for (const [name, { blocks, nHeads, nKvHeads, dModel: d, write }] of Object.entries(CASES)) {
    it(`traces end to end and matches the float64 reference, summing to 1 per node (${name})`, async () => {
      const { dir, reference, wO, bO, bOut } = await write(join(root, name.replace(/\W+/g, '-')));
      const model = await loadModel(dir, { device: 'cpu' });
      try {
        const events: TraceEvent[] = [];
        for await (const event of trace(model, PROMPT, { detail: 'full', topK: 5, topNeurons: 4 }))
          events.push(event);
        const last = events.at(-1)!;
        if (last.type !== 'done' || last.trace.kind !== 'full') {
          throw new Error(`trace ended with ${JSON.stringify(last).slice(0, 300)}`);
        }
        const result: TraceFull = last.trace;
        expect(result.model.blocks ?? 'sequential').toBe(blocks);
        const ids = result.tokens.map((t) => t.id);
        const T = ids.length;
        const expected = reference(ids);
        const forward = await model.run(ids);

        for (const [l, layer] of expected.layers.entries()) {
          // Contributions match the float64 reference's.
          const want = referenceLayerContributions(
            {
              residPre: layer.resid_pre.data,
              ...(layer.resid_mid ? { residMid: layer.resid_mid.data } : {}),
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
            const a = got[key];
            const b = want[key]!;
            expect(a.length, key).toBe(b.length);
            for (let i = 0; i < b.length; i++) {
              expect(Math.abs(a[i]! - b[i]!), `${key}[${i}] layer ${l}`).toBeLessThan(1e-4);
            }
          }
          // Contributions sum to 1 per node: one node per position in a parallel block.
          for (let t = 0; t < T; t++) {
            let attention = got.attentionResidual[t]!;
            for (let s = 0; s < T; s++) attention += got.attention[t * T + s]!;
            if (blocks === 'parallel') {
              expect(attention + got.ffn[t]!).toBeCloseTo(1, 5);
              expect(got.ffnResidual[t]).toBe(0);
            } else {
              expect(attention).toBeCloseTo(1, 5);
              expect(got.ffn[t]! + got.ffnResidual[t]!).toBeCloseTo(1, 5);
            }
          }

          // The parts reconstruct the whole: resid_pre + every head's output + b_O +
          // every neuron's update + b_out = resid_post.
          const activations = forward.layers[l]!;
          const dMlp = model.spec.dMlp;
          const heads = (await headOutputs(model, l, activations)).data; // [T, H, d]
          const every = Array.from({ length: dMlp }, (_, i) => i);
          const vectors = (await neuronVectors(model, l, every)).data; // [d_mlp, d]
          const post = activations['mlp.post'].data; // [T, d_mlp]
          for (let t = 0; t < T; t++) {
            for (let i = 0; i < d; i++) {
              let whole = activations.resid_pre.data[t * d + i]! + bO(l)[i]! + bOut(l)[i]!;
              for (let h = 0; h < nHeads; h++) whole += heads[(t * nHeads + h) * d + i]!;
              for (let n = 0; n < dMlp; n++) whole += post[t * dMlp + n]! * vectors[n * d + i]!;
              const target = activations.resid_post.data[t * d + i]!;
              expect(Math.abs(whole - target), `layer ${l} t ${t} i ${i}`).toBeLessThan(1e-4);
            }
          }
        }

        // Neurons' shares and the residual's are shares of one whole.
        for (let row = 0; row < expected.layers.length * T; row++) {
          expect(result.neurons.residual[row]).toBeGreaterThan(0);
          expect(result.neurons.residual[row]).toBeLessThanOrEqual(1);
        }

        // Routes reach the start: every prediction's route leaves an embedding.
        for (let t = 0; t < T; t++) {
          const route = Array.from(routeEdges(result.routes, t), (e) => edgeAt(e, T, blocks));
          expect(route.length).toBeGreaterThan(0);
          expect(route.some((edge) => edge.from.kind === 'embed')).toBe(true);
          if (blocks === 'parallel') {
            expect(
              route.every((e) => e.from.kind !== 'resid_mid' && e.to.kind !== 'resid_mid'),
            ).toBe(true);
          }
        }

        // The lens of nodes that exist; a parallel block's resid_mid rows are empty.
        const K = 5;
        for (let l = 0; l < expected.layers.length; l++) {
          const mid = result.lens.ids.subarray((2 * l + 1) * T * K, (2 * l + 2) * T * K);
          expect(mid.every((id) => id === -1)).toBe(blocks === 'parallel');
          const node = { kind: 'resid_mid' as const, layer: l, pos: 0 };
          if (blocks === 'parallel') {
            expect(() => lensTokens(result, node)).toThrow(/no resid_mid/);
            await expect(logitLens(model, forward, [node])).rejects.toThrow(/parallel block/);
          }
        }
        const lastRow = 2 * expected.layers.length * T * K;
        expect(result.lens.ids[lastRow + (T - 1) * K]).toBe(result.predictions.ids[(T - 1) * K]);

        // The trace validates and round-trips through the file codec.
        const decoded = decodeTrace(encodeTrace(result)) as TraceFull;
        expect(decoded.model).toEqual(result.model);
        expect(decoded.contributions[1]!.attention).toEqual(result.contributions[1]!.attention);
        expect(decoded.routes).toEqual(result.routes);
        expect(decoded.lens.ids).toEqual(result.lens.ids);
        expect(decoded.neurons.indices).toEqual(result.neurons.indices);
      } finally {
        await model.dispose();
      }
    });
  }
});

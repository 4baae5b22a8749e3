import type { LayerContributions } from '../schema/contributions.js';
import { traceDims, traceShapes } from '../schema/shapes.js';
import type { TraceShapes } from '../schema/shapes.js';
import type { TopTokens, UpdateProjections } from '../schema/tables.js';
import type { Trace } from '../schema/trace.js';
import type { ArrayJson } from './array-json.js';
import { encodeFloat16, encodeFloat32, encodeInt32, encodeUint8 } from './array-json.js';
import { TRACE_FILE_FORMAT } from './file-schema.js';
import type { TraceJson } from './file-schema.js';
import { child } from './issues.js';
import { routesToJson } from './routes-json.js';

/**
 * Memory -> file JSON, field by field. Precision: float16 for `heads`,
 * `patterns`, `lens.logits`, `lens.probs` and the `logits` of `promoted` and
 * `suppressed`; everything else exact (float32, int32). (pos, key_pos) maps
 * are packed causally; routes take their smaller form (routes-json.ts). The input must be valid: see `validateTrace`.
 */

/**
 * Token texts as a bitmask over ids (bit `id & 7` of byte `id >> 3`) and the
 * texts of the set ids in ascending id order.
 */
export function tokenTextsToJson(
  texts: ReadonlyMap<number, string>,
  nBytes: number,
): { present: ArrayJson; texts: string[] } {
  const ids = [...texts.keys()].sort((a, b) => a - b);
  const present = new Uint8Array(nBytes); // [ceil(d_vocab / 8)]
  for (const id of ids) present[id >> 3]! |= 1 << (id & 7);
  return {
    present: encodeUint8(present, [nBytes], 'tokenTexts.present'),
    texts: ids.map((id) => texts.get(id)!),
  };
}

/**
 * One layer's head-summed contributions (exact), and its per-head
 * contributions as float16 when it has them; `shapes` from the trace, or from
 * the layer itself while streaming.
 */
export function layerToJson(
  layer: LayerContributions,
  shapes: Pick<TraceShapes, 'attention' | 'perPosition' | 'heads'>,
  path: string,
) {
  const at = (key: string) => child(path, key);
  const { attention, perPosition } = shapes;
  const json = {
    layer: layer.layer,
    attention: encodeFloat32(layer.attention, attention, at('attention'), { causalAxis: 0 }),
    attentionResidual: encodeFloat32(layer.attentionResidual, perPosition, at('attentionResidual')),
    ffn: encodeFloat32(layer.ffn, perPosition, at('ffn')),
    ffnResidual: encodeFloat32(layer.ffnResidual, perPosition, at('ffnResidual')),
  };
  return layer.heads === undefined
    ? json
    : { ...json, heads: headsToJson(layer.heads, shapes, at('heads')) };
}

/** Per-head contributions [T, T, H]: float16, packed causally. */
function headsToJson(heads: Float32Array, shapes: Pick<TraceShapes, 'heads'>, path: string) {
  return encodeFloat16(heads, shapes.heads, path, { causalAxis: 0 });
}

function topTokensToJson(table: TopTokens, shape: readonly number[], path: string) {
  return {
    ids: encodeInt32(table.ids, shape, child(path, 'ids')),
    logits: encodeFloat16(table.logits, shape, child(path, 'logits')),
  };
}

function updatesToJson(updates: UpdateProjections, shapes: TraceShapes, path: string) {
  const at = (key: string) => child(path, key);
  return {
    attnOut: topTokensToJson(updates.attnOut, shapes.blockUpdates, at('attnOut')),
    mlpOut: topTokensToJson(updates.mlpOut, shapes.blockUpdates, at('mlpOut')),
    heads: topTokensToJson(updates.heads, shapes.headUpdates, at('heads')),
    neurons: topTokensToJson(updates.neurons, shapes.neuronUpdates, at('neurons')),
  };
}

/** The file JSON of a valid trace. */
export function traceToJson(trace: Trace): TraceJson {
  const shapes = traceShapes(traceDims(trace));
  const { predictions } = trace;
  const tokenIds = Int32Array.from(trace.tokens, (token) => token.id); // [T]
  const header = {
    id: trace.id,
    createdAt: trace.createdAt,
    model: trace.model,
    prompt: trace.prompt,
    settings: trace.settings,
    tokens: encodeInt32(tokenIds, [tokenIds.length], 'tokens'),
    tokenTexts: tokenTextsToJson(trace.tokenTexts, Math.ceil(trace.model.dVocab / 8)),
    predictions: {
      ids: encodeInt32(predictions.ids, shapes.predictions, 'predictions.ids'),
      probs: encodeFloat32(predictions.probs, shapes.predictions, 'predictions.probs'),
    },
  };
  const layerPath = (l: number) => child('contributions', l);
  const routes = routesToJson(trace.routes, 'routes');
  const format = TRACE_FILE_FORMAT;
  const version = trace.version;
  if (trace.kind === 'summary') {
    const contributions = trace.contributions.map((c, l) => layerToJson(c, shapes, layerPath(l)));
    return { format, version, kind: 'summary', ...header, contributions, routes };
  }
  const { lens, neurons } = trace;
  return {
    format,
    version,
    kind: 'full',
    ...header,
    contributions: trace.contributions.map(({ heads, ...summed }, l) => ({
      ...layerToJson(summed, shapes, layerPath(l)),
      heads: headsToJson(heads, shapes, child(layerPath(l), 'heads')),
    })),
    routes,
    patterns: trace.patterns.map((pattern, l) =>
      encodeFloat16(pattern, shapes.pattern, child('patterns', l), { causalAxis: 1 }),
    ),
    lens: {
      ids: encodeInt32(lens.ids, shapes.lens, 'lens.ids'),
      logits: encodeFloat16(lens.logits, shapes.lens, 'lens.logits'),
      probs: encodeFloat16(lens.probs, shapes.lens, 'lens.probs'),
      previousRank: encodeInt32(lens.previousRank, shapes.lens, 'lens.previousRank'),
    },
    promoted: updatesToJson(trace.promoted, shapes, 'promoted'),
    suppressed: updatesToJson(trace.suppressed, shapes, 'suppressed'),
    neurons: {
      indices: encodeInt32(neurons.indices, shapes.neurons, 'neurons.indices'),
      shares: encodeFloat32(neurons.shares, shapes.neurons, 'neurons.shares'),
      residual: encodeFloat32(neurons.residual, shapes.neuronResidual, 'neurons.residual'),
    },
  };
}

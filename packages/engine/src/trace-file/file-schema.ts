import * as v from 'valibot';
import { headerEntries, plainEventSchemas } from './trace-schema.js';

/**
 * Valibot schemas of the JSON a trace file and an event line hold: typed
 * arrays are `ArrayJson` objects, decoded by `read-json.ts`.
 */

const index = v.pipe(v.number(), v.integer(), v.minValue(0));

/** The `format` marker of a trace file. */
export const TRACE_FILE_FORMAT = 'lmtt-trace' as const;

/** `ArrayJson`: a typed array in a file. */
const ArrayJsonSchema = v.object({
  dtype: v.picklist(['f32', 'f16', 'i32', 'u8']),
  shape: v.pipe(v.array(index), v.readonly()),
  causal: v.optional(index),
  data: v.string(),
});

const A = ArrayJsonSchema;

/** Token texts in a file: a bitmask over the vocabulary and the texts of the set ids, ascending. */
const TokenTextsJsonSchema = v.object({ present: A, texts: v.array(v.string()) });

const layerJsonEntries = {
  layer: index,
  attention: A,
  attentionResidual: A,
  ffn: A,
  ffnResidual: A,
  heads: v.optional(A),
};

/** `LayerContributions` in a file. */
const LayerJsonSchema = v.object(layerJsonEntries);

/** `TracePredictions` in a file. */
const PredictionsJsonSchema = v.object({ ids: A, probs: A });

/** `TraceRoutes` in a file: `mask`, or `offsets` and `edges` (see routes-json.ts). */
const RoutesJsonSchema = v.object({
  offsets: v.optional(A),
  edges: v.optional(A),
  mask: v.optional(A),
});

const TopTokensJson = v.object({ ids: A, logits: A });
const UpdatesJson = v.object({
  attnOut: TopTokensJson,
  mlpOut: TopTokensJson,
  heads: TopTokensJson,
  neurons: TopTokensJson,
});

const summaryJsonEntries = {
  format: v.literal(TRACE_FILE_FORMAT),
  ...headerEntries,
  tokens: A,
  tokenTexts: TokenTextsJsonSchema,
  predictions: PredictionsJsonSchema,
  contributions: v.array(LayerJsonSchema),
  routes: RoutesJsonSchema,
};

/** A trace file's JSON, either kind. */
export const TraceJsonSchema = v.variant('kind', [
  v.object({ ...summaryJsonEntries, kind: v.literal('summary') }),
  v.object({
    ...summaryJsonEntries,
    kind: v.literal('full'),
    contributions: v.array(v.object({ ...layerJsonEntries, heads: A })),
    patterns: v.array(A),
    lens: v.object({ ids: A, logits: A, probs: A, previousRank: A }),
    promoted: UpdatesJson,
    suppressed: UpdatesJson,
    neurons: v.object({ indices: A, shares: A, residual: A }),
  }),
]);

/** The JSON of a trace file. */
export type TraceJson = v.InferOutput<typeof TraceJsonSchema>;

/** An event line's JSON, told apart by `type`. */
export const TraceEventJsonSchema = v.variant('type', [
  ...plainEventSchemas,
  v.object({ type: v.literal('layer'), layer: index, contributions: LayerJsonSchema }),
  v.object({
    type: v.literal('predictions'),
    predictions: PredictionsJsonSchema,
    tokenTexts: TokenTextsJsonSchema,
  }),
  v.object({ type: v.literal('graph'), weights: A }),
  v.object({ type: v.literal('routes'), routes: RoutesJsonSchema }),
  v.object({ type: v.literal('done'), trace: TraceJsonSchema }),
]);

/** The JSON of an event line. */
export type TraceEventJson = v.InferOutput<typeof TraceEventJsonSchema>;

import * as v from 'valibot';
import { TRACE_SCHEMA_VERSION } from '../schema/version.js';

/**
 * Valibot schemas of traces and events in memory (typed arrays): they check
 * structure and primitive types; `check-trace.ts` checks shapes and values.
 */

const count = v.pipe(v.number(), v.integer(), v.minValue(1));
const index = v.pipe(v.number(), v.integer(), v.minValue(0));
const f32 = v.instance(Float32Array);
const i32 = v.instance(Int32Array);

/** `TraceModelInfo` (plain JSON, the same in memory and in a file). */
const ModelInfoSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  family: v.string(),
  nLayers: count,
  nHeads: count,
  nKvHeads: count,
  dModel: count,
  dMlp: count,
  dVocab: count,
  nCtx: count,
  device: v.string(),
  dtype: v.string(),
  blocks: v.optional(v.picklist(['sequential', 'parallel'])),
});

/** `TraceSettings` (plain JSON, the same in memory and in a file). */
const SettingsSchema = v.object({
  distance: v.picklist(['l1', 'l2']),
  threshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  renormalize: v.boolean(),
  lensNormalize: v.boolean(),
  topK: count,
  topNeurons: count,
});

/** `TokenView` (plain JSON). */
const TokenSchema = v.object({ id: index, text: v.string() });

/** The trace's header fields (plain JSON, the same in memory and in a file). */
export const headerEntries = {
  version: v.literal(TRACE_SCHEMA_VERSION),
  id: v.pipe(v.string(), v.minLength(1)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  model: ModelInfoSchema,
  prompt: v.string(),
  settings: SettingsSchema,
};

/** `ReadonlyMap<number, string>` of token texts. */
const TokenTextsSchema = v.map(index, v.string());

/** `LayerContributions`. */
const LayerContributionsSchema = v.object({
  layer: index,
  attention: f32,
  attentionResidual: f32,
  ffn: f32,
  ffnResidual: f32,
  heads: v.optional(f32),
});

/** `TracePredictions`. */
const PredictionsSchema = v.object({ ids: i32, probs: f32 });

/** `TraceRoutes`. */
const RoutesSchema = v.object({ offsets: i32, edges: i32 });

const TopTokensSchema = v.object({ ids: i32, logits: f32 });

const UpdatesSchema = v.object({
  attnOut: TopTokensSchema,
  mlpOut: TopTokensSchema,
  heads: TopTokensSchema,
  neurons: TopTokensSchema,
});

const summaryEntries = {
  ...headerEntries,
  tokens: v.pipe(v.array(TokenSchema), v.minLength(1)),
  tokenTexts: TokenTextsSchema,
  predictions: PredictionsSchema,
  contributions: v.array(LayerContributionsSchema),
  routes: RoutesSchema,
};

/** `TraceSummary | TraceFull`, told apart by `kind`. */
export const TraceSchema = v.variant('kind', [
  v.object({ ...summaryEntries, kind: v.literal('summary') }),
  v.object({
    ...summaryEntries,
    kind: v.literal('full'),
    contributions: v.array(v.object({ ...LayerContributionsSchema.entries, heads: f32 })),
    patterns: v.array(f32),
    lens: v.object({ ids: i32, logits: f32, probs: f32, previousRank: i32 }),
    promoted: UpdatesSchema,
    suppressed: UpdatesSchema,
    neurons: v.object({ indices: i32, shares: f32, residual: f32 }),
  }),
]);

/** `TraceStage`. */
const StageSchema = v.picklist(['forward', 'contributions', 'routes', 'detail']);

/** The events that carry no typed arrays, the same in memory and on the wire. */
export const plainEventSchemas = [
  v.object({
    type: v.literal('tokens'),
    model: ModelInfoSchema,
    settings: SettingsSchema,
    prompt: v.string(),
    tokens: v.pipe(v.array(TokenSchema), v.minLength(1)),
  }),
  v.object({ type: v.literal('progress'), stage: StageSchema, done: index, total: index }),
  v.object({
    type: v.literal('error'),
    code: v.pipe(v.string(), v.minLength(1)),
    message: v.string(),
  }),
] as const;

/** `TraceEvent`, told apart by `type`. */
export const TraceEventSchema = v.variant('type', [
  ...plainEventSchemas,
  v.object({ type: v.literal('layer'), layer: index, contributions: LayerContributionsSchema }),
  v.object({
    type: v.literal('predictions'),
    predictions: PredictionsSchema,
    tokenTexts: TokenTextsSchema,
  }),
  v.object({ type: v.literal('graph'), weights: f32 }),
  v.object({ type: v.literal('routes'), routes: RoutesSchema }),
  v.object({ type: v.literal('done'), trace: TraceSchema }),
]);

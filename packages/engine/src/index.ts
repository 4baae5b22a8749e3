/**
 * `@lmtt/engine`: the platform-free engine core. It never imports ONNX
 * Runtime; `@lmtt/engine/node` and `@lmtt/engine/web` register backends.
 *
 * @packageDocumentation
 */

export { LmttError, isLmttError } from './errors.js';
export type { LmttErrorCode } from './errors.js';
export { registerBackend, registeredDevices, resolveBackend } from './backend/registry.js';
export type { ResolvedBackend } from './backend/registry.js';
export type {
  Backend,
  BackendSession,
  Device,
  ExternalDataFile,
  SessionOptions,
} from './backend/backend.js';
export { float32, sizeOf } from './backend/tensor.js';
export type { Tensor, TensorDType, TensorDataMap } from './backend/tensor.js';
export { TRACE_SCHEMA_VERSION } from './schema/index.js';
export type { TokenView } from './schema/index.js';
export { loadModelWith } from './model/load.js';
export type { LoadOptions } from './model/load.js';
export { Model } from './model/model.js';
export type { ModelInfo, ModelSessions, RunOptions } from './model/model.js';
export type { ForwardResult, LayerActivations } from './model/forward.js';
export type { HubOptions, Platform } from './model/platform.js';
export type { ComputeDType } from './graphs/graph-context.js';
export { LAYER_OUTPUTS } from './graphs/layer-graph.js';
export type { LayerOutput } from './graphs/layer-graph.js';
export { FAMILIES, familyFor } from './families/registry.js';
export type { Family, RawConfig } from './families/family.js';
export type {
  Activation,
  LayerSpec,
  LinearSpec,
  MlpSpec,
  ModelSpec,
  NormSpec,
  PositionSpec,
  QkvSpec,
} from './spec/model-spec.js';
export { hubSource, parseHubId } from './source/hub.js';
export type { HubId, HubSourceOptions } from './source/hub.js';
export { urlSource } from './source/url.js';
export type { CachedFile, FileCache, FileCachePutOptions } from './source/file-cache.js';
export type {
  MaterializedFile,
  ModelFile,
  ModelSource,
  Progress,
  SourceOptions,
} from './source/source.js';
export { readCheckpoint } from './weights/checkpoint.js';
export type { Checkpoint, CheckpointTensor } from './weights/checkpoint.js';
export { readSafetensorsHeader } from './weights/safetensors.js';
export type { SafetensorsHeader, TensorEntry, WeightDType } from './weights/safetensors.js';
export { byteLevelText } from './tokenizer/byte-level.js';
export type { Tokenizer, TokenizerFactory, TokenizerFiles } from './tokenizer/tokenizer.js';
export { trace } from './trace/trace.js';
export { liveSource } from './trace/live-source.js';
export type { LiveSourceOptions, LiveState } from './trace/live-source.js';
export { topPredictions } from './detail/top-predictions.js';
export type { TopPredictions } from './detail/top-predictions.js';
export { resolveTraceOptions } from './trace/trace-options.js';
export type { ResolvedTraceOptions, TraceOptions } from './trace/trace-options.js';
export { logitLens } from './detail/lens.js';
export type { LensOptions, LensToken, ResidualNode } from './detail/lens.js';
export { promotedTables, promotedTokens } from './detail/promoted.js';
export type { PromotedTables, PromotedTokens } from './detail/promoted.js';
export { headOutputs } from './detail/heads.js';
export { ffnNeurons, neuronVectors } from './detail/neurons.js';
export type { FfnNeurons, NeuronOptions } from './detail/neurons.js';
export type { TokenScore } from './detail/token-scores.js';
export {
  assembleLayerContributions,
  contributions,
  EPS,
  neuronContributions,
  normalizeProximities,
  proximity,
  thresholdAndRenormalize,
  topNeurons,
} from './attribution/index.js';
export type { LayerProximities, NeuronShare } from './attribution/index.js';
export {
  decodeEvent,
  decodeTrace,
  encodeEvent,
  encodeTrace,
  validateTrace,
} from './trace-file/index.js';
export { TraceValidationError } from './trace-file/index.js';
export type {
  LayerContributions,
  Trace,
  TraceEvent,
  TraceFull,
  TraceSettings,
  TraceSummary,
} from './schema/index.js';

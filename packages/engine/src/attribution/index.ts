/**
 * Attribution math (DESIGN §2.2): proximities, per-node contributions,
 * threshold-and-renormalise, and a float64 reference of one layer. Pure
 * functions over typed arrays; nothing here touches a runtime.
 *
 * @packageDocumentation
 */

export { lpDistance, lpNorm, l2DistanceExpanded } from './norms.js';
export type { ProximityNorm } from './norms.js';
export { contributions, EPS, normalizeProximities, proximity } from './proximity.js';
export type { ContributionOptions } from './proximity.js';
export { thresholdAndRenormalize } from './threshold.js';
export { assembleLayerContributions } from './layer-contributions.js';
export type { LayerProximities } from './layer-contributions.js';
export { projectedValues, referenceLayerContributions } from './reference-layer.js';
export type {
  AttentionHeads,
  LayerActivations,
  ReferenceLayerContributions,
  ReferenceLayerOptions,
} from './reference-layer.js';
export { neuronContributions, topNeurons } from './neurons.js';
export type { FfnNode, NeuronContributions, NeuronShare } from './neurons.js';

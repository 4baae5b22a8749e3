/**
 * Registers every lmtt element under its tag name. Importing this module is
 * the one side effect of the package.
 */
import { LmttAttentionMap } from './attention-map/attention-map-element.js';
import { LmttExplorer } from './explorer/explorer-element.js';
import { LmttGraph } from './graph/graph-element.js';
import { LmttHeads } from './heads/heads-element.js';
import { LmttNeurons } from './neurons/neurons-element.js';
import { LmttPromoted } from './promoted/promoted-element.js';
import { LmttTokens } from './tokens/tokens-element.js';
import { LmttTopTokens } from './top-tokens/top-tokens-element.js';

const elements: Record<string, CustomElementConstructor> = {
  'lmtt-tokens': LmttTokens,
  'lmtt-graph': LmttGraph,
  'lmtt-top-tokens': LmttTopTokens,
  'lmtt-promoted': LmttPromoted,
  'lmtt-neurons': LmttNeurons,
  'lmtt-heads': LmttHeads,
  'lmtt-attention-map': LmttAttentionMap,
  'lmtt-explorer': LmttExplorer,
};

for (const [tag, element] of Object.entries(elements)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

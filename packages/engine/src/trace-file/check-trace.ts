import type { LayerContributions } from '../schema/contributions.js';
import type { BlockLayout } from '../schema/graph.js';
import type { TraceModelInfo } from '../schema/model-info.js';
import { edgeAt, edgeCount } from '../schema/routes.js';
import type { TraceRoutes } from '../schema/routes.js';
import type { TraceSettings } from '../schema/settings.js';
import { traceDims, traceShapes } from '../schema/shapes.js';
import type { TraceShapes } from '../schema/shapes.js';
import type { TopTokens, TracePredictions, UpdateProjections } from '../schema/tables.js';
import type { Trace, TraceFull } from '../schema/trace.js';
import {
  causal,
  checkArray,
  checkLength,
  finite,
  integerIn,
  ranked,
  tokenId,
  unitInterval,
} from './check-values.js';
import type { ValueProblem } from './check-values.js';
import { child } from './issues.js';
import type { IssueList } from './issues.js';

/**
 * Shape and value checks of a structurally valid trace (DESIGN §2): every
 * table has the shape its model, tokens and settings give, shares and
 * probabilities lie in [0, 1], nothing is NaN, token ids are in the
 * vocabulary and have texts, ranked tables are ranked, causal maps are 0
 * above the diagonal, and routes use real edges. Parallel blocks (model
 * `blocks: 'parallel'`) have no `resid_mid`: 0 for `ffnResidual`, no edge
 * out of it in a route, and empty `resid_mid` rows in the lens.
 */
export function checkTrace(trace: Trace, issues: IssueList): void {
  const found = issues.items.length;
  checkModel(trace.model, issues);
  checkSettings(trace.settings, trace.model, issues);
  if (issues.items.length > found) return;
  const dims = traceDims(trace);
  const shapes = traceShapes(dims);
  const { dVocab } = trace.model;
  checkTokens(trace, issues);
  const id = tokenId(trace.tokenTexts, dVocab);
  checkPredictions(trace.predictions, shapes.predictions, id, 'predictions', issues);
  if (trace.contributions.length !== dims.nLayers) {
    issues.add(
      'contributions',
      `expected ${dims.nLayers} layers, got ${trace.contributions.length}`,
    );
  }
  const blocks = trace.model.blocks ?? 'sequential';
  trace.contributions.forEach((layer, l) => {
    const path = child('contributions', l);
    if (layer.layer !== l) issues.add(child(path, 'layer'), `expected ${l}, got ${layer.layer}`);
    checkLayerContributions(layer, shapes, path, issues, blocks);
  });
  const nEdges = edgeCount(dims.nLayers, dims.nTokens);
  checkRoutes(trace.routes, dims.nTokens, nEdges, 'routes', issues, blocks);
  if (trace.kind === 'full') checkDetail(trace, shapes, issues);
}

function checkModel(model: TraceModelInfo, issues: IssueList): void {
  if (model.nHeads % model.nKvHeads !== 0) {
    issues.add(
      'model.nKvHeads',
      `expected a divisor of nHeads (${model.nHeads}), got ${model.nKvHeads}`,
    );
  }
}

function checkSettings(settings: TraceSettings, model: TraceModelInfo, issues: IssueList): void {
  if (settings.topK > model.dVocab) {
    issues.add('settings.topK', `expected at most dVocab (${model.dVocab}), got ${settings.topK}`);
  }
  if (settings.topNeurons > model.dMlp) {
    issues.add(
      'settings.topNeurons',
      `expected at most dMlp (${model.dMlp}), got ${settings.topNeurons}`,
    );
  }
}

/** Every key of `tokenTexts` is in the vocabulary; every token's text is its id's text. */
function checkTokens(trace: Trace, issues: IssueList): void {
  const { tokens, tokenTexts, model } = trace;
  for (const id of tokenTexts.keys()) {
    if (id >= model.dVocab) {
      issues.add(child('tokenTexts', id), `expected a token id in [0, ${model.dVocab})`);
    }
  }
  if (tokens.length > model.nCtx) {
    issues.add('tokens', `expected at most nCtx (${model.nCtx}) tokens, got ${tokens.length}`);
  }
  const id = tokenId(tokenTexts, model.dVocab);
  tokens.forEach((token, t) => {
    const problem = id(token.id, t);
    if (problem !== undefined) issues.add(child(child('tokens', t), 'id'), problem);
    else if (tokenTexts.get(token.id) !== token.text) {
      const expected = JSON.stringify(tokenTexts.get(token.id));
      const message = `expected ${expected} (the text of id ${token.id}), got ${JSON.stringify(token.text)}`;
      issues.add(child(child('tokens', t), 'text'), message);
    }
  });
}

/** `predictions`: ids with texts, probabilities ranked. */
export function checkPredictions(
  predictions: TracePredictions,
  shape: readonly number[],
  id: ValueProblem,
  path: string,
  issues: IssueList,
): void {
  const k = shape[shape.length - 1]!;
  checkArray(predictions.ids, shape, child(path, 'ids'), issues, id);
  const probs = predictions.probs;
  checkArray(probs, shape, child(path, 'probs'), issues, unitInterval, ranked(probs, k));
}

/** One layer's contributions: shares, zero above the diagonal; no `ffnResidual` in a parallel block. */
export function checkLayerContributions(
  layer: LayerContributions,
  shapes: Pick<TraceShapes, 'attention' | 'perPosition' | 'heads'>,
  path: string,
  issues: IssueList,
  blocks?: BlockLayout,
): void {
  const at = (key: string) => child(path, key);
  const { attention, perPosition, heads } = shapes;
  checkArray(
    layer.attention,
    attention,
    at('attention'),
    issues,
    unitInterval,
    causal(attention, 0),
  );
  checkArray(layer.attentionResidual, perPosition, at('attentionResidual'), issues, unitInterval);
  checkArray(layer.ffn, perPosition, at('ffn'), issues, unitInterval);
  const noResidMid: ValueProblem = (value) =>
    value === 0 ? undefined : `expected 0 (a parallel block has no resid_mid), got ${value}`;
  const ffnResidual = blocks === 'parallel' ? noResidMid : unitInterval;
  checkArray(layer.ffnResidual, perPosition, at('ffnResidual'), issues, ffnResidual);
  if (layer.heads !== undefined) {
    checkArray(layer.heads, heads, at('heads'), issues, unitInterval, causal(heads, 0));
  }
}

/**
 * Routes in CSR form over `nTokens` positions: offsets from 0 to
 * `edges.length`, edges ascending per position, below `nEdges` (when known),
 * ending at or before the route's position, and edges of the model's
 * `blocks` (when known).
 */
export function checkRoutes(
  routes: TraceRoutes,
  nTokens: number,
  nEdges: number | undefined,
  path: string,
  issues: IssueList,
  blocks?: BlockLayout,
): void {
  const found = issues.items.length;
  const { offsets, edges } = routes;
  const offsetsPath = child(path, 'offsets');
  if (!checkLength(offsets, [nTokens + 1], offsetsPath, issues)) return;
  const ordered: ValueProblem = (value, t) =>
    t === 0
      ? value === 0
        ? undefined
        : `expected 0, got ${value}`
      : value < offsets[t - 1]! || value > edges.length
        ? `expected a value in [${offsets[t - 1]}, ${edges.length}], got ${value}`
        : undefined;
  checkArray(offsets, [nTokens + 1], offsetsPath, issues, ordered);
  if (offsets[nTokens] !== edges.length) {
    issues.add(
      offsetsPath,
      `expected the last offset to be ${edges.length}, got ${offsets[nTokens]}`,
    );
  }
  if (issues.items.length > found) return;
  const end = nEdges ?? 2 ** 31 - 1;
  for (let t = 0; t < nTokens; t++) {
    for (let e = offsets[t]!; e < offsets[t + 1]!; e++) {
      const edge = edges[e]!;
      const problem =
        edge < 0 || edge >= end
          ? `expected an edge index in [0, ${end}), got ${edge}`
          : e > offsets[t]! && edge <= edges[e - 1]!
            ? `expected edges ascending within position ${t}, got ${edge} after ${edges[e - 1]}`
            : edgeProblem(edge, nTokens, t, blocks);
      if (problem !== undefined) {
        issues.add(child(child(path, 'edges'), e), problem);
        return;
      }
    }
  }
}

/** Whether canonical edge `edge` is an edge of the model that ends at or before position t. */
function edgeProblem(
  edge: number,
  nTokens: number,
  t: number,
  blocks: BlockLayout | undefined,
): string | undefined {
  try {
    // Sequential and parallel edges end at the same position: without the
    // layout, check that much.
    return edgeAt(edge, nTokens, blocks).to.pos > t
      ? `edge ${edge} ends after position ${t}, whose route it is in`
      : undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Top tokens of one update kind: ids with texts, logits finite and ranked. */
function checkTopTokens(
  table: TopTokens,
  shape: readonly number[],
  id: ValueProblem,
  ascending: boolean,
  path: string,
  issues: IssueList,
): void {
  const k = shape[shape.length - 1]!;
  checkArray(table.ids, shape, child(path, 'ids'), issues, id);
  const logits = table.logits;
  checkArray(logits, shape, child(path, 'logits'), issues, finite, ranked(logits, k, ascending));
}

function checkUpdates(
  updates: UpdateProjections,
  shapes: TraceShapes,
  id: ValueProblem,
  ascending: boolean,
  path: string,
  issues: IssueList,
): void {
  const { blockUpdates, headUpdates, neuronUpdates } = shapes;
  checkTopTokens(updates.attnOut, blockUpdates, id, ascending, child(path, 'attnOut'), issues);
  checkTopTokens(updates.mlpOut, blockUpdates, id, ascending, child(path, 'mlpOut'), issues);
  checkTopTokens(updates.heads, headUpdates, id, ascending, child(path, 'heads'), issues);
  checkTopTokens(updates.neurons, neuronUpdates, id, ascending, child(path, 'neurons'), issues);
}

/** The tables only a full trace has. */
function checkDetail(trace: TraceFull, shapes: TraceShapes, issues: IssueList): void {
  const { model, settings, lens, neurons } = trace;
  const id = tokenId(trace.tokenTexts, model.dVocab);
  if (trace.patterns.length !== model.nLayers) {
    issues.add('patterns', `expected ${model.nLayers} layers, got ${trace.patterns.length}`);
  }
  trace.patterns.forEach((pattern, l) => {
    const shape = shapes.pattern;
    checkArray(pattern, shape, child('patterns', l), issues, unitInterval, causal(shape, 1));
  });

  const k = settings.topK;
  const rowSize = shapes.lens[1]! * shapes.lens[2]!;
  // A parallel block's resid_mid row (2l + 1) holds no state: ids and ranks -1, values 0.
  const empty = (index: number) =>
    model.blocks === 'parallel' && Math.floor(index / rowSize) % 2 === 1;
  const ifEmpty =
    (expected: number, otherwise: ValueProblem): ValueProblem =>
    (value, index) =>
      !empty(index)
        ? otherwise(value, index)
        : value === expected
          ? undefined
          : `expected ${expected} (a parallel block has no resid_mid), got ${value}`;
  const previousRank: ValueProblem = (value, index) =>
    index < rowSize
      ? value === -1
        ? undefined
        : `expected -1 (the embedding has no previous state), got ${value}`
      : integerIn(0, model.dVocab, 'a rank')(value, index);
  const ranking = ranked(lens.logits, k);
  checkArray(lens.ids, shapes.lens, 'lens.ids', issues, ifEmpty(-1, id));
  checkArray(lens.logits, shapes.lens, 'lens.logits', issues, finite, ifEmpty(0, ranking));
  checkArray(lens.probs, shapes.lens, 'lens.probs', issues, ifEmpty(0, unitInterval));
  checkArray(
    lens.previousRank,
    shapes.lens,
    'lens.previousRank',
    issues,
    ifEmpty(-1, previousRank),
  );

  checkUpdates(trace.promoted, shapes, id, false, 'promoted', issues);
  checkUpdates(trace.suppressed, shapes, id, true, 'suppressed', issues);

  const neuron = integerIn(0, model.dMlp, 'a neuron index');
  const shares = neurons.shares;
  checkArray(neurons.indices, shapes.neurons, 'neurons.indices', issues, neuron);
  const n = settings.topNeurons;
  checkArray(shares, shapes.neurons, 'neurons.shares', issues, unitInterval, ranked(shares, n));
  checkArray(neurons.residual, shapes.neuronResidual, 'neurons.residual', issues, unitInterval);
}

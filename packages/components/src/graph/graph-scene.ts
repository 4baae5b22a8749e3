import { buildGraph, predictionNode, routes } from '@lmtt/engine/graph';
import type { FlowGraph } from '@lmtt/engine/graph';
import type { GraphSettings, LayerContributions, Trace } from '@lmtt/engine/schema';

/**
 * What the graph shows for one prediction: the graph cut at a threshold, and
 * the selected prediction's route in it, drawn in full over the rest of the
 * graph (faded; in full while the trace streams in and no route is known).
 */
export interface GraphScene {
  /** T. */
  readonly nTokens: number;
  /** L, the model's layers. */
  readonly nLayers: number;
  /** Layers whose contributions are here (fewer than `nLayers` while streaming). */
  readonly present: number;
  /** The graph of the present layers; undefined before the first layer arrives. */
  readonly graph: FlowGraph | undefined;
  /** The contributions the graph was built from, for raw shares. */
  readonly contributions: readonly LayerContributions[];
  /** The prediction position whose route is in front. */
  readonly pos: number;
  /** Whether what is off the route fades: only when every layer is here. */
  readonly faded: boolean;
  /** [route edges] canonical indices of the route's edges, ascending; empty while streaming. */
  readonly route: Int32Array;
  /** [n_kept] 1 where the graph's kept edge k (`graph.edges[k]`) is on the route. */
  readonly routeMask: Uint8Array;
  /** [n_nodes] 1 for a node on the route (the prediction's own included). */
  readonly routeNodes: Uint8Array;
}

/**
 * The settings a trace's graph is cut with: the trace's own unless overridden.
 *
 * @param trace - Its `settings` give the defaults.
 * @param overrides - A threshold or renormalisation the user chose.
 */
export function graphSettings(trace: Trace, overrides: Partial<GraphSettings> = {}): GraphSettings {
  return {
    threshold: overrides.threshold ?? trace.settings.threshold,
    renormalize: overrides.renormalize ?? trace.settings.renormalize,
  };
}

/**
 * The graph of a trace's present layers, cut with `settings`, wired as the
 * model's blocks are (`model.blocks`: parallel blocks have no `resid_mid`);
 * undefined when no layer has arrived. Milliseconds even for 32 layers of
 * 128 tokens.
 *
 * @example
 * const graph = traceGraph(trace, graphSettings(trace, { threshold: 0.1 }));
 */
export function traceGraph(trace: Trace, settings: GraphSettings): FlowGraph | undefined {
  if (trace.contributions.length === 0) return undefined;
  return buildGraph(trace.contributions, settings, trace.model.blocks);
}

/**
 * The scene of a trace's graph for the prediction at `pos`: its route.
 *
 * @param trace - The trace; it streams while it has fewer contributions than `model.nLayers`.
 * @param graph - From {@link traceGraph} for this trace.
 * @param pos - The selected prediction, `0 <= pos < T`.
 * @example
 * const scene = graphScene(trace, traceGraph(trace, graphSettings(trace)), trace.tokens.length - 1);
 */
export function graphScene(trace: Trace, graph: FlowGraph | undefined, pos: number): GraphScene {
  const nTokens = trace.tokens.length;
  const nLayers = trace.model.nLayers;
  const present = graph?.nLayers ?? 0;
  const faded = graph !== undefined && present === nLayers;
  const route = faded ? routes(graph, pos) : new Int32Array(0);
  const routeMask = new Uint8Array(graph?.edges.length ?? 0); // [n_kept]
  const routeNodes = new Uint8Array(nTokens * (1 + 3 * nLayers)); // [n_nodes]
  if (graph && faded) {
    routeNodes[predictionNode(graph, pos)] = 1;
    // Both lists ascend: one merge pass marks the route's kept edges.
    for (let k = 0, r = 0; k < graph.edges.length && r < route.length; k++) {
      if (graph.edges[k] !== route[r]) continue;
      r++;
      routeMask[k] = 1;
      routeNodes[graph.from[k]!] = 1;
      routeNodes[graph.to[k]!] = 1;
    }
  }
  const { contributions } = trace;
  return {
    nTokens,
    nLayers,
    present,
    graph,
    contributions,
    pos,
    faded,
    route,
    routeMask,
    routeNodes,
  };
}

/**
 * Whether node number `index` (see `nodeIndex` in `@lmtt/engine/graph`) is
 * drawn: every node but the `resid_mid` ones, which parallel blocks lack
 * although the layout keeps their places.
 */
export function drawsNode(scene: GraphScene, index: number): boolean {
  const T = scene.nTokens;
  return scene.graph?.blocks !== 'parallel' || index < T || Math.floor(index / T - 1) % 3 !== 0;
}

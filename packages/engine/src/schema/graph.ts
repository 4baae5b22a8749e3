/** The kinds of node of the information-flow graph (DESIGN §2.3). */
export type NodeKind = 'embed' | 'resid_mid' | 'mlp' | 'resid_post';

/**
 * A node: a residual state or an FFN block at one layer and position.
 * `embed` nodes have layer -1.
 */
export interface GraphNode {
  readonly kind: NodeKind;
  readonly layer: number;
  readonly pos: number;
}

/**
 * The kinds of edge: `attention` from `resid_post[l-1][s]` (or `embed[s]`) to
 * `resid_mid[l][t]`; `residual` along the same position (into `resid_mid`
 * or `resid_post`), kept apart from the same-token attention edge; `ffn`
 * from `resid_mid` into the `mlp` block and from it into `resid_post`.
 */
export type EdgeKind = 'attention' | 'residual' | 'ffn';

/** A weighted edge between two nodes. */
export interface GraphEdge {
  readonly from: GraphNode;
  readonly to: GraphNode;
  readonly kind: EdgeKind;
  /** The contribution, after threshold-and-renormalise when that is on. */
  readonly weight: number;
}

/** How a graph is cut. */
export interface GraphSettings {
  /** Contributions at or below this are dropped (default 0.04). */
  readonly threshold: number;
  /** Renormalise each node's remaining contributions to sum to 1 (default true). */
  readonly renormalize: boolean;
}

/** A stable string key of a node, e.g. `resid_mid:3:7` (kind:layer:pos). */
export function nodeKey(node: GraphNode): string {
  return `${node.kind}:${node.layer}:${node.pos}`;
}

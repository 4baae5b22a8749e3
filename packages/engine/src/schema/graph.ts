/**
 * How a model's blocks are wired (DESIGN §2.1): `sequential` blocks add
 * attention, giving `resid_mid`, then the FFN; `parallel` blocks (GPT-NeoX,
 * Phi) feed `resid_pre` to both and add both at once, so they have no
 * `resid_mid`: attention writes straight into `resid_post`.
 */
export type BlockLayout = 'sequential' | 'parallel';

/** The kinds of node of the information-flow graph (DESIGN §2.3). */
export type NodeKind = 'embed' | 'resid_mid' | 'mlp' | 'resid_post';

/**
 * A node: a residual state or an FFN block at one layer and position.
 * `embed` nodes have layer -1. Parallel blocks have no `resid_mid` nodes.
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
 * from `resid_mid` into the `mlp` block and from it into `resid_post`. In a
 * parallel block, attention and the residual go from the layer's input
 * straight into `resid_post[l][t]`, and so does the FFN through `mlp[l][t]`.
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

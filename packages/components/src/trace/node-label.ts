import type { GraphNode, TokenView } from '@lmtt/engine/schema';
import { visibleText } from '../tokens/render-tokens.js';

/** A node's name in TransformerLens words: `embed`, `resid_mid[2]`, `mlp[1]`. */
export function nodeName(node: GraphNode): string {
  return node.kind === 'embed' ? 'embed' : `${node.kind}[${node.layer}]`;
}

/** The token at a position as a header quotes it: `"·war"`, or `#pos` when unknown. */
export function quotedToken(tokens: readonly TokenView[], pos: number): string {
  const token = tokens[pos];
  return token === undefined ? `#${pos}` : `"${visibleText(token.text)}"`;
}

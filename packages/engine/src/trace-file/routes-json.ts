import type { TraceRoutes } from '../schema/routes.js';
import type { ArrayJson } from './array-json.js';
import { decodeInt32, decodeUint8, encodeInt32, encodeUint8, formatShape } from './array-json.js';
import { child } from './issues.js';
import type { IssueList } from './issues.js';

/**
 * Routes in a file take whichever of two forms is smaller; both read back as
 * the same CSR lists:
 * - lists: `offsets` i32 [T + 1] and `edges` i32 [n], as in memory
 *   (small when routes are sparse, e.g. long prompts);
 * - mask: `mask` u8 [T, W], bit `e & 7` of byte `e >> 3` of row t set when
 *   edge e is in the route of position t, W = ceil((largest edge + 1) / 8)
 *   (small when routes are dense: 1 bit per candidate edge, not 32 per kept edge).
 */
export interface RoutesJson {
  readonly offsets?: ArrayJson;
  readonly edges?: ArrayJson;
  readonly mask?: ArrayJson;
}

/** Routes in their smaller file form. */
export function routesToJson(routes: TraceRoutes, path: string): RoutesJson {
  const { offsets, edges } = routes;
  const nTokens = offsets.length - 1;
  let last = -1;
  for (const edge of edges) last = Math.max(last, edge);
  const width = Math.ceil((last + 1) / 8);
  if (nTokens * width >= 4 * (offsets.length + edges.length)) {
    return {
      offsets: encodeInt32(offsets, [offsets.length], child(path, 'offsets')),
      edges: encodeInt32(edges, [edges.length], child(path, 'edges')),
    };
  }
  const mask = new Uint8Array(nTokens * width); // [T, W]
  for (let t = 0; t < nTokens; t++) {
    for (let e = offsets[t]!; e < offsets[t + 1]!; e++) {
      const edge = edges[e]!;
      mask[t * width + (edge >> 3)]! |= 1 << (edge & 7);
    }
  }
  return { mask: encodeUint8(mask, [nTokens, width], child(path, 'mask')) };
}

/** CSR lists of a route mask [T, W]. */
function routesOfMask(mask: Uint8Array, nTokens: number, width: number): TraceRoutes {
  const offsets = new Int32Array(nTokens + 1); // [T + 1]
  const edges: number[] = [];
  for (let t = 0; t < nTokens; t++) {
    for (let byte = 0; byte < width; byte++) {
      const bits = mask[t * width + byte]!;
      for (let bit = 0; bits !== 0 && bit < 8; bit++)
        if (bits & (1 << bit)) edges.push(byte * 8 + bit);
    }
    offsets[t + 1] = edges.length;
  }
  return { offsets, edges: Int32Array.from(edges) };
}

/**
 * The routes of either file form, over `nTokens` positions (taken from the
 * file when not given); records why not and returns empty routes on failure.
 */
export function routesFromJson(
  json: RoutesJson,
  nTokens: number | undefined,
  path: string,
  issues: IssueList,
): TraceRoutes {
  const empty = { offsets: new Int32Array(0), edges: new Int32Array(0) };
  const { offsets, edges, mask } = json;
  if (mask !== undefined && offsets === undefined && edges === undefined) {
    const maskPath = child(path, 'mask');
    if (mask.shape.length !== 2) {
      issues.add(maskPath, `expected a shape [T, W], got ${formatShape(mask.shape)}`);
      return empty;
    }
    const [rows = 0, width = 0] = mask.shape;
    const bits = decodeUint8(mask, [nTokens ?? rows, width], maskPath, issues);
    return bits === undefined ? empty : routesOfMask(bits, nTokens ?? rows, width);
  }
  if (mask === undefined && offsets !== undefined && edges !== undefined) {
    const edgesPath = child(path, 'edges');
    if (edges.shape.length !== 1) {
      issues.add(edgesPath, `expected a 1-d shape, got ${formatShape(edges.shape)}`);
      return empty;
    }
    const rows = nTokens ?? (offsets.shape[0] ?? 1) - 1;
    return {
      offsets: decodeInt32(offsets, [rows + 1], child(path, 'offsets'), issues) ?? empty.offsets,
      edges: decodeInt32(edges, edges.shape, edgesPath, issues) ?? empty.edges,
    };
  }
  issues.add(path, 'expected either `mask` or `offsets` and `edges`');
  return empty;
}

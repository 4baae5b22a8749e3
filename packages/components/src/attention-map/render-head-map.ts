import * as Plot from '@observablehq/plot';
import type { TokenView } from '@lmtt/engine/schema';
import type { HeadMap } from '@lmtt/engine/trace-query';
import { visibleText } from '../tokens/render-tokens.js';
import { chartStyle, heatColor } from '../trace/chart-theme.js';
import { formatExact, formatShare, headLabel } from '../heads/heads-data.js';

/** The two maps of a head: its attention weights, or its contributions. */
export type HeadMapKind = 'pattern' | 'shares';

/** One cell of a head map: query `pos` (row) attends to `keyPos` (column). */
export interface MapCell {
  readonly pos: number;
  readonly keyPos: number;
  readonly value: number;
}

/** What one map of `<lmtt-attention-map>` draws. */
export interface HeadMapView {
  readonly map: HeadMap;
  readonly kind: HeadMapKind;
  /** [T] the prompt's tokens, the labels of both axes. */
  readonly tokens: readonly TokenView[];
  /** The focused query position, its row marked. */
  readonly focus?: number;
  /** The key position of the selected attention edge, its column marked. */
  readonly keyPos?: number;
  /** Whether the page is dark (see `heatColor`). */
  readonly dark?: boolean;
  /** The node attention writes into: `resid_mid`, or `resid_post` in a parallel block (default `resid_mid`). */
  readonly attentionNode?: 'resid_mid' | 'resid_post';
}

/** The longest token label on an axis, in characters. */
const LABEL_CHARS = 10;
/** Width of one label character in px, at the charts' 11px. */
const CHAR_PX = 6.5;
const TITLES: Record<HeadMapKind, (node: string) => string> = {
  pattern: () => 'attention weight',
  shares: (node) => `share of ${node}`,
};

/**
 * The cells of a [T][T] head map on and below the diagonal: a query attends
 * only to itself and earlier positions, so the upper triangle has no cells.
 */
export function mapCells(matrix: readonly (readonly number[])[]): MapCell[] {
  return matrix.flatMap((row, pos) =>
    row.slice(0, pos + 1).map((value, keyPos) => ({ pos, keyPos, value })),
  );
}

/** A token as an axis label: whitespace made visible, long ones cut short. */
function tokenLabel(text: string): string {
  const shown = visibleText(text);
  return shown.length > LABEL_CHARS ? `${shown.slice(0, LABEL_CHARS - 1)}…` : shown;
}

/**
 * Draws one map of a head: query positions as rows, key positions as
 * columns, both labelled with their tokens; cells coloured by the attention
 * weight (on a fixed 0–1 scale, so heads compare) or by the contribution
 * (on the map's own range), under a colour legend. The focused query row and
 * the selected edge's key column are framed; every cell's title holds its
 * exact value.
 */
export function renderHeadMap(view: HeadMapView): HTMLElement {
  const { map, kind, tokens, focus, keyPos, dark = false, attentionNode = 'resid_mid' } = view;
  const T = tokens.length;
  const cells = mapCells(map[kind]);
  const positions = Array.from({ length: T }, (_, pos) => pos);
  const label = (pos: number) => tokenLabel(tokens[pos]?.text ?? '');
  const cellSize = Math.max(10, Math.min(24, Math.round(240 / Math.max(T, 1))));
  const labelPx = 12 + CHAR_PX * Math.max(1, ...positions.map((pos) => label(pos).length));
  const width = labelPx + 8 + T * cellSize;
  const max = Math.max(0, ...cells.map((d) => d.value));
  const token = (pos: number) => `“${visibleText(tokens[pos]?.text ?? '')}” (${pos})`;
  const title = (d: MapCell) =>
    `query ${token(d.pos)} → key ${token(d.keyPos)}: ${TITLES[kind](attentionNode)} ${formatExact(d.value)}` +
    (kind === 'shares' ? ` (${formatShare(d.value)})` : '');
  const color: Plot.ScaleOptions & Omit<Plot.LegendOptions, 'legend'> = {
    ...heatColor(dark),
    domain: [0, kind === 'pattern' || max === 0 ? 1 : max],
    legend: true,
    label:
      kind === 'pattern' ? 'attention weight (attn.pattern)' : `share of ${attentionNode}[query]`,
    tickFormat: kind === 'pattern' ? '.1f' : '.1%',
    ticks: 4,
    width,
    marginLeft: labelPx,
    marginRight: 8,
    style: chartStyle,
  };
  const frame = { fill: 'none', stroke: 'var(--_selected)', strokeWidth: 2, pointerEvents: 'none' };
  return Plot.plot({
    width,
    height: 8 + labelPx + T * cellSize,
    marginTop: 8,
    marginRight: 8,
    marginLeft: labelPx,
    marginBottom: labelPx,
    style: chartStyle,
    ariaLabel: `${headLabel(map)} ${TITLES[kind](attentionNode)}, query positions by key positions`,
    x: {
      domain: positions,
      tickFormat: label,
      tickRotate: -90,
      tickSize: 0,
      label: 'key →',
      labelAnchor: 'right',
    },
    y: { domain: positions, tickFormat: label, tickSize: 0, label: '↓ query', labelAnchor: 'top' },
    color,
    marks: [
      Plot.cell(cells, { x: 'keyPos', y: 'pos', fill: 'value', inset: 0.5, title }),
      // Frames over the lower triangle only: a band scale's rect spans x1 to x2 inclusive.
      Plot.rect(focus === undefined ? [] : [focus], {
        x1: 0,
        x2: (pos: number) => pos,
        y1: (pos: number) => pos,
        y2: (pos: number) => pos,
        ...frame,
      }),
      Plot.rect(keyPos === undefined ? [] : [keyPos], {
        x1: (pos: number) => pos,
        x2: (pos: number) => pos,
        y1: (pos: number) => pos,
        y2: T - 1,
        strokeDasharray: '4,2',
        ...frame,
      }),
    ],
  }) as HTMLElement;
}

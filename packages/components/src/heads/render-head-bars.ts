import * as Plot from '@observablehq/plot';
import type { EdgeHeads } from '@lmtt/engine/trace-query';
import { chartStyle } from '../trace/chart-theme.js';
import { edgeHeadShares, formatExact, formatShare, headLabel, sameHead } from './heads-data.js';
import type { HeadRef, HeadShare } from './heads-data.js';
import { selectableHeads } from './selectable-heads.js';

/** What the bars of `<lmtt-heads>` draw. */
export interface HeadBarsView {
  /** The heads of the selected attention edge. */
  readonly heads: EdgeHeads;
  /** The selected head, highlighted when it is one of the edge's layer. */
  readonly selected?: HeadRef;
  /** Width in px (the drawing scales down to fit its container). */
  readonly width?: number;
  /** The node attention writes into: `resid_mid`, or `resid_post` in a parallel block (default `resid_mid`). */
  readonly attentionNode?: 'resid_mid' | 'resid_post';
}

/** The label of the bar that shows the edge's head-summed share. */
const TOTAL = 'total';
const ROW = 22;
/** The tint of the selected head's row, behind its bar. */
const SELECTED_ROW = 'color-mix(in srgb, var(--_selected) 22%, transparent)';
const MARGIN = { top: 4, bottom: 4, left: 44, right: 52 };

/**
 * Draws one bar per head of an attention edge, labelled `L{layer}H{head}`,
 * with the edge's head-summed share as a `total` bar below them. Each head's
 * whole row is a button (see {@link selectableHeads}), so that a head with a
 * tiny share can still be clicked: data-row is its head.
 */
export function renderHeadBars(view: HeadBarsView): SVGSVGElement {
  const { heads, selected, width = 320, attentionNode = 'resid_mid' } = view;
  const bars = edgeHeadShares(heads);
  const rows = [...bars.map(headLabel), TOTAL];
  const title = (d: HeadShare) =>
    `${headLabel(d)}: ${formatExact(d.share)} (${formatShare(d.share)}) of ${attentionNode}[${heads.layer}][${heads.pos}] from position ${heads.keyPos}`;
  const max = Math.max(heads.attention, ...heads.heads);
  return Plot.plot({
    width,
    height: MARGIN.top + MARGIN.bottom + rows.length * ROW,
    marginTop: MARGIN.top,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    marginRight: MARGIN.right,
    style: chartStyle,
    ariaLabel: `Head shares of the attention edge from position ${heads.keyPos} to ${heads.pos} in layer ${heads.layer}`,
    x: { axis: null, domain: [0, max] },
    y: { domain: rows, label: null, tickSize: 0, padding: 0.2 },
    marks: [
      Plot.barX(bars, {
        x1: 0,
        x2: max,
        y: headLabel,
        fill: {
          value: (d: HeadShare) => (sameHead(d, selected) ? SELECTED_ROW : 'transparent'),
          scale: null,
        },
        insetTop: -2,
        insetBottom: -2,
        title,
        render: selectableHeads(bars, selected, (d) => ({ row: d.head, col: 0 })),
      }),
      Plot.barX(bars, {
        x: 'share',
        y: headLabel,
        fill: {
          value: (d: HeadShare) => (sameHead(d, selected) ? 'var(--_selected)' : 'var(--_accent)'),
          scale: null,
        },
        pointerEvents: 'none',
      }),
      Plot.barX([heads.attention], {
        x: (d: number) => d,
        y: () => TOTAL,
        fill: 'currentColor',
        fillOpacity: 0.35,
        title: (d: number) =>
          `total: ${formatExact(d)} (${formatShare(d)}), the edge's share summed over heads`,
      }),
      Plot.text([...bars.map((d) => d.share), heads.attention], {
        x: (d: number) => d,
        y: (_: number, i: number) => rows[i],
        text: formatShare,
        textAnchor: 'start',
        dx: 4,
        fill: 'currentColor',
        pointerEvents: 'none',
      }),
      Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
    ],
  }) as SVGSVGElement;
}

import * as Plot from '@observablehq/plot';
import type { HeadOverview } from '@lmtt/engine/trace-query';
import { chartStyle, heatColor } from '../trace/chart-theme.js';
import { formatExact, formatShare, headLabel, overviewHeadShares } from './heads-data.js';
import type { HeadRef, HeadShare } from './heads-data.js';
import { selectableHeads } from './selectable-heads.js';

/** What the overview of `<lmtt-heads>` draws. */
export interface HeadOverviewView {
  /** Every head's share at the focused position. */
  readonly overview: HeadOverview;
  /** The selected head, outlined. */
  readonly selected?: HeadRef;
  /** The layer of the selected attention edge, framed. */
  readonly edgeLayer?: number;
  /** Whether the page is dark (see `heatColor`). */
  readonly dark?: boolean;
  /** The node attention writes into: `resid_mid`, or `resid_post` in a parallel block (default `resid_mid`). */
  readonly attentionNode?: 'resid_mid' | 'resid_post';
  /** Side of a cell in px. */
  readonly cellSize?: number;
}

const MARGIN = { top: 20, bottom: 4, left: 28, right: 4 };

/**
 * Draws where attention importance sits at one position: a heatmap of layers
 * (rows) by heads (columns), coloured by each head's share of `resid_mid`,
 * under its colour legend. Each cell is a head button (see
 * {@link selectableHeads}): data-row is its layer, data-col its head.
 */
export function renderHeadOverview(view: HeadOverviewView): HTMLElement {
  const {
    overview,
    selected,
    edgeLayer,
    dark = false,
    cellSize = 28,
    attentionNode = 'resid_mid',
  } = view;
  const cells = overviewHeadShares(overview);
  const nLayers = overview.shares.length;
  const nHeads = overview.shares[0]?.length ?? 0;
  const width = MARGIN.left + MARGIN.right + nHeads * cellSize;
  const max = Math.max(...cells.map((d) => d.share));
  const color: Plot.ScaleOptions & Omit<Plot.LegendOptions, 'legend'> = {
    ...heatColor(dark),
    domain: [0, max > 0 ? max : 1],
    legend: true,
    label: `share of ${attentionNode}`,
    tickFormat: '.0%',
    width: Math.max(150, width),
    ticks: 3,
    marginLeft: MARGIN.left,
    marginRight: MARGIN.right + 8,
    style: chartStyle,
  };
  return Plot.plot({
    width,
    height: MARGIN.top + MARGIN.bottom + nLayers * cellSize,
    marginTop: MARGIN.top,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    marginRight: MARGIN.right,
    style: chartStyle,
    ariaLabel: `Head shares at position ${overview.pos}, layers by heads`,
    x: {
      domain: Array.from({ length: nHeads }, (_, h) => h),
      axis: 'top',
      tickFormat: (h: number) => `H${h}`,
      tickSize: 0,
      label: null,
    },
    y: {
      domain: Array.from({ length: nLayers }, (_, l) => l),
      tickFormat: (l: number) => `L${l}`,
      tickSize: 0,
      label: null,
    },
    color,
    marks: [
      Plot.cell(cells, {
        x: 'head',
        y: 'layer',
        fill: 'share',
        inset: 1,
        title: (d: HeadShare) =>
          `${headLabel(d)}: ${formatExact(d.share)} (${formatShare(d.share)}) of ${attentionNode}[${d.layer}][${overview.pos}]`,
        render: selectableHeads(cells, selected, (d) => ({ row: d.layer, col: d.head })),
      }),
      edgeLayer === undefined
        ? null
        : Plot.cell([edgeLayer], {
            y: (l: number) => l,
            fill: 'none',
            stroke: 'currentColor',
            strokeDasharray: '3,2',
            inset: -1,
            pointerEvents: 'none',
          }),
      Plot.cell(selected === undefined || selected.layer >= nLayers ? [] : [selected], {
        x: 'head',
        y: 'layer',
        fill: 'none',
        stroke: 'var(--_selected)',
        strokeWidth: 3,
        inset: 1.5,
        pointerEvents: 'none',
      }),
    ],
  }) as HTMLElement;
}

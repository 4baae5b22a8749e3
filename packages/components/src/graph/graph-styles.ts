import { css } from 'lit';

/**
 * The styles of `<lmtt-graph>`, after `themeStyles`. Edge and node colours
 * come from public custom properties through private `--_graph-*` ones; the
 * canvas reads them back through the hidden `.palette` swatches.
 */
export const graphStyles = css`
  :host {
    --_graph-attention: var(--lmtt-graph-attention, var(--_positive));
    --_graph-ffn: var(--lmtt-graph-ffn, var(--_negative));
    --_graph-residual: var(--lmtt-graph-residual, var(--_muted));
    --_graph-node: var(--lmtt-graph-node, var(--_fg));
    --_graph-fade: var(--lmtt-graph-fade, 0.16);
    background: var(--_bg);
  }
  .scroll {
    max-height: var(--lmtt-graph-max-height, none);
    overflow: auto;
    position: relative;
  }
  .selectors {
    background: var(--_bg);
    display: flex;
    position: sticky;
    top: 0;
    z-index: 2;
  }
  .selector {
    background: var(--_surface);
    border: 1px solid var(--_bg);
    border-radius: 4px;
    color: inherit;
    cursor: pointer;
    flex: none;
    font: 0.85em var(--_mono);
    overflow: hidden;
    padding: 3px 2px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .selector.selected {
    border-color: var(--_selected);
    box-shadow: inset 0 -3px 0 var(--_selected);
  }
  .selector:focus-visible,
  .stage:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .stage {
    cursor: crosshair;
    position: relative;
  }
  canvas,
  svg.graph {
    left: 0;
    pointer-events: none;
    position: absolute;
    top: 0;
  }
  .labels text {
    fill: var(--_muted);
    font: 10px var(--_mono);
    dominant-baseline: middle;
    text-anchor: end;
  }
  .tokens text {
    fill: var(--_fg);
    font: 11px var(--_mono);
    dominant-baseline: middle;
    text-anchor: middle;
  }
  .tokens .current {
    font-weight: 700;
  }
  .edge {
    fill: none;
    stroke-linecap: round;
  }
  .edge.attention {
    stroke: var(--_graph-attention);
  }
  .edge.ffn {
    stroke: var(--_graph-ffn);
  }
  .edge.residual {
    stroke: var(--_graph-residual);
  }
  .node {
    fill: var(--_graph-node);
    stroke: var(--_bg);
    stroke-width: 1;
  }
  .node.mlp {
    fill: var(--_graph-ffn);
  }
  .back {
    opacity: var(--_graph-fade);
  }
  .outline {
    fill: none;
    stroke-width: 2.5;
  }
  .edge-outline {
    fill: none;
    stroke-linecap: round;
    stroke-opacity: 0.85;
    stroke-width: 3;
  }
  .selected {
    stroke: var(--_selected);
  }
  .focus {
    stroke: var(--_accent);
    stroke-dasharray: 3 2;
  }
  .pending rect {
    fill: var(--_surface);
    stroke: var(--_border);
    stroke-dasharray: 6 4;
  }
  .pending text {
    fill: var(--_muted);
    font-style: italic;
  }
  .progress {
    color: var(--_muted);
    margin: 0 0 4px;
  }
  .tooltip {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 4px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
    font: 0.85em var(--_mono);
    padding: 4px 8px;
    pointer-events: none;
    position: absolute;
    white-space: pre;
    z-index: 3;
  }
  .palette,
  .announcer {
    clip-path: inset(50%);
    height: 1px;
    overflow: hidden;
    position: absolute;
    width: 1px;
  }
  .palette .attention {
    color: var(--_graph-attention);
  }
  .palette .ffn {
    color: var(--_graph-ffn);
  }
  .palette .residual {
    color: var(--_graph-residual);
  }
  .palette .node {
    color: var(--_graph-node);
    opacity: var(--_graph-fade);
  }
`;

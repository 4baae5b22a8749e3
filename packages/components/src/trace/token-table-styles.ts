import { css } from 'lit';

/**
 * Styles the token views share (`<lmtt-top-tokens>`, `<lmtt-promoted>`,
 * `<lmtt-neurons>`): the header line, token text, numbers and bars.
 */
export const tokenTableStyles = css`
  .header {
    align-items: baseline;
    border-bottom: 1px solid var(--_border);
    display: flex;
    flex-wrap: wrap;
    gap: 4px 10px;
    margin-bottom: 6px;
    padding-bottom: 4px;
  }
  .title {
    font-weight: 600;
  }
  .node {
    font-family: var(--_mono);
  }
  .note {
    color: var(--_muted);
    font-size: 0.85em;
    margin-left: auto;
  }
  .token {
    background: var(--_surface);
    border-radius: 3px;
    font-family: var(--_mono);
    padding: 0 4px;
    white-space: pre;
  }
  .number {
    font-family: var(--_mono);
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
    text-align: right;
  }
  .bar {
    background: var(--_surface);
    border-radius: 2px;
    display: block;
    height: 8px;
    overflow: hidden;
  }
  .fill {
    background: var(--_accent);
    display: block;
    height: 100%;
  }
  .visually-hidden {
    clip-path: inset(50%);
    height: 1px;
    overflow: hidden;
    position: absolute;
    white-space: nowrap;
    width: 1px;
  }
`;

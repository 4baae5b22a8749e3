import { css } from 'lit';

/**
 * The theme every lmtt element shares. Public custom properties (documented
 * on each element) feed private `--_` ones, with light and dark defaults
 * through `light-dark()`: an element follows the page's `color-scheme`, or
 * set `color-scheme: dark` on it. The edge and diverging colours are
 * blue and orange, which stay apart for the common colour-vision deficiencies.
 */
export const themeStyles = css`
  :host {
    color-scheme: light dark;
    --_bg: var(--lmtt-bg, light-dark(#ffffff, #15181e));
    --_fg: var(--lmtt-fg, light-dark(#1d2330, #e4e7ee));
    --_muted: var(--lmtt-muted, light-dark(#5d6676, #9aa3b3));
    --_border: var(--lmtt-border, light-dark(#d8dde6, #343a46));
    --_surface: var(--lmtt-surface, light-dark(#f3f5f8, #1f232b));
    --_accent: var(--lmtt-accent, light-dark(#0b62c4, #6cb2ff));
    --_selected: var(--lmtt-selected, light-dark(#ffb000, #ffc845));
    --_positive: var(--lmtt-positive, light-dark(#1f5fa8, #7fb6f0));
    --_negative: var(--lmtt-negative, light-dark(#c2560f, #f3a05a));
    --_error: var(--lmtt-error, light-dark(#a3261b, #ff8a80));
    --_font: var(--lmtt-font-sans, system-ui, sans-serif);
    --_mono: var(--lmtt-font-mono, ui-monospace, 'SFMono-Regular', Menlo, monospace);
    display: block;
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--lmtt-font-size, 13px);
  }
  :host([hidden]) {
    display: none;
  }
  .status {
    align-items: center;
    border: 1px dashed var(--_border);
    border-radius: 6px;
    color: var(--_muted);
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    padding: 12px;
  }
  .status.error {
    border-color: var(--_error);
    border-style: solid;
    color: var(--_error);
  }
  .status .message {
    color: var(--_fg);
  }
  .status .code {
    font-family: var(--_mono);
    font-size: 0.9em;
  }
  .pulse {
    animation: pulse 1.2s ease-in-out infinite;
    background: var(--_accent);
    border-radius: 2px;
    height: 4px;
    width: 32px;
  }
  @keyframes pulse {
    50% {
      opacity: 0.25;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .pulse {
      animation: none;
    }
  }
`;

import { html } from 'lit';
import type { TemplateResult } from 'lit';

/** What the toolbar's buttons do. */
export interface ToolbarActions {
  readonly copyLink: () => void;
  readonly exportTrace: () => void;
  readonly exportImage: (format: 'svg' | 'png') => void;
  readonly importTrace: (event: Event) => void;
}

/**
 * The playground's toolbar: copy a permalink, export the trace, the graph as
 * SVG or PNG, import a trace file, and the status line.
 *
 * @param canExport - Whether a finished trace is shown.
 * @param status - The status line, e.g. where the trace ran.
 */
export function renderToolbar(
  canExport: boolean,
  status: string,
  actions: ToolbarActions,
): TemplateResult {
  return html`<div class="toolbar" role="toolbar" aria-label="share and export">
    <button id="copy-link" @click=${actions.copyLink}>Copy link</button>
    <button id="export-trace" ?disabled=${!canExport} @click=${actions.exportTrace}>
      Export trace
    </button>
    <button id="export-svg" ?disabled=${!canExport} @click=${() => actions.exportImage('svg')}>
      Export SVG
    </button>
    <button id="export-png" ?disabled=${!canExport} @click=${() => actions.exportImage('png')}>
      Export PNG
    </button>
    <label class="import"
      >Import trace<input
        id="import"
        type="file"
        accept=".json,application/json"
        @change=${actions.importTrace}
    /></label>
    <span class="notice" role="status">${status}</span>
  </div>`;
}

import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { TraceProgress } from '../server/partial-trace.js';

/** The progress bar of a running trace: its stage in words, and the layers done once known. */
export function renderProgress(progress: TraceProgress): TemplateResult {
  const layers = progress.nLayers ? ` · layer ${progress.layers} of ${progress.nLayers}` : '';
  return html`<div
    class="progress"
    role="progressbar"
    aria-valuemin="0"
    aria-valuemax="1"
    aria-valuenow=${progress.fraction}
  >
    <span>${progress.stage}${layers}</span>
    <progress max="1" .value=${progress.fraction}></progress>
  </div>`;
}

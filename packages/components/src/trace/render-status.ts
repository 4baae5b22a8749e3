import { html } from 'lit';
import type { TemplateResult } from 'lit';

/** The code of an error, when it has one. */
function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A loading state: a pulsing bar and what is being loaded. */
export function renderLoading(what: string): TemplateResult {
  return html`<div part="status loading" class="status loading" role="status" aria-live="polite">
    <span class="pulse" aria-hidden="true"></span>${what}
  </div>`;
}

/** An error state: what failed, in words, with the error's code. */
export function renderError(what: string, error: Error): TemplateResult {
  const code = codeOf(error);
  return html`<div part="status error" class="status error" role="alert">
    <strong>${what}</strong>
    <span class="message">${error.message}</span>
    ${code ? html`<code class="code">${code}</code>` : ''}
  </div>`;
}

/** An empty state: why there is nothing to show, and what to do about it. */
export function renderEmpty(message: string): TemplateResult {
  return html`<div part="status empty" class="status empty">${message}</div>`;
}

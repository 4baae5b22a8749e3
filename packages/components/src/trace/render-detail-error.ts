import type { TemplateResult } from 'lit';
import { renderError } from './render-status.js';

/**
 * A failed detail query in words a user can act on: a summary trace
 * (`NO_DETAIL`) says what to load instead; anything else says what failed.
 *
 * @param subject - what the element shows, e.g. `logit lens`
 */
export function renderDetailError(subject: string, error: Error): TemplateResult {
  const noDetail = (error as { code?: unknown }).code === 'NO_DETAIL';
  return renderError(
    noDetail
      ? `A summary trace has no ${subject}: open a full trace (lmtt trace --detail full) or connect to an lmtt server.`
      : `The ${subject} could not be read.`,
    error,
  );
}

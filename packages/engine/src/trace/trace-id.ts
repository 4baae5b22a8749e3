import type { TraceSettings } from '../schema/index.js';

/**
 * The id of a trace: a SHA-256 of what determines it (model, device,
 * precision, prompt, settings, detail level), so identical requests share
 * one trace and traces of one prompt on two devices (whose numbers differ
 * by rounding) do not.
 */
export async function traceId(parts: {
  readonly model: string;
  readonly device: string;
  readonly dtype: string;
  readonly prompt: string;
  readonly prependBos: boolean | undefined;
  readonly settings: TraceSettings;
  readonly detail: string;
}): Promise<string> {
  const { settings } = parts;
  const canonical = JSON.stringify([
    parts.model,
    parts.device,
    parts.dtype,
    parts.prompt,
    parts.prependBos ?? null,
    parts.detail,
    settings.distance,
    settings.threshold,
    settings.renormalize,
    settings.lensNormalize,
    settings.topK,
    settings.topNeurons,
  ]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

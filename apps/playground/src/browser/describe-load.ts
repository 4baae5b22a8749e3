import type { LoadProgress } from './engine-protocol.js';

/**
 * A loading phase for the progress bar: its line in words and how far along
 * it is, e.g. `download model.safetensors · 3.2 of 13.6 MB` or
 * `create sessions · 2 of 6`.
 */
export function describeLoad({ phase, loaded, total }: LoadProgress): {
  stage: string;
  fraction: number;
} {
  const fraction = total ? loaded / total : 0;
  if (phase.startsWith('download')) {
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const amount = total ? `${mb(loaded)} of ${mb(total)} MB` : `${mb(loaded)} MB`;
    return { stage: `${phase} · ${amount}`, fraction };
  }
  return { stage: total ? `${phase} · ${loaded} of ${total}` : phase, fraction };
}

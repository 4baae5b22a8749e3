import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The embedded default model shipped in the repository's `models/` folder. */
export const EMBEDDED_MODEL = fileURLToPath(
  new URL('../../../../models/lmtt-tiny-gpt2', import.meta.url),
);

/** The embedded model's folder when it is there. */
export function embeddedModel(): string | undefined {
  return existsSync(`${EMBEDDED_MODEL}/config.json`) ? EMBEDDED_MODEL : undefined;
}

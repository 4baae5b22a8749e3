import { LmttError } from '../errors.js';
import type { Family, RawConfig } from './family.js';
import { gemma, REFUSED_GEMMA_TYPES } from './gemma.js';
import { gpt2 } from './gpt2.js';
import { gptNeox } from './gpt-neox.js';
import { llama, mistral, qwen2 } from './llama.js';
import { opt } from './opt.js';
import { phi } from './phi.js';

/** Every family the engine supports, one file each. */
export const FAMILIES: readonly Family[] = [gpt2, llama, mistral, qwen2, opt, gptNeox, phi, gemma];

/** `model_type`s that are refused for a known reason, with the reason. */
const REFUSED: Readonly<Record<string, string>> = REFUSED_GEMMA_TYPES;

/**
 * The family for a `config.json`.
 *
 * @throws LmttError `UNSUPPORTED_MODEL` naming the supported `model_type`s.
 */
export function familyFor(config: RawConfig): Family {
  const modelType = config['model_type'];
  const family = FAMILIES.find(
    (f) => typeof modelType === 'string' && f.modelTypes.includes(modelType),
  );
  if (!family) {
    const supported = FAMILIES.flatMap((f) => f.modelTypes).join(', ');
    const reason =
      typeof modelType === 'string' && Object.hasOwn(REFUSED, modelType)
        ? REFUSED[modelType]
        : undefined;
    throw new LmttError(
      'UNSUPPORTED_MODEL',
      `model_type '${String(modelType)}' is not supported${reason ? `: ${reason}` : ''} (supported: ${supported})`,
    );
  }
  return family;
}

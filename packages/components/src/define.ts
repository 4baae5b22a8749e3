/**
 * Registers every lmtt element under its tag name. Importing this module is
 * the one side effect of the package.
 */
import { LmttTokens } from './tokens/tokens-element.js';

const elements: Record<string, CustomElementConstructor> = {
  'lmtt-tokens': LmttTokens,
};

for (const [tag, element] of Object.entries(elements)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

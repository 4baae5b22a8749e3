/**
 * `@lmtt/components`: Lit web components for lmtt traces. Import
 * `@lmtt/components/define` to register the elements.
 *
 * @packageDocumentation
 */

export { LmttTokens } from './tokens/tokens-element.js';
export { renderTokens, visibleText } from './tokens/render-tokens.js';

import type { Platform } from '../../model/platform.js';
import { loadTransformersTokenizer } from '../transformers-tokenizer.js';
import { resolveSource } from './resolve-source.js';

/** WebAssembly memory stops at 4 GB; about 2 GB of weights is what a tab can hold. */
const BROWSER_WEIGHT_LIMIT = 2 * 2 ** 30;

/** Browsers: URLs or the hub through Cache Storage; WebGPU first, WASM fallback. */
export const webPlatform: Platform = {
  defaultDevices: ['webgpu', 'wasm'],
  resolveSource: (id, options) => resolveSource(id, options),
  loadTokenizer: loadTransformersTokenizer,
  maxWeightBytes: BROWSER_WEIGHT_LIMIT,
};

import type { Platform } from '../../model/platform.js';
import { loadTransformersTokenizer } from '../transformers-tokenizer.js';
import { resolveSource } from './resolve-source.js';

/** Node: folders on disk or the hub through the disk cache; CPU first unless asked. */
export const nodePlatform: Platform = {
  defaultDevices: ['cpu'],
  resolveSource: (idOrPath, options) => resolveSource(idOrPath, options),
  loadTokenizer: loadTransformersTokenizer,
};

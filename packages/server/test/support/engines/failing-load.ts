// An engine whose models fail to load with an unexpected (non-engine) error.
import type { loadModel as engineLoadModel } from '@lmtt/engine/node';

export { trace } from '@lmtt/engine/node';

export const loadModel: typeof engineLoadModel = () => {
  throw new Error('secret detail');
};

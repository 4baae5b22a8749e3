// The engine, with models that take 100 ms more to load.
import { loadModel as engineLoadModel } from '@lmtt/engine/node';

export { trace } from '@lmtt/engine/node';

export const loadModel: typeof engineLoadModel = async (source, options) => {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return engineLoadModel(source, options);
};

// An engine whose traces wait until they are aborted.
import type { trace as engineTrace } from '@lmtt/engine/node';

export { loadModel } from '@lmtt/engine/node';

export const trace: typeof engineTrace = async function* (_model, _prompt, options) {
  await new Promise((resolve) => options?.signal?.addEventListener('abort', resolve));
  yield { type: 'error', code: 'ABORTED', message: 'stopped' };
};

// An engine whose traces take 200 ms and end with an error.
import type { trace as engineTrace } from '@lmtt/engine/node';

export { loadModel } from '@lmtt/engine/node';

export const trace: typeof engineTrace = async function* () {
  await new Promise((resolve) => setTimeout(resolve, 200));
  yield { type: 'error', code: 'ABORTED', message: 'stopped' };
};

// An engine whose traces end at once with an error: for tests of everything around a trace.
import type { trace as engineTrace } from '@lmtt/engine/node';

export { loadModel } from '@lmtt/engine/node';

export const trace: typeof engineTrace = async function* () {
  yield { type: 'error', code: 'ABORTED', message: 'this test engine does not trace' };
};

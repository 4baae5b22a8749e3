// An engine whose traces never end and ignore cancellation: a stuck worker.
import type { trace as engineTrace } from '@lmtt/engine/node';

export { loadModel } from '@lmtt/engine/node';

export const trace: typeof engineTrace = async function* () {
  yield* [];
  await new Promise(() => {});
};

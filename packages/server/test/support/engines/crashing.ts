// The engine, except that tracing a prompt that starts with `crash` kills the
// worker thread with an uncaught error after the first event.
import { trace as engineTrace } from '@lmtt/engine/node';

export { loadModel } from '@lmtt/engine/node';

export const trace: typeof engineTrace = async function* (model, input, options) {
  for await (const event of engineTrace(model, input, options)) {
    yield event;
    if (String(input).startsWith('crash')) {
      setTimeout(() => {
        throw new Error('the test engine crashed');
      });
      await new Promise(() => {});
    }
  }
};

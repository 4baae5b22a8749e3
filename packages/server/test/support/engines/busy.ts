// The engine, plus `BUSY_MS` of synchronous work after each layer of a prompt
// that starts with `busy`: a stand-in for heavy trace orchestration, which
// must not hold up the server's main thread.
import { trace as engineTrace } from '@lmtt/engine/node';

export { loadModel } from '@lmtt/engine/node';

/** Milliseconds of blocking work per layer. */
export const BUSY_MS = 400;

export const trace: typeof engineTrace = async function* (model, input, options) {
  for await (const event of engineTrace(model, input, options)) {
    if (event.type === 'layer' && String(input).startsWith('busy')) {
      const until = Date.now() + BUSY_MS;
      while (Date.now() < until);
    }
    yield event;
  }
};

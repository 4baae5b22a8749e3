// The engine, except that each layer of a prompt that starts with `slow`
// waits for a permit from the test. Test and worker talk over the
// `GATE_CHANNEL` broadcast channel (`gate-channel.ts`); `socket.test.ts` holds the other end.
import { BroadcastChannel } from 'node:worker_threads';
import { trace as engineTrace } from '@lmtt/engine/node';
import { GATE_CHANNEL } from './gate-channel.js';
import type { GateMessage } from './gate-channel.js';

export { loadModel } from '@lmtt/engine/node';

const channel = new BroadcastChannel(GATE_CHANNEL);
channel.unref();
let permits = 0;
const waiting: (() => void)[] = [];
channel.onmessage = (message) => {
  const data = (message as { data: GateMessage }).data;
  if (data.type !== 'release') return;
  for (let i = 0; i < data.count; i++) {
    const next = waiting.shift();
    if (next) next();
    else permits++;
  }
};

/**
 * Waits for a permit, or for the trace to be cancelled: the test's release
 * and the server's cancel travel on different channels, so a release may
 * arrive first and let the trace on to its next layer, which must not then
 * wait forever.
 */
const permit = (signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (permits > 0) {
      permits--;
      resolve();
      return;
    }
    if (signal?.aborted) return resolve();
    const done = () => {
      const at = waiting.indexOf(done);
      if (at >= 0) waiting.splice(at, 1);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    waiting.push(done);
    signal?.addEventListener('abort', done, { once: true });
  });

const tell = (message: GateMessage) => channel.postMessage(message);

export const trace: typeof engineTrace = async function* (model, input, options) {
  const prompt = String(input);
  tell({ type: 'started', prompt });
  let last = '';
  for await (const event of engineTrace(model, input, options)) {
    if (event.type === 'layer' && prompt.startsWith('slow')) await permit(options?.signal);
    last = event.type === 'error' ? `error:${event.code}` : event.type;
    yield event;
  }
  tell({ type: 'ended', prompt, last });
};

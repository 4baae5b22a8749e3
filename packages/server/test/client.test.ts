import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { lmttClient, startTrace } from '../src/client/index.js';
import type { LmttClient } from '../src/client/index.js';
import type { ModelListing } from '../src/models/describe-model.js';
import { startServer } from '../src/node/serve.js';
import type { RunningServer } from '../src/node/serve.js';
import { tinyServer } from './support/tiny-server.js';
import type { TinyServer } from './support/tiny-server.js';

let tiny: TinyServer;
let running: RunningServer;
let client: LmttClient;

beforeAll(async () => {
  tiny = await tinyServer();
  running = await startServer({ host: '127.0.0.1', port: 0, services: tiny.services });
  client = lmttClient(running.url);
});
afterAll(async () => {
  await running?.close();
  await tiny?.close();
});

describe('the typed client', () => {
  it('lists models with typed fields', async () => {
    const response = await client.api.models.$get();
    const body = await response.json();
    expectTypeOf(body.models).toEqualTypeOf<ModelListing[]>();
    expect(body.default).toBe('tiny');
  });

  it('reads health and readiness', async () => {
    const health = await (await client.api.health.$get()).json();
    expectTypeOf(health.queue.running).toBeNumber();
    expect(health.status).toBe('ok');
    const ready = await client.api.ready.$get();
    expect(ready.status).toBe(200);
  });

  it('starts a trace stream', async () => {
    const response = await startTrace(client, { prompt: 'hello there', settings: { topK: 3 } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(await response.text()).toContain('event: done');
  });
});

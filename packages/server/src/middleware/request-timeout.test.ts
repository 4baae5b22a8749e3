import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { requestTimeout } from './request-timeout.js';

describe('requestTimeout', () => {
  it('answers 504 TIMEOUT when the handler takes too long, and passes quick ones', async () => {
    const app = new Hono()
      .use(requestTimeout(20))
      .get('/slow', async (c) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return c.json({ ok: true });
      })
      .get('/quick', (c) => c.json({ ok: true }));
    app.onError(errorHandler(false));
    const slow = await app.request('/slow');
    expect(slow.status).toBe(504);
    expect(await slow.json()).toMatchObject({ code: 'TIMEOUT' });
    expect((await app.request('/quick')).status).toBe(200);
  });
});

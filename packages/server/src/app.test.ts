import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';

const status = () => ({ status: 'ok' as const, version: '0.0.0', devices: ['cpu'], pending: [] });

describe('createApp', () => {
  it('answers the health check', async () => {
    const response = await createApp({ status }).request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      version: '0.0.0',
      devices: ['cpu'],
      pending: [],
    });
  });

  it('answers unknown routes with a JSON error carrying a code', async () => {
    const response = await createApp({ status }).request('/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'NOT_FOUND', message: 'no route GET /api/nope' });
  });

  it('hides internal error details unless debug is on', async () => {
    const failing = () => {
      throw new Error('secret detail');
    };
    const quiet = await createApp({ status: failing }).request('/api/health');
    expect(quiet.status).toBe(500);
    expect(await quiet.json()).toEqual({ code: 'INTERNAL', message: 'internal server error' });
    const loud = await createApp({ status: failing, debug: true }).request('/api/health');
    expect(((await loud.json()) as { message: string }).message).toContain('secret detail');
  });
});

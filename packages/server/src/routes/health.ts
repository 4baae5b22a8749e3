import { Hono } from 'hono';

/** What `GET /api/health` reports. */
export interface ServerStatus {
  readonly status: 'ok';
  readonly version: string;
  /** Devices the engine has a backend for, best first. */
  readonly devices: readonly string[];
  /** Parts of lmtt that are not available in this build yet. */
  readonly pending: readonly string[];
}

/** `GET /` reports the server's status. */
export function healthRoutes(status: () => ServerStatus) {
  return new Hono().get('/', (c) => c.json(status()));
}

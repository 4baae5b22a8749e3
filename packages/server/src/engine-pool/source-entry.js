// @ts-check
// Starts the engine worker from the TypeScript sources (development and
// tests): tsx compiles them in this thread, and the worker's `--conditions`
// resolve the workspace packages to their sources too. The built server
// starts `engine-worker.js` directly.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');

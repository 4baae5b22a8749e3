import { registerBackend } from '../../backend/registry.js';
import type { WebBackendOptions } from './web-backend.js';
import { createWebBackend } from './web-backend.js';

/**
 * Registers the `onnxruntime-web` backends: `webgpu` (priority 4), then `wasm`
 * (priority 3). They rank below the Node backends, so that in a process that
 * loads both, `webgpu` stays native. Nothing starts until a backend is
 * resolved; `@lmtt/engine/web` calls this on import, and calling it again with
 * options replaces those registrations.
 *
 * @example
 * registerWebBackends({ threads: 1 });
 * const { backend, fallbacks } = await resolveBackend(['webgpu', 'wasm']);
 */
export function registerWebBackends(options: WebBackendOptions = {}): void {
  registerBackend(createWebBackend('webgpu', options), 4);
  registerBackend(createWebBackend('wasm', options), 3);
}

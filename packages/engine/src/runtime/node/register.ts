import { registerBackend } from '../../backend/registry.js';
import type { NodeBackendOptions } from './node-backend.js';
import { createNodeBackend } from './node-backend.js';

/**
 * Registers the `onnxruntime-node` backends: `cpu` (priority 10, always
 * there), then `cuda` and `webgpu` (priority 5). Nothing starts until a
 * backend is resolved; `@lmtt/engine/node` calls this on import, and calling it
 * again with options replaces those registrations.
 *
 * @example
 * registerNodeBackends({ prepackWeights: true });
 * const { backend, fallbacks } = await resolveBackend(['cuda', 'webgpu', 'cpu']);
 */
export function registerNodeBackends(options: NodeBackendOptions = {}): void {
  registerBackend(createNodeBackend('cpu', options), 10);
  registerBackend(createNodeBackend('cuda', options), 5);
  registerBackend(createNodeBackend('webgpu', options), 5);
}

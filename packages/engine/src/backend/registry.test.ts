import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, Device } from './backend.js';
import { clearBackends, registerBackend, registeredDevices, resolveBackend } from './registry.js';

function fakeBackend(device: Device, failure?: string): Backend {
  return {
    device,
    init: () => (failure ? Promise.reject(new Error(failure)) : Promise.resolve()),
    createSession: () => Promise.reject(new Error('not used')),
  };
}

afterEach(clearBackends);

describe('backend registry', () => {
  it('resolves the first device that starts and reports why the others did not', async () => {
    registerBackend(fakeBackend('cuda', 'libcudart.so.12: cannot open shared object file'));
    registerBackend(fakeBackend('cpu'));
    const { backend, fallbacks } = await resolveBackend(['webgpu', 'cuda', 'cpu']);
    expect(backend.device).toBe('cpu');
    expect(fallbacks).toEqual([
      { device: 'webgpu', reason: 'no backend registered for this device' },
      { device: 'cuda', reason: 'libcudart.so.12: cannot open shared object file' },
    ]);
  });

  it('throws one NO_BACKEND error naming every device tried', async () => {
    registerBackend(fakeBackend('webgpu', 'no adapter'));
    await expect(resolveBackend(['webgpu', 'wasm'])).rejects.toMatchObject({
      code: 'NO_BACKEND',
      message:
        'no device could start (tried webgpu: no adapter; wasm: no backend registered for this device)',
    });
  });

  it('keeps the higher-priority registration of a device', () => {
    const low = fakeBackend('cpu');
    const high = fakeBackend('cpu');
    registerBackend(high, 10);
    registerBackend(low, 1);
    registerBackend(fakeBackend('wasm'), 5);
    expect(registeredDevices()).toEqual(['cpu', 'wasm']);
  });
});

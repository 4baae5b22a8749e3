import { createNodeBackend, SWIFTSHADER_ICD } from '@lmtt/engine/node';
import type { DeviceTester } from './device-probe.js';

/**
 * Starts a device the way the engine workers will, through the engine's
 * `onnxruntime-node` backend (its start runs a probe graph on the device),
 * then ends it: the main thread keeps no session. fp16 is offered on GPU
 * devices except WebGPU on the SwiftShader software adapter, which has no
 * `shader-f16`.
 */
export function nodeDeviceTester(): DeviceTester {
  return async (device) => {
    const backend = createNodeBackend(device);
    const started = backend.init();
    // A start that outlives the probe's time box still ends its worker when it settles.
    void started.then(
      () => backend.dispose(),
      () => backend.dispose(),
    );
    await started;
    const software = device === 'webgpu' && process.env['VK_ICD_FILENAMES'] === SWIFTSHADER_ICD;
    return { fp16: !software };
  };
}

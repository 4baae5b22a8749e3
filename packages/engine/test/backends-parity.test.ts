import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../src/backend/backend.js';
import { loadModel, Model, SWIFTSHADER_ICD } from '../src/node.js';
import { parityErrors, relativeError, worstError } from './support/parity.js';
import { referenceGpt2 } from './support/reference-gpt2.js';
import type { ReferenceForward } from './support/reference-gpt2.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import type { TinyGpt2 } from './support/tiny-gpt2.js';

// Software WebGPU runs at ~0.5 GFLOP/s: 2 layers, d_model 32, 12 tokens.
const IDS = [12, 250, 7, 7, 99, 3, 180, 42, 12, 250, 299, 0];

/** Whether the machine shows a GPU device node (DRM render node, NVIDIA, WSL, ROCm). */
function hasGpuDevice(): boolean {
  return (
    ['/dev/nvidiactl', '/dev/nvidia0', '/dev/dxg', '/dev/kfd'].some((path) => existsSync(path)) ||
    (existsSync('/dev/dri') && readdirSync('/dev/dri').some((name) => name.startsWith('renderD')))
  );
}

/** Why WebGPU cannot be expected to start here, or `undefined` when it must. */
const noWebGpuHere =
  existsSync(SWIFTSHADER_ICD) || hasGpuDevice()
    ? undefined
    : `no GPU device and no SwiftShader Vulkan driver (${SWIFTSHADER_ICD}): install Debian's chromium and libvulkan1 to test Node WebGPU`;

/** Whether onnxruntime-node's CUDA provider binaries were installed (`ONNXRUNTIME_NODE_INSTALL=cuda12`). */
function hasCudaProvider(): boolean {
  const ortNode = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
  const bin = join(ortNode, '..', 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(bin) && readdirSync(bin).some((name) => name.includes('providers_cuda'));
}

let root: string;
let tiny: TinyGpt2;
let reference: ReferenceForward;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-backends-'));
  tiny = await writeTinyGpt2(join(root, 'tiny'), { seed: 21, nLayers: 2, dModel: 32 });
  reference = referenceGpt2(tiny, IDS);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('one tiny GPT-2 on every Node device', () => {
  it.for<Device>(['cpu', 'webgpu'])(
    'matches every intermediate and the logits of the float64 reference to 1e-5 on %s',
    async (device, context) => {
      if (device === 'webgpu') context.skip(noWebGpuHere !== undefined, noWebGpuHere);
      const model = await loadModel(tiny.dir, { device });
      try {
        // A device that cannot start falls back to cpu: `fallbacks` then says why.
        expect(model.info).toMatchObject({ fallbacks: [], device, dtype: 'fp32' });
        const errors = parityErrors(await model.run(IDS), reference);
        expect(errors.size).toBe(2 * 9 + 2);
        for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-5);
      } finally {
        await model.dispose();
      }
    },
  );

  it('computes in fp16 on webgpu within 2e-2 of the reference, or refuses it at load', async (context) => {
    context.skip(noWebGpuHere !== undefined, noWebGpuHere);
    const loaded = await loadModel(tiny.dir, { device: 'webgpu', dtype: 'fp16' }).catch(
      (error: unknown) => error,
    );
    if (!(loaded instanceof Model)) {
      // An adapter without `shader-f16` (SwiftShader) cannot run fp16 graphs.
      expect(loaded).toMatchObject({
        name: 'LmttError',
        code: 'UNSUPPORTED_DTYPE',
        message: expect.stringMatching(/webgpu.*f16|f16.*webgpu/i),
      });
      return;
    }
    try {
      expect(loaded.info).toMatchObject({ device: 'webgpu', dtype: 'fp16' });
      const result = await loaded.run(IDS).catch((error: unknown) => {
        throw new Error(
          'fp16 on webgpu was accepted at load but does not run: loadModel should refuse it with UNSUPPORTED_DTYPE',
          { cause: error },
        );
      });
      expect(result.logits.dtype).toBe('float32');
      expect(relativeError(result.logits, reference.logits)).toBeLessThan(2e-2);
    } finally {
      await loaded.dispose();
    }
  });

  it('refuses fp16 on cpu with UNSUPPORTED_DTYPE', async () => {
    await expect(loadModel(tiny.dir, { device: 'cpu', dtype: 'fp16' })).rejects.toMatchObject({
      name: 'LmttError',
      code: 'UNSUPPORTED_DTYPE',
      message: expect.stringContaining('cpu computes in fp32'),
    });
  });

  it('falls back from cuda to cpu and says why', async (context) => {
    context.skip(
      hasCudaProvider(),
      'the CUDA provider is installed here: nothing to fall back from',
    );
    const model = await loadModel(tiny.dir, { device: 'cuda' });
    try {
      expect(model.info.device).toBe('cpu');
      expect(model.info.fallbacks).toEqual([
        {
          device: 'cuda',
          reason: expect.stringMatching(
            /^CUDA could not start: .*ONNXRUNTIME_NODE_INSTALL=cuda12/s,
          ),
        },
      ]);
      const errors = parityErrors(await model.run(IDS), reference);
      expect(worstError(errors)).toBeLessThan(1e-5);
    } finally {
      await model.dispose();
    }
  });
});

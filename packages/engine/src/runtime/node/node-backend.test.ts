import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TensorProto_DataType } from 'onnx-buf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendSession } from '../../backend/backend.js';
import { clearBackends, resolveBackend } from '../../backend/registry.js';
import { float32 } from '../../backend/tensor.js';
import { doublingModel, linearFixture, matmulChainModel } from '../test-support/graphs.js';
import type { NodeBackend } from './node-backend.js';
import { createNodeBackend } from './node-backend.js';
import { registerNodeBackends } from './register.js';
import { softwareVulkanDriver } from './software-vulkan.js';

const fixture = linearFixture();
let dir: string;
let weights: string;
const cpu = createNodeBackend('cpu');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lmtt-node-backend-'));
  weights = join(dir, fixture.location);
  await writeFile(weights, fixture.file);
});

afterAll(async () => {
  clearBackends();
  await cpu.dispose();
  await rm(dir, { recursive: true, force: true });
});

function linearSession(backend: NodeBackend): Promise<BackendSession> {
  return backend.createSession(fixture.model, {
    externalData: [{ location: fixture.location, source: weights }],
  });
}

describe('onnxruntime-node backends', () => {
  it('runs y = x @ W + b exactly on cpu, W and b read from odd offsets of a file', async () => {
    const session = await linearSession(cpu);
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const outputs = await session.run({ x: fixture.x }, ['y']);
    expect(outputs).toEqual({ y: { dtype: 'float32', dims: [2, 3], data: fixture.expected } });
    await session.release();
  });

  it('takes external data under another file name and as bytes', async () => {
    const blob = join(dir, 'blob-7d3f');
    await writeFile(blob, fixture.file);
    for (const source of [blob, fixture.file]) {
      const session = await cpu.createSession(fixture.model, {
        externalData: [{ location: fixture.location, source }],
      });
      expect((await session.run({ x: fixture.x }))['y']?.data).toEqual(fixture.expected);
      await session.release();
    }
  });

  it('agrees with cpu within 1e-5 on webgpu', async (context) => {
    const webgpu = createNodeBackend('webgpu');
    try {
      await webgpu.init();
    } catch (error) {
      // Only a machine with neither a GPU nor SwiftShader may skip, and it says why.
      const reason = error instanceof Error ? error.message : String(error);
      if (!softwareVulkanDriver() && !process.env['VK_ICD_FILENAMES']) context.skip(reason);
      throw error;
    }
    try {
      const session = await linearSession(webgpu);
      const { y } = await session.run({ x: fixture.x });
      expect(y?.dims).toEqual([2, 3]);
      [...(y?.data as Float32Array)].forEach((value, i) =>
        expect(value).toBeCloseTo(fixture.expected[i]!, 5),
      );
    } finally {
      await webgpu.dispose();
    }
  });

  it('falls back from cuda to cpu with a reason that names CUDA', async (context) => {
    registerNodeBackends();
    const { backend, fallbacks } = await resolveBackend(['cuda', 'cpu']);
    if (backend.device === 'cuda') context.skip('CUDA is installed here');
    expect(backend.device).toBe('cpu');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]?.device).toBe('cuda');
    expect(fallbacks[0]?.reason).toMatch(
      /^CUDA could not start: .+ONNXRUNTIME_NODE_INSTALL=cuda12/,
    );
    await backend.dispose?.();
  });

  it('keeps the event loop running while a heavy session runs', async () => {
    const d = 512;
    const session = await cpu.createSession(matmulChainModel(d, 48), { threads: 1 });
    const x = float32(new Float32Array(d * d).fill(1 / d), [d, d]); // x, W: [d, d]
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    try {
      const { y } = await session.run({ x, W: x });
      expect(y?.data[0]).toBeCloseTo(1 / d, 6);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
    await session.release();
  });

  it('round-trips float16 tensors as raw bits', async () => {
    const session = await cpu.createSession(doublingModel(TensorProto_DataType.FLOAT16));
    // 1, -2.5, the smallest subnormal, the largest finite half (doubles to +inf)
    const x = {
      dtype: 'float16',
      dims: [4],
      data: Uint16Array.of(0x3c00, 0xc100, 0x0001, 0x7bff),
    } as const;
    const { y } = await session.run({ x });
    expect(y).toEqual({
      dtype: 'float16',
      dims: [4],
      data: Uint16Array.of(0x4000, 0xc500, 0x0002, 0x7c00),
    });
    expect(x.data).toEqual(Uint16Array.of(0x3c00, 0xc100, 0x0001, 0x7bff));
    await session.release();
  });

  it('rejects errors from the worker with the ONNX Runtime message, and keeps working', async () => {
    await expect(cpu.createSession(Uint8Array.of(1, 2, 3))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(
        /^onnxruntime-node cpu could not create a session: .*protobuf/i,
      ),
    });
    const session = await linearSession(cpu);
    const wrong = float32(new Float32Array(10), [2, 5]);
    await expect(session.run({ x: wrong })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/^onnxruntime-node cpu run failed: .*invalid dimensions/i),
    });
    expect((await session.run({ x: fixture.x }))['y']?.data).toEqual(fixture.expected);
    await session.release();
    await expect(session.run({ x: fixture.x })).rejects.toThrow(/not open/);
  });

  it('rejects pending calls when disposed, and starts afresh afterwards', async () => {
    const backend = createNodeBackend('cpu');
    const session = await linearSession(backend);
    const running = expect(session.run({ x: fixture.x })).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      message: 'onnxruntime-node cpu worker stopped: the backend was disposed',
    });
    await backend.dispose();
    await running;
    const again = await linearSession(backend);
    expect((await again.run({ x: fixture.x }))['y']?.data).toEqual(fixture.expected);
    await backend.dispose();
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { float32 } from '../../src/backend/tensor.js';
import { linearFixture, matmulChainModel } from '../../src/runtime/test-support/graphs.js';
import type { WebBackend, WebDevice } from '../../src/runtime/web/web-backend.js';
import { createWebBackend } from '../../src/runtime/web/web-backend.js';

const fixture = linearFixture();
const backends = new Map<WebDevice, Promise<WebBackend>>();

afterAll(async () => {
  for (const backend of backends.values()) await (await backend).dispose();
});

/** One started backend per device; `init()` rejects with the reason, e.g. no WebGPU adapter. */
function started(device: WebDevice): Promise<WebBackend> {
  let backend = backends.get(device);
  if (!backend) {
    const created = createWebBackend(device);
    backend = created.init().then(() => created);
    backends.set(device, backend);
  }
  return backend;
}

// A heavy chain of MatMuls per device: WASM ~30 GFLOP/s, software WebGPU ~0.5 GFLOP/s.
const HEAVY: Record<WebDevice, { d: number; depth: number }> = {
  wasm: { d: 256, depth: 48 },
  webgpu: { d: 128, depth: 16 },
};

describe.each<WebDevice>(['wasm', 'webgpu'])('onnxruntime-web %s', (device) => {
  it('runs y = x @ W + b with W, b from Uint8Array external data at odd offsets', async () => {
    const backend = await started(device);
    const session = await backend.createSession(fixture.model, {
      externalData: [{ location: fixture.location, source: fixture.file }],
    });
    expect(session.inputNames).toEqual(['x']);
    const { y } = await session.run({ x: fixture.x });
    expect(y?.dims).toEqual([2, 3]);
    [...(y?.data as Float32Array)].forEach((value, i) =>
      expect(value).toBeCloseTo(fixture.expected[i]!, 5),
    );
    await session.release();
  });

  it('rejects errors from the worker with the ONNX Runtime message, and keeps working', async () => {
    const backend = await started(device);
    const session = await backend.createSession(fixture.model, {
      externalData: [{ location: fixture.location, source: fixture.file }],
    });
    await expect(session.run({ x: float32(new Float32Array(10), [2, 5]) })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(
        new RegExp(`^onnxruntime-web ${device} run failed: .*dim`, 'i'),
      ),
    });
    expect((await session.run({ x: fixture.x }))['y']?.dims).toEqual([2, 3]);
    await session.release();
  });

  it('keeps the page responsive while a heavy session runs', async () => {
    const backend = await started(device);
    const { d, depth } = HEAVY[device];
    const session = await backend.createSession(matmulChainModel(d, depth));
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
});

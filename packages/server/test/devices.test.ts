import { existsSync, readdirSync } from 'node:fs';
import { decodeEvent, decodeTrace } from '@lmtt/engine';
import type { Trace } from '@lmtt/engine';
import { SWIFTSHADER_ICD } from '@lmtt/engine/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeviceTester } from '../src/devices/device-probe.js';
import { nodeDeviceTester } from '../src/devices/node-device-tester.js';
import {
  healthOf,
  parseSse,
  postTrace,
  tinyServer,
  tinyServerForTest,
} from './support/tiny-server.js';
import type { TinyServer } from './support/tiny-server.js';

const PROMPT = 'the cat sat on the mat';

/** Says WebGPU starts (with fp16) and CUDA does not, without starting either. */
const fakeGpu = vi.fn<DeviceTester>(async (device) => {
  if (device === 'cuda') throw new Error('no CUDA libraries here');
  return { fp16: true };
});

async function traceOf(server: TinyServer, body: unknown): Promise<Trace> {
  const response = await server.app.request('/api/traces', postTrace(body));
  expect(response.status).toBe(200);
  const done = decodeEvent(parseSse(await response.text()).at(-1)!.data);
  if (done.type !== 'done') throw new Error(`no done: ${JSON.stringify(done)}`);
  return done.trace;
}

async function errorOf(server: TinyServer, body: unknown) {
  const response = await server.app.request('/api/traces', postTrace(body));
  return {
    status: response.status,
    ...((await response.json()) as { code: string; message: string }),
  };
}

describe('devices and precisions', () => {
  let server: TinyServer;
  beforeAll(async () => {
    server = await tinyServer({}, { deviceTester: fakeGpu });
  });
  afterAll(() => server?.close());

  it('lists them in GET /api/models, probed once, and in health once known', async () => {
    const models = await (await server.app.request('/api/models')).json();
    expect(models).toMatchObject({
      devices: [
        { device: 'cpu', dtypes: ['fp32'] },
        { device: 'webgpu', dtypes: ['fp32', 'fp16'] },
      ],
      device: 'cpu',
      dtype: 'fp32',
    });
    await server.app.request('/api/models');
    expect(fakeGpu).toHaveBeenCalledTimes(2);
    expect((await healthOf(server)).availableDevices).toEqual(models.devices);
  });

  it.each([
    [{ device: 'tpu' }, 'device: expected one of cpu, webgpu, cuda'],
    [{ device: 3 }, 'device'],
    [{ device: 'CPU' }, 'device'],
    [{ dtype: 'bf16' }, 'dtype: expected one of fp32, fp16'],
    [{ dtype: null }, 'dtype'],
  ])('refuses %j with 400 BAD_REQUEST', async (fields, message) => {
    const error = await errorOf(server, { prompt: PROMPT, ...fields });
    expect(error).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(error.message).toContain(message);
  });

  it('refuses a device or precision this server lacks with 400, naming what it has', async () => {
    const cuda = await errorOf(server, { prompt: PROMPT, device: 'cuda' });
    expect(cuda).toMatchObject({ status: 400, code: 'DEVICE_UNAVAILABLE' });
    expect(cuda.message).toBe(
      "device 'cuda' is not available on this server; available: cpu (fp32), webgpu (fp32, fp16)",
    );
    const fp16 = await errorOf(server, { prompt: PROMPT, device: 'cpu', dtype: 'fp16' });
    expect(fp16).toMatchObject({ status: 400, code: 'DTYPE_UNAVAILABLE' });
    expect(fp16.message).toContain('fp16 does not run on cpu');
    // The config's device alone: fp16 on it is not offered either.
    expect(await errorOf(server, { prompt: PROMPT, dtype: 'fp16' })).toMatchObject({
      code: 'DTYPE_UNAVAILABLE',
    });
  });

  it('traces on an explicit cpu as on the default, sharing the cached trace', async () => {
    const byDefault = await traceOf(server, { prompt: PROMPT });
    expect(byDefault.model).toMatchObject({ device: 'cpu', dtype: 'fp32' });
    const response = await server.app.request(
      '/api/traces',
      postTrace({ prompt: PROMPT, device: 'cpu', dtype: 'fp32' }),
    );
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['done']);
    const done = decodeEvent(events[0]!.data);
    expect(done.type === 'done' && done.trace.id).toBe(byDefault.id);
  });

  it('offers only the allow-listed devices, without probing the others', async () => {
    const tester = vi.fn<DeviceTester>(async () => ({ fp16: true }));
    const cpuOnly = await tinyServerForTest({ devices: ['cpu'] }, { deviceTester: tester });
    const error = await errorOf(cpuOnly, { prompt: PROMPT, device: 'webgpu' });
    expect(error).toMatchObject({ status: 400, code: 'DEVICE_UNAVAILABLE' });
    expect(error.message).toContain('available: cpu (fp32)');
    expect(tester).not.toHaveBeenCalled();
  });
});

/** Whether the machine shows a GPU device node (DRM render node, NVIDIA, WSL, ROCm). */
function hasGpuDevice(): boolean {
  return (
    ['/dev/nvidiactl', '/dev/nvidia0', '/dev/dxg', '/dev/kfd'].some((path) => existsSync(path)) ||
    (existsSync('/dev/dri') && readdirSync('/dev/dri').some((name) => name.startsWith('renderD')))
  );
}

/**
 * Why WebGPU cannot be expected to start here, or `undefined` when it must
 * (as the engine's Node backend tests decide): with SwiftShader installed or
 * a GPU present, a WebGPU that does not start fails the test.
 */
const noWebGpuHere =
  existsSync(SWIFTSHADER_ICD) || hasGpuDevice()
    ? undefined
    : `no GPU device and no SwiftShader Vulkan driver (${SWIFTSHADER_ICD}): install Debian's chromium and libvulkan1 to test Node WebGPU`;

/** Contribution weights of WebGPU and CPU traces may differ by float32 rounding in another order. */
const WEIGHT_TOLERANCE = 1e-4;

describe.skipIf(noWebGpuHere !== undefined)('a trace on WebGPU (software adapter here)', () => {
  let server: TinyServer;
  beforeAll(async () => {
    server = await tinyServer({}, { deviceTester: nodeDeviceTester() }, { dModel: 32 });
  });
  afterAll(() => server?.close());

  it('is offered, and matches the cpu trace: the same kept edges, weights within 1e-4', async () => {
    const models = (await (await server.app.request('/api/models')).json()) as {
      devices: { device: string }[];
    };
    const offered = models.devices.map((d) => d.device);
    if (!offered.includes('webgpu'))
      throw new Error(
        `WebGPU should start here (SwiftShader or a GPU is present) but the server offers only ${offered.join(', ')}`,
      );
    const cpu = await traceOf(server, { prompt: PROMPT, device: 'cpu' });
    const gpu = await traceOf(server, { prompt: PROMPT, device: 'webgpu' });
    expect(gpu.model).toMatchObject({ device: 'webgpu', dtype: 'fp32' });
    expect(gpu.id).not.toBe(cpu.id);
    expect([...gpu.routes.offsets]).toEqual([...cpu.routes.offsets]);
    expect([...gpu.routes.edges]).toEqual([...cpu.routes.edges]);
    cpu.contributions.forEach((layer, l) => {
      const other = gpu.contributions[l]!;
      for (const key of ['attention', 'attentionResidual', 'ffn', 'ffnResidual'] as const) {
        const worst = layer[key].reduce((m, v, i) => Math.max(m, Math.abs(v - other[key][i]!)), 0);
        expect(worst, `layer ${l} ${key}`).toBeLessThan(WEIGHT_TOLERANCE);
      }
    });

    // Detail on demand and the full trace run on the trace's own device.
    const heads = await server.app.request(`/api/traces/${gpu.id}/heads?pos=2`);
    expect(heads.status).toBe(200);
    const full = decodeTrace(
      await (await server.app.request(`/api/traces/${gpu.id}?detail=full`)).text(),
    );
    expect(full).toMatchObject({ kind: 'full', model: { device: 'webgpu' } });
    const health = await healthOf(server);
    expect(health.workers[0]!.loaded).toHaveLength(2);
  });
});

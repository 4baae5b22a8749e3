import { describe, expect, it, vi } from 'vitest';
import { describeAvailable, DeviceProbe } from './device-probe.js';
import type { DeviceTester } from './device-probe.js';

describe('DeviceProbe', () => {
  it('offers cpu in fp32 always and each GPU device that starts, probing once', async () => {
    const tester = vi.fn<DeviceTester>(async (device) => {
      if (device === 'cuda') throw new Error('no CUDA libraries');
      return { fp16: true };
    });
    const probe = new DeviceProbe({ allowed: null, tester });
    expect(probe.known()).toBeUndefined();
    const [first, second] = await Promise.all([probe.report(), probe.report()]);
    expect(first).toBe(second);
    expect(probe.known()).toBe(first);
    expect(tester).toHaveBeenCalledTimes(2);
    expect(first).toEqual({
      available: [
        { device: 'cpu', dtypes: ['fp32'] },
        { device: 'webgpu', dtypes: ['fp32', 'fp16'] },
      ],
      unavailable: [{ device: 'cuda', reason: 'no CUDA libraries' }],
    });
    expect(describeAvailable(first)).toBe('cpu (fp32), webgpu (fp32, fp16)');
  });

  it('probes only the allowed devices', async () => {
    const tester = vi.fn<DeviceTester>(async () => ({ fp16: false }));
    const probe = new DeviceProbe({ allowed: ['cpu', 'cuda'], tester });
    expect((await probe.report()).available.map((d) => d.device)).toEqual(['cpu', 'cuda']);
    expect(tester.mock.calls).toEqual([['cuda']]);
  });

  it('counts a device that hangs, or throws at once, as unavailable within its time box', async () => {
    const tester: DeviceTester = (device) => {
      if (device === 'cuda') throw new Error('thrown synchronously');
      return new Promise(() => undefined);
    };
    const started = Date.now();
    const report = await new DeviceProbe({ allowed: null, tester, timeoutMs: 50 }).report();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.available).toEqual([{ device: 'cpu', dtypes: ['fp32'] }]);
    expect(report.unavailable).toEqual([
      { device: 'webgpu', reason: 'it did not start within 50 ms' },
      { device: 'cuda', reason: 'thrown synchronously' },
    ]);
  });
});

import { CONFIG_DEVICES } from '../config/config.js';
import type { ConfigDevice, ConfigDType } from '../config/config.js';

/** A device that started here, with the precisions it computes in. */
export interface AvailableDevice {
  readonly device: ConfigDevice;
  /** `fp32` always; `fp16` too on a GPU device that runs it. */
  readonly dtypes: readonly ConfigDType[];
}

/** What {@link DeviceProbe} found: the devices trace requests may ask for, and why others may not. */
export interface DeviceReport {
  /** Devices that started, in {@link CONFIG_DEVICES} order; `cpu` is always first. */
  readonly available: readonly AvailableDevice[];
  /** Devices the config allows that did not start, each with the reason. */
  readonly unavailable: readonly { readonly device: ConfigDevice; readonly reason: string }[];
}

/**
 * Starts `device` and says whether it runs fp16; throws (or rejects) when
 * it cannot start. The server's is {@link nodeDeviceTester}; tests pass fakes.
 */
export type DeviceTester = (device: Exclude<ConfigDevice, 'cpu'>) => Promise<{ fp16: boolean }>;

/** How a {@link DeviceProbe} is set up. */
export interface DeviceProbeOptions {
  /** The config's allow-list (`null`: every device). */
  readonly allowed: readonly ConfigDevice[] | null;
  readonly tester: DeviceTester;
  /** Longest a device may take to start before it counts as unavailable (default 15 s). */
  readonly timeoutMs?: number;
}

/** Rejects after `ms` unless `work` settles first; the timer never keeps the process alive. */
function timeBoxed<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not start within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Finds which devices start on this server, once, on first use: `cpu`
 * always (fp32 only: ONNX Runtime upcasts fp16 on the CPU, for no gain),
 * the GPU devices the config allows by starting each through the engine's
 * backend, time-boxed, one after the other. A device that fails or hangs
 * is reported unavailable with its reason; the probe itself never fails.
 *
 * @example
 * const probe = new DeviceProbe({ allowed: null, tester: nodeDeviceTester() });
 * const { available } = await probe.report();
 */
export class DeviceProbe {
  readonly #options: DeviceProbeOptions;
  #report: Promise<DeviceReport> | undefined;
  #known: DeviceReport | undefined;

  constructor(options: DeviceProbeOptions) {
    this.#options = options;
  }

  /** The devices that start here, probed on the first call and cached. */
  report(): Promise<DeviceReport> {
    this.#report ??= this.#probe().then((report) => (this.#known = report));
    return this.#report;
  }

  /** The report when the probe has finished, without starting it. */
  known(): DeviceReport | undefined {
    return this.#known;
  }

  async #probe(): Promise<DeviceReport> {
    const { allowed, tester, timeoutMs = 15_000 } = this.#options;
    const available: AvailableDevice[] = [{ device: 'cpu', dtypes: ['fp32'] }];
    const unavailable: { device: ConfigDevice; reason: string }[] = [];
    for (const device of CONFIG_DEVICES) {
      if (device === 'cpu' || (allowed !== null && !allowed.includes(device))) continue;
      try {
        const { fp16 } = await timeBoxed(
          Promise.resolve().then(() => tester(device)),
          timeoutMs,
        );
        available.push({ device, dtypes: fp16 ? ['fp32', 'fp16'] : ['fp32'] });
      } catch (error) {
        unavailable.push({
          device,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { available, unavailable };
  }
}

/** Says which devices and precisions a report makes available, for messages: `cpu (fp32), webgpu (fp32, fp16)`. */
export function describeAvailable(report: DeviceReport): string {
  return report.available
    .map(({ device, dtypes }) => `${device} (${dtypes.join(', ')})`)
    .join(', ');
}

import { Worker } from 'node:worker_threads';
import type { Backend, SessionOptions } from '../../backend/backend.js';
import type { HostAnswer, HostSettings, OrtLogLevel } from '../worker/protocol.js';
import type { PreparedOptions, SpawnedWorker } from '../worker/worker-backend.js';
import { WorkerBackend } from '../worker/worker-backend.js';
import { placeExternalData } from './external-data.js';
import { useSoftwareVulkanIfNoGpu } from './software-vulkan.js';

/** Devices `onnxruntime-node` runs on. */
export type NodeDevice = 'cpu' | 'webgpu' | 'cuda';

/** Settings of a Node backend. */
export interface NodeBackendOptions {
  /**
   * Let the CPU provider repack MatMul weights at load: ~10–25% faster CPU
   * MatMul for a second, native copy of every weight. Off by default, so
   * weights stay memory-mapped from their files.
   */
  readonly prepackWeights?: boolean;
  /**
   * On a machine with no GPU device, run WebGPU on Chromium's SwiftShader
   * Vulkan driver when it is installed (see `softwareVulkanDriver`). Default true.
   */
  readonly softwareWebGpu?: boolean;
  /**
   * ONNX Runtime's log level. Default `'fatal'`: every failure reaches the
   * caller as an error, and a CUDA probe on a machine without CUDA would
   * otherwise print a red error line each time. Process-wide; the first
   * backend to start sets it.
   */
  readonly logLevel?: OrtLogLevel;
}

/** A {@link Backend} on `onnxruntime-node` whose sessions live in one worker thread. */
export interface NodeBackend extends Backend {
  readonly device: NodeDevice;
  /** Ends the worker and with it every session; a later `init()` starts a new one. */
  dispose(): Promise<void>;
}

/**
 * A backend for `device` on `onnxruntime-node`. Its worker thread starts on
 * `init()` (or the first `createSession`) and does not keep the process alive
 * while no call is pending. External data files are memory-mapped by ONNX
 * Runtime, never read into JavaScript (see `placeExternalData`).
 *
 * @example
 * const cpu = createNodeBackend('cpu');
 * await cpu.init();
 * const session = await cpu.createSession(graph, { externalData, threads: 2 });
 */
export function createNodeBackend(
  device: NodeDevice,
  options: NodeBackendOptions = {},
): NodeBackend {
  return new OrtNodeBackend(device, options);
}

class OrtNodeBackend extends WorkerBackend<NodeDevice> implements NodeBackend {
  readonly #options: NodeBackendOptions;
  /** The Vulkan driver chosen for WebGPU, named when WebGPU fails. */
  #driver: string | undefined;

  constructor(device: NodeDevice, options: NodeBackendOptions) {
    super(device, 'onnxruntime-node');
    this.#options = options;
  }

  protected spawnWorker(): SpawnedWorker {
    if (this.device === 'webgpu' && this.#options.softwareWebGpu !== false) {
      this.#driver = useSoftwareVulkanIfNoGpu();
    }
    const worker = new Worker(new URL('./session-worker.js', import.meta.url));
    worker.unref();
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      terminate: () => worker.terminate(),
      hold: (busy) => (busy ? worker.ref() : worker.unref()),
      listen: (onAnswer, onStop) => {
        worker.on('message', (answer: HostAnswer) => onAnswer(answer));
        worker.on('error', onStop);
        worker.on('exit', (code) => onStop(new Error(`the worker exited with code ${code}`)));
      },
    };
  }

  protected settings(): HostSettings {
    return { device: this.device, logLevel: this.#options.logLevel ?? 'fatal' };
  }

  protected async prepare({
    externalData,
    threads,
    memoryArena,
  }: SessionOptions): Promise<PreparedOptions> {
    const placement = await placeExternalData(externalData);
    const session: Record<string, string> = {};
    if (!this.#options.prepackWeights) session['disable_prepacking'] = '1';
    if (placement.folder) {
      session['model_external_initializers_file_folder_path'] = placement.folder;
    }
    return {
      options: {
        executionProviders: [this.device],
        ...(threads !== undefined && { intraOpNumThreads: threads }),
        ...(memoryArena === false && { enableCpuMemArena: false }),
        ...(placement.inMemory.length && { externalData: placement.inMemory }),
        extra: { session },
      },
      cleanup: placement.cleanup,
    };
  }

  protected unavailable(message: string): string {
    switch (this.device) {
      case 'cuda':
        return (
          `CUDA could not start: ${message}. The CUDA execution provider needs NVIDIA's CUDA 12 and ` +
          'cuDNN 9 libraries and the onnxruntime-node CUDA binaries, which a default install skips: ' +
          'install with ONNXRUNTIME_NODE_INSTALL=cuda12 ' +
          '(e.g. `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`)'
        );
      case 'webgpu':
        return this.#driver
          ? `WebGPU could not start on the Vulkan driver ${this.#driver}: ${message}`
          : `WebGPU could not start: ${message}. Without a GPU, install Chromium's SwiftShader ` +
              'Vulkan driver (Debian: chromium and libvulkan1) or set VK_ICD_FILENAMES to a Vulkan ' +
              'driver manifest';
      case 'cpu':
        return `the CPU provider could not start: ${message}`;
    }
  }
}

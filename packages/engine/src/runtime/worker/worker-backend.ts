import type { Backend, BackendSession, Device, SessionOptions } from '../../backend/backend.js';
import { LmttError } from '../../errors.js';
import { PROBE_INPUT, PROBE_OUTPUT, probeModel } from './probe-model.js';
import type { HostAnswer, HostSessionOptions, HostSettings } from './protocol.js';
import { RemoteSession, workerFailure } from './remote-session.js';
import type { WorkerPort } from './worker-channel.js';
import { WorkerChannel } from './worker-channel.js';

/** A freshly started session worker. */
export interface SpawnedWorker extends WorkerPort {
  /** Wires the worker's answers, and its crash or exit, to the backend. */
  listen(onAnswer: (answer: HostAnswer) => void, onStop: (reason: Error) => void): void;
}

/** Session options ready for the worker, and what to undo once the session exists. */
export interface PreparedOptions {
  readonly options: HostSessionOptions;
  /** Buffers that move to the worker with the request. */
  readonly transfer?: ArrayBuffer[];
  cleanup?(): Promise<void>;
}

/**
 * A backend whose sessions all live in one worker: starts and checks the
 * worker on `init()`, forgets it when it dies (the next call starts a new
 * one), and ends it on `dispose()`. Platforms supply the worker and options.
 */
export abstract class WorkerBackend<D extends Device> implements Backend {
  readonly device: D;
  /** Names the backend in errors, e.g. `onnxruntime-node cpu`. */
  protected readonly label: string;
  #started: Promise<WorkerChannel> | undefined;

  protected constructor(device: D, runtime: string) {
    this.device = device;
    this.label = `${runtime} ${device}`;
  }

  /** Starts a worker that runs `session-worker.js`. */
  protected abstract spawnWorker(): SpawnedWorker;
  /** Process-wide settings the worker applies before its first session. */
  protected abstract settings(): HostSettings;
  /** ONNX Runtime options for a session on this device (the probe gets `{}`). */
  protected abstract prepare(options: SessionOptions): Promise<PreparedOptions>;
  /** Why the device could not start, with what to do about it. */
  protected abstract unavailable(message: string): string;

  async init(): Promise<void> {
    await this.#start();
  }

  async createSession(model: Uint8Array, options: SessionOptions = {}): Promise<BackendSession> {
    const channel = await this.#start();
    const prepared = await this.prepare(options);
    try {
      const bytes = model.slice();
      const created = await channel.call(
        { op: 'create', model: bytes, options: prepared.options },
        [bytes.buffer, ...(prepared.transfer ?? [])],
      );
      return new RemoteSession(channel, created, this.label);
    } catch (error) {
      throw workerFailure(`${this.label} could not create a session`, error);
    } finally {
      await prepared.cleanup?.();
    }
  }

  /** Ends the worker and with it every session; a later `init()` starts a new one. */
  async dispose(): Promise<void> {
    const started = this.#started;
    this.#started = undefined;
    const channel = await started?.catch(() => undefined);
    await channel?.close();
  }

  #start(): Promise<WorkerChannel> {
    if (!this.#started) {
      const started = this.#spawn();
      this.#started = started;
      started.catch(() => {
        if (this.#started === started) this.#started = undefined;
      });
    }
    return this.#started;
  }

  async #spawn(): Promise<WorkerChannel> {
    let worker: SpawnedWorker;
    try {
      worker = this.spawnWorker();
    } catch (error) {
      throw this.#unavailable(error);
    }
    const channel = new WorkerChannel(worker, this.label);
    worker.listen(
      (answer) => channel.receive(answer),
      (reason) => {
        channel.fail(reason);
        // A dead worker is forgotten, so that the next call starts a fresh one.
        void this.#started?.then(
          (live) => {
            if (live === channel) this.#started = undefined;
          },
          () => undefined,
        );
      },
    );
    try {
      const { options } = await this.prepare({ threads: 1 });
      const y = await channel.call({
        op: 'init',
        probe: probeModel(),
        probeInput: PROBE_INPUT,
        options,
        settings: this.settings(),
      });
      if (y !== PROBE_OUTPUT) {
        throw new Error(`the device computed ${PROBE_INPUT} + ${PROBE_INPUT} = ${y}`);
      }
      return channel;
    } catch (error) {
      await channel.close();
      throw this.#unavailable(error);
    }
  }

  #unavailable(error: unknown): LmttError {
    const message = (error instanceof Error ? error.message : String(error)).trim();
    return new LmttError('BACKEND_UNAVAILABLE', this.unavailable(message), { cause: error });
  }
}

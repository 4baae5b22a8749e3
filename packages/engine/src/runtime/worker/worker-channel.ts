import { LmttError } from '../../errors.js';
import type { HostAnswer, HostRequest, HostResults } from './protocol.js';

/** The part of a Node `worker_threads.Worker` or a DOM `Worker` a channel uses. */
export interface WorkerPort {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  terminate(): unknown;
  /** Called with `true` when calls start pending and `false` when none are left. */
  hold?(busy: boolean): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Request/answer calls to one session worker. The platform wires the worker's
 * events to {@link WorkerChannel.receive} and {@link WorkerChannel.fail}.
 */
export class WorkerChannel {
  readonly #port: WorkerPort;
  readonly #label: string;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stopped: LmttError | undefined;

  /** @param label names the worker in errors, e.g. `onnxruntime-node cpu`. */
  constructor(port: WorkerPort, label: string) {
    this.#port = port;
    this.#label = label;
  }

  /**
   * Sends one request; the buffers in `transfer` move to the worker.
   *
   * @throws Error carrying the worker's error name and message when the request failed there.
   * @throws LmttError `BACKEND_UNAVAILABLE` when the worker has stopped.
   */
  call<K extends HostRequest['op']>(
    request: Extract<HostRequest, { op: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<HostResults[K]> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise<HostResults[K]>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.#pending.size === 1) this.#port.hold?.(true);
      try {
        this.#port.postMessage({ id, request }, transfer);
      } catch (error) {
        this.#settle(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Delivers one answer from the worker. */
  receive(answer: HostAnswer): void {
    const pending = this.#settle(answer.id);
    if (!pending) return;
    if (answer.ok) {
      pending.resolve(answer.value);
    } else {
      const error = new Error(answer.error.message);
      error.name = answer.error.name;
      pending.reject(error);
    }
  }

  /** Marks the worker as gone: every pending and later call rejects with `reason`. */
  fail(reason: Error): void {
    if (this.#stopped) return;
    this.#stopped = new LmttError(
      'BACKEND_UNAVAILABLE',
      `${this.#label} worker stopped: ${reason.message}`,
      { cause: reason },
    );
    for (const pending of this.#pending.values()) pending.reject(this.#stopped);
    this.#pending.clear();
    this.#port.hold?.(false);
  }

  /** Rejects what is pending and ends the worker. */
  async close(): Promise<void> {
    this.fail(new Error('the backend was disposed'));
    await this.#port.terminate();
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#port.hold?.(false);
    return pending;
  }
}

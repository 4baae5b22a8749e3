import { ApiError } from '../errors/api-error.js';
import { Job } from './job.js';
import type { JobSubscription, JobWork } from './job.js';

/** Limits of a {@link JobScheduler}. */
export interface SchedulerOptions {
  /** Jobs that run at once (one per device by default). */
  readonly concurrency: number;
  /** Jobs that may wait; beyond it `submit` refuses with 429. */
  readonly maxQueue: number;
}

/** What the health endpoint reports about the queue. */
export interface SchedulerStats {
  readonly running: number;
  readonly queued: number;
  readonly concurrency: number;
  readonly maxQueue: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly rejected: number;
}

/**
 * Runs jobs a few at a time from a bounded FIFO queue. Submitting a key that
 * is already queued or running joins that job instead of starting another; a
 * job whose subscribers all leave is cancelled (dropped from the queue, or
 * aborted while running) and the next one starts.
 */
export class JobScheduler {
  readonly #jobs = new Map<string, Job<unknown>>();
  readonly #queue: Job<unknown>[] = [];
  #running = 0;
  #completed = 0;
  #cancelled = 0;
  #rejected = 0;
  /** Moving average of a job's run time, for `Retry-After`. */
  #averageMs = 2000;

  constructor(private readonly options: SchedulerOptions) {}

  /**
   * Subscribes to the job of `key`, starting `work` when no such job is in
   * flight.
   *
   * @throws ApiError 429 `QUEUE_FULL` with `Retry-After` when over capacity.
   */
  submit<E>(key: string, work: JobWork<E>): JobSubscription<E> {
    const existing = this.#jobs.get(key) as Job<E> | undefined;
    if (existing && !existing.controller.signal.aborted) return existing.subscribe();
    const { concurrency, maxQueue } = this.options;
    if (this.#running >= concurrency && this.#queue.length >= maxQueue) {
      this.#rejected++;
      const waitMs = ((this.#queue.length + this.#running) / concurrency) * this.#averageMs;
      throw new ApiError(429, 'QUEUE_FULL', 'the server is busy: try again shortly', {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      });
    }
    const job: Job<E> = new Job<E>(key, work, () => this.#cancel(job as Job<unknown>));
    const subscription = job.subscribe();
    this.#jobs.set(key, job as Job<unknown>);
    this.#queue.push(job as Job<unknown>);
    this.#pump();
    return subscription;
  }

  #cancel(job: Job<unknown>): void {
    this.#cancelled++;
    job.controller.abort(new Error('every client left'));
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#forget(job);
      job.finish();
    }
  }

  #forget(job: Job<unknown>): void {
    if (this.#jobs.get(job.key) === job) this.#jobs.delete(job.key);
  }

  #pump(): void {
    while (this.#running < this.options.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      job.state = 'running';
      void this.#run(job);
    }
  }

  async #run(job: Job<unknown>): Promise<void> {
    const started = Date.now();
    try {
      for await (const event of job.work(job.controller.signal)) job.push(event);
    } catch (error) {
      // Work is expected to turn its failures into events; this is the last resort.
      job.push({ type: 'error', code: 'INTERNAL', message: String(error) });
    } finally {
      this.#averageMs = 0.8 * this.#averageMs + 0.2 * (Date.now() - started);
      this.#running--;
      if (!job.controller.signal.aborted) this.#completed++;
      this.#forget(job);
      job.finish();
      this.#pump();
    }
  }

  stats(): SchedulerStats {
    return {
      running: this.#running,
      queued: this.#queue.length,
      concurrency: this.options.concurrency,
      maxQueue: this.options.maxQueue,
      completed: this.#completed,
      cancelled: this.#cancelled,
      rejected: this.#rejected,
    };
  }
}

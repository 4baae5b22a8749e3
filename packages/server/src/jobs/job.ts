/** Where a job is in its life. */
export type JobState = 'queued' | 'running' | 'finished';

/** Starts a job's work; it must stop soon after `signal` aborts. */
export type JobWork<E> = (signal: AbortSignal) => AsyncIterable<E>;

/** One subscriber's view of a job: every event from the first, then the live ones. */
export interface JobSubscription<E> extends AsyncIterable<E> {
  /** Stops listening; the job is cancelled when its last subscriber leaves before it ends. */
  close(): void;
}

/**
 * One unit of work shared by every subscriber with the same key. Its events
 * are kept so that a late subscriber sees them all, in order.
 */
export class Job<E> {
  readonly controller = new AbortController();
  readonly events: E[] = [];
  state: JobState = 'queued';
  #subscribers = 0;
  #wake = new Set<() => void>();

  constructor(
    readonly key: string,
    readonly work: JobWork<E>,
    private readonly onAbandoned: () => void,
  ) {}

  /** Subscribers listening now. */
  get subscribers(): number {
    return this.#subscribers;
  }

  /** Appends an event and wakes every subscriber. */
  push(event: E): void {
    this.events.push(event);
    this.#notify();
  }

  /** Marks the job finished and wakes every subscriber so they drain and end. */
  finish(): void {
    this.state = 'finished';
    this.#notify();
  }

  #notify(): void {
    const wake = [...this.#wake];
    this.#wake.clear();
    for (const resolve of wake) resolve();
  }

  /** A new subscription, replaying every event so far. */
  subscribe(): JobSubscription<E> {
    this.#subscribers++;
    let closed = false;
    let cursor = 0;
    let wakeMe: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      this.#subscribers--;
      if (wakeMe) this.#wake.delete(wakeMe);
      wakeMe?.();
      if (this.#subscribers === 0 && this.state !== 'finished') this.onAbandoned();
    };
    const iterate = async function* (job: Job<E>): AsyncGenerator<E> {
      try {
        while (!closed) {
          if (cursor < job.events.length) {
            yield job.events[cursor++]!;
            continue;
          }
          if (job.state === 'finished') return;
          await new Promise<void>((resolve) => {
            wakeMe = resolve;
            job.#wake.add(resolve);
          });
          wakeMe = undefined;
        }
      } finally {
        close();
      }
    };
    const events = iterate(this);
    return { close, [Symbol.asyncIterator]: () => events };
  }
}

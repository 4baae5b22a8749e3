import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error.js';
import { JobScheduler } from './scheduler.js';

/** Work that emits `start`, waits for `finish()` or its signal, then emits how it ended. */
function controllable() {
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  let aborted = false;
  const work = async function* (signal: AbortSignal) {
    started = true;
    yield 'start';
    await Promise.race([
      finished,
      new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
    ]);
    aborted = signal.aborted;
    yield aborted ? 'aborted' : 'end';
  };
  return {
    work,
    finish: () => finish(),
    get started() {
      return started;
    },
    get aborted() {
      return aborted;
    },
  };
}

async function drain<E>(iterable: AsyncIterable<E>): Promise<E[]> {
  const events: E[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('JobScheduler', () => {
  it('runs one job at a time and queues the rest in order', async () => {
    const scheduler = new JobScheduler({ concurrency: 1, maxQueue: 2 });
    const [a, b] = [controllable(), controllable()];
    const sa = scheduler.submit('a', a.work);
    const sb = scheduler.submit('b', b.work);
    await tick();
    expect([a.started, b.started]).toEqual([true, false]);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 1 });
    a.finish();
    expect(await drain(sa)).toEqual(['start', 'end']);
    await tick();
    expect(b.started).toBe(true);
    b.finish();
    expect(await drain(sb)).toEqual(['start', 'end']);
    expect(scheduler.stats()).toMatchObject({ running: 0, queued: 0, completed: 2 });
  });

  it('refuses beyond the queue with 429 and a Retry-After', () => {
    const scheduler = new JobScheduler({ concurrency: 1, maxQueue: 1 });
    scheduler.submit('a', controllable().work);
    scheduler.submit('b', controllable().work);
    let error: unknown;
    try {
      scheduler.submit('c', controllable().work);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'QUEUE_FULL' });
    expect(Number((error as ApiError).headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(scheduler.stats().rejected).toBe(1);
  });

  it('shares a job between subscribers of one key, replaying earlier events', async () => {
    const scheduler = new JobScheduler({ concurrency: 1, maxQueue: 0 });
    const job = controllable();
    const first = scheduler.submit('k', job.work);
    await tick();
    const second = scheduler.submit('k', controllable().work);
    job.finish();
    expect(await drain(first)).toEqual(['start', 'end']);
    expect(await drain(second)).toEqual(['start', 'end']);
  });

  it('cancels a running job when its last subscriber leaves, then starts the next', async () => {
    const scheduler = new JobScheduler({ concurrency: 1, maxQueue: 1 });
    const [a, b] = [controllable(), controllable()];
    const sa1 = scheduler.submit('a', a.work);
    const sa2 = scheduler.submit('a', a.work);
    const sb = scheduler.submit('b', b.work);
    await tick();
    sa1.close();
    await tick();
    expect(a.aborted).toBe(false);
    sa2.close();
    await tick();
    expect(a.aborted).toBe(true);
    expect(b.started).toBe(true);
    b.finish();
    expect(await drain(sb)).toEqual(['start', 'end']);
    expect(scheduler.stats()).toMatchObject({ cancelled: 1, running: 0 });
  });

  it('drops a queued job whose subscriber leaves without running it', async () => {
    const scheduler = new JobScheduler({ concurrency: 1, maxQueue: 1 });
    const [a, b] = [controllable(), controllable()];
    const sa = scheduler.submit('a', a.work);
    scheduler.submit('b', b.work).close();
    expect(scheduler.stats().queued).toBe(0);
    a.finish();
    await drain(sa);
    await tick();
    expect(b.started).toBe(false);
  });
});

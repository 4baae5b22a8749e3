import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@lmtt/engine/schema';
import { followTrace } from './follow-trace.js';

async function* stream(events: readonly unknown[]): AsyncGenerator<TraceEvent> {
  for (const event of events) yield event as TraceEvent;
}

describe('followTrace', () => {
  it('returns the done event’s trace, reporting progress of each event before it', async () => {
    const seen: string[] = [];
    const trace = { id: 't' };
    const result = await followTrace(
      stream([
        { type: 'progress', stage: 'forward', done: 1, total: 4 },
        { type: 'done', trace },
      ]),
      (progress, grew) => seen.push(`${progress.stage} ${grew}`),
    );
    expect(result).toBe(trace);
    expect(seen).toEqual(['forward false']);
  });

  it('throws an error event with its code, and a stream that stops early', async () => {
    await expect(
      followTrace(
        stream([{ type: 'error', code: 'PROMPT_TOO_LONG', message: 'too long' }]),
        () => {},
      ),
    ).rejects.toMatchObject({
      name: 'TraceStreamError',
      code: 'PROMPT_TOO_LONG',
      message: 'too long',
    });
    await expect(followTrace(stream([]), () => {})).rejects.toMatchObject({ code: 'ENDED_EARLY' });
  });
});

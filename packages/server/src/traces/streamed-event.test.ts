import { encodeEvent, encodeTrace } from '@lmtt/engine';
import { describe, expect, it } from 'vitest';
import {
  summaryOf,
  syntheticTrace,
} from '../../../engine/src/trace-file/test-support/synthetic-trace.js';
import { streamedDone } from './streamed-event.js';

describe('streamedDone', () => {
  it('writes what encodeEvent writes, from the trace file', () => {
    const full = syntheticTrace();
    for (const trace of [full, summaryOf(full)]) {
      const done = streamedDone(trace, encodeTrace(trace));
      expect(done.data).toBe(encodeEvent({ type: 'done', trace }));
    }
  });
});

import { encodeEvent } from '@lmtt/engine';
import type { Trace, TraceEvent } from '@lmtt/engine';

/**
 * A trace event with its SSE `data` line (`encodeEvent`'s JSON), encoded
 * once where the event was made: in the engine worker for the engine's
 * events, so that the main thread only writes them out.
 */
export interface StreamedEvent {
  readonly event: TraceEvent;
  readonly data: string;
}

/** Encodes a small event made on the main thread (errors). */
export function streamed(event: TraceEvent): StreamedEvent {
  return { event, data: encodeEvent(event) };
}

/**
 * The `done` event of a trace whose file is `text` (`encodeTrace(trace)`):
 * `encodeEvent` writes the trace exactly as the file does, so its JSON is
 * built around the file instead of encoding the trace again.
 */
export function streamedDone(trace: Trace, text: string): StreamedEvent {
  return { event: { type: 'done', trace }, data: `{"type":"done","trace":${text}}` };
}

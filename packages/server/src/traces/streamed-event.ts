import { encodeEvent } from '@lmtt/engine';
import type { Trace, TraceEvent } from '@lmtt/engine';
import type { TraceDoneEvent, TraceErrorEvent, TraceEventType } from '@lmtt/engine/schema';

/**
 * What the main thread reads of a trace event: its `type`, an error's code
 * and message, and `done`'s trace. The rest of an event (a layer's
 * contributions, the graph, ...) is only written out, so it travels in
 * `data` alone.
 */
export type EventHead =
  TraceErrorEvent | TraceDoneEvent | { readonly type: Exclude<TraceEventType, 'error' | 'done'> };

/**
 * A trace event with its SSE `data` line (`encodeEvent`'s JSON), encoded
 * once where the event was made: in the engine worker for the engine's
 * events, so that the main thread only writes them out.
 */
export interface StreamedEvent {
  readonly event: EventHead;
  readonly data: string;
}

/** The head of an event made in the engine worker: errors whole, others by type. */
export function headOf(
  event: Exclude<TraceEvent, TraceDoneEvent>,
): Exclude<EventHead, TraceDoneEvent> {
  return event.type === 'error' ? event : { type: event.type };
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

import type { TraceSource } from '@lmtt/engine/trace-query';
import type { Selection } from './selection.js';

/** Detail of `lmtt-select`: the element's whole new selection. */
export interface SelectDetail {
  readonly selection: Selection;
}

/** Detail of `lmtt-source`: the element's trace source, once loaded (undefined when cleared). */
export interface SourceDetail {
  readonly source: TraceSource | undefined;
}

/**
 * Fired by every lmtt element when its selection changes, from the user or
 * from the element it follows. Bubbles and crosses shadow roots.
 */
export type LmttSelectEvent = CustomEvent<SelectDetail>;
/** Fired by every lmtt element when its trace source changes. Bubbles and crosses shadow roots. */
export type LmttSourceEvent = CustomEvent<SourceDetail>;

/** A `lmtt-select` event. */
export function selectEvent(selection: Selection): LmttSelectEvent {
  return new CustomEvent('lmtt-select', { detail: { selection }, bubbles: true, composed: true });
}

/** A `lmtt-source` event. */
export function sourceEvent(source: TraceSource | undefined): LmttSourceEvent {
  return new CustomEvent('lmtt-source', { detail: { source }, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'lmtt-select': LmttSelectEvent;
    'lmtt-source': LmttSourceEvent;
  }
}

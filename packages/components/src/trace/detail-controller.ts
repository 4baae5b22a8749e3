import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Where a detail query stands. */
export type DetailState<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly error: Error };

/**
 * What a detail query asks: a key naming the question (the query reruns when
 * it changes) and the function that answers it; undefined when the element
 * has nothing to ask (e.g. no head selected).
 */
export interface DetailQuery<T> {
  readonly key: string;
  readonly run: (signal: AbortSignal) => Promise<T>;
}

/**
 * Runs an element's detail query (heads of an edge, a head's maps, ...)
 * whenever its question changes, aborting the previous one, and re-renders
 * the element as the answer arrives. Answers to stale questions are dropped.
 *
 * @example
 * private readonly heads = new DetailController(this, () =>
 *   this.edge === undefined ? undefined
 *     : { key: `${this.edge}`, run: (signal) => this.activeSource!.edgeHeads(this.edge!, signal) });
 */
export class DetailController<T> implements ReactiveController {
  state: DetailState<T> = { status: 'idle' };
  private key: string | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly query: () => DetailQuery<T> | undefined,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const next = this.query();
    if (next?.key === this.key) return;
    this.abort?.abort();
    this.key = next?.key;
    if (next === undefined) {
      this.state = { status: 'idle' };
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.state = { status: 'loading' };
    next.run(abort.signal).then(
      (value) => this.settle(abort, { status: 'ready', value }),
      (error: unknown) =>
        this.settle(abort, {
          status: 'error',
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.key = undefined;
    this.state = { status: 'idle' };
  }

  private settle(abort: AbortController, state: DetailState<T>): void {
    if (abort !== this.abort || abort.signal.aborted) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

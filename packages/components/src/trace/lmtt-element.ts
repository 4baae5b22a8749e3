import { LitElement } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import type { Trace } from '@lmtt/engine/schema';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { selectEvent, sourceEvent } from './events.js';
import { fetchTrace } from './fetch-trace.js';
import { renderEmpty, renderError, renderLoading } from './render-status.js';
import { initialSelection, sameSelection } from './selection.js';
import type { Selection } from './selection.js';

/** Where an element's trace stands. */
export type TraceStatus =
  | { readonly status: 'empty' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly source: TraceSource }
  | { readonly status: 'error'; readonly error: Error };

/** An element that is following another: the leader and how to stop. */
interface Following {
  readonly leader: LmttElement;
  readonly stop: () => void;
}

/** Frames to wait for a `for` target that is not in the document yet. */
const FOLLOW_RETRIES = 10;

/**
 * The base of every lmtt element: it takes a trace three ways (a `source`,
 * a `trace`, or a trace file at `src`), or follows the element named by
 * `for`, sharing its source and its selection; it fires `lmtt-source` and
 * `lmtt-select`. Subclasses render from {@link activeSource} and
 * {@link selection} and change the selection with {@link select}.
 *
 * Precedence when several are set: `source`, then `trace`, then `src`, then `for`.
 *
 * @fires lmtt-select - the selection changed; `detail: { selection: Selection }`
 * @fires lmtt-source - the trace source changed; `detail: { source: TraceSource | undefined }`
 */
export class LmttElement extends LitElement {
  static override properties = {
    src: { type: String, reflect: true },
    trace: { attribute: false },
    source: { attribute: false },
    for: { type: String, reflect: true },
    selection: { attribute: false },
    traceStatus: { state: true },
  };

  /** URL of a trace file (`lmtt trace --detail full --out FILE`): fully interactive with no server. */
  src?: string;
  /** A trace in memory. */
  trace?: Trace;
  /** A detail-query source: a server (`serverSource`) or an in-page engine. */
  source?: TraceSource;
  /** The id of an lmtt element to follow: its source and selection become this element's. */
  for?: string;
  /** What the user is looking at (see {@link Selection}). */
  selection?: Selection;
  /**
   * Where this element's trace stands.
   *
   * @ignore
   */
  protected traceStatus: TraceStatus = { status: 'empty' };

  private following: Following | undefined;
  private loading: AbortController | undefined;
  private emitted: Selection | undefined;
  private emittedSource: TraceSource | undefined;

  /** The source the element renders from, once ready. */
  get activeSource(): TraceSource | undefined {
    return this.traceStatus.status === 'ready' ? this.traceStatus.source : undefined;
  }

  /**
   * Changes the selection as a user action: an element that follows another
   * selects on the leader, so every element of the group follows.
   */
  select(selection: Selection): void {
    if (this.following) this.following.leader.select(selection);
    else this.selection = selection;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected: follow again, or restart a load that disconnecting aborted.
    if (this.for || this.traceStatus.status === 'loading') this.requestUpdate('for');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollow();
    this.loading?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const inputs = ['source', 'trace', 'src', 'for'] as const;
    if (inputs.some((name) => changed.has(name))) this.resolveSource();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const source = this.activeSource;
    if (source !== this.emittedSource) {
      this.emittedSource = source;
      this.dispatchEvent(sourceEvent(source));
    }
    if (this.selection && !sameSelection(this.selection, this.emitted)) {
      this.emitted = this.selection;
      this.dispatchEvent(selectEvent(this.selection));
    }
    super.updated(changed);
  }

  /**
   * What to show while there is no trace: loading, error or empty. Subclasses
   * call this first in `render()`.
   */
  protected renderTraceStatus(): TemplateResult | undefined {
    const state = this.traceStatus;
    if (state.status === 'loading') return renderLoading('Loading trace…');
    if (state.status === 'error') return renderError('The trace could not be loaded.', state.error);
    if (state.status === 'empty')
      return renderEmpty('No trace: set src, trace or source, or follow another element with for.');
    return undefined;
  }

  private resolveSource(): void {
    this.unfollow();
    this.loading?.abort();
    this.loading = undefined;
    if (this.source) this.ready(this.source);
    else if (this.trace) this.ready(staticSource(this.trace));
    else if (this.src) this.load(this.src);
    else if (this.for) this.follow(this.for, FOLLOW_RETRIES);
    else this.traceStatus = { status: 'empty' };
  }

  private ready(source: TraceSource): void {
    const previous = this.activeSource;
    this.traceStatus = { status: 'ready', source };
    const keep =
      this.selection !== undefined &&
      this.selection.pos < source.trace.tokens.length &&
      (previous === undefined || previous.trace.id === source.trace.id);
    if (!keep && !this.following) this.selection = initialSelection(source.trace);
  }

  private load(src: string): void {
    const abort = new AbortController();
    this.loading = abort;
    this.traceStatus = { status: 'loading' };
    fetchTrace(src, abort.signal).then(
      (source) => {
        if (!abort.signal.aborted) this.ready(source);
      },
      (error: unknown) => {
        if (!abort.signal.aborted) this.traceStatus = { status: 'error', error: error as Error };
      },
    );
  }

  private follow(id: string, retries: number): void {
    if (!this.isConnected) return;
    const root = this.getRootNode() as Document | ShadowRoot;
    const leader = root.getElementById(id);
    if (leader === null || (!(leader instanceof LmttElement) && retries > 0)) {
      if (retries > 0) {
        this.traceStatus = { status: 'loading' };
        requestAnimationFrame(() => {
          if (this.for === id && !this.following) this.follow(id, retries - 1);
        });
        return;
      }
    }
    if (!(leader instanceof LmttElement) || leader === this) {
      const what = leader === null ? `no element with id "${id}"` : `#${id} is not an lmtt element`;
      const error = Object.assign(new Error(`for="${id}": ${what} to follow`), { code: 'BAD_FOR' });
      this.traceStatus = { status: 'error', error };
      return;
    }
    const sync = () => {
      const source = leader.activeSource;
      if (source) {
        this.traceStatus = { status: 'ready', source };
        this.selection = leader.selection;
      } else {
        this.traceStatus = leader.traceStatus;
      }
    };
    const onSelect = () => {
      this.selection = leader.selection;
    };
    leader.addEventListener('lmtt-source', sync);
    leader.addEventListener('lmtt-select', onSelect);
    this.following = {
      leader,
      stop: () => {
        leader.removeEventListener('lmtt-source', sync);
        leader.removeEventListener('lmtt-select', onSelect);
      },
    };
    sync();
  }

  private unfollow(): void {
    this.following?.stop();
    this.following = undefined;
  }
}

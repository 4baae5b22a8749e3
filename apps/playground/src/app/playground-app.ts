import { html, LitElement, nothing } from 'lit';
import { serverSource } from '@lmtt/components';
import type { LmttExplorer, LmttSelectEvent } from '@lmtt/components';
import type { Trace } from '@lmtt/engine/schema';
import { decodeTrace, encodeTrace } from '@lmtt/engine/trace-file';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { BrowserEngine, EMBEDDED_MODEL_URL, hasWebGpu } from '../browser/browser-engine.js';
import { BROWSER_DEVICES } from '../browser/engine-protocol.js';
import type { LoadProgress, TraceJob } from '../browser/engine-protocol.js';
import { workerSource } from '../browser/worker-source.js';
import { describeLoad } from '../browser/describe-load.js';
import { NO_PROGRESS } from '../server/partial-trace.js';
import type { TraceProgress } from '../server/partial-trace.js';
import { streamTrace } from '../server/server-api.js';
import type { ModelListing } from '../server/server-api.js';
import { fetchServerInfo } from '../server/server-info.js';
import type { ServerInfo } from '../server/server-info.js';
import { readViewHash, writeViewHash } from '../state/url-state.js';
import { DEFAULT_VIEW, SAMPLE_PROMPTS } from '../state/view-state.js';
import type { RunMode, ViewState } from '../state/view-state.js';
import { download, svgToPng } from './downloads.js';
import { followTrace } from './follow-trace.js';
import { renderProgress } from './render-progress.js';
import { renderSidebar } from './render-sidebar.js';
import { renderToolbar } from './render-toolbar.js';

/** The embedded model as browser mode lists it, before the engine worker has loaded it. */
const EMBEDDED_MODEL: ModelListing = {
  name: 'lmtt-tiny-gpt2',
  source: 'embedded (static files)',
  loaded: false,
  available: true,
  family: 'gpt2',
  nLayers: 4,
  weightBytes: 13_600_000,
  device: null,
};

/** Where the current trace came from. */
type Origin = { kind: 'none' } | { kind: 'run' } | { kind: 'file'; name: string };

/**
 * The playground: the reference tool's workflow around `<lmtt-explorer>`,
 * tracing on an lmtt server (streamed, detail fetched on click) or in this
 * tab (the engine in a Web Worker on WebGPU or WASM). The URL's hash holds
 * the view, so a link restores it.
 */
export class LmttPlayground extends LitElement {
  static override properties = {
    view: { state: true },
    server: { state: true },
    progress: { state: true },
    source: { state: true },
    partial: { state: true },
    error: { state: true },
    busy: { state: true },
    notice: { state: true },
    browserModel: { state: true },
  };

  view: ViewState = DEFAULT_VIEW;
  server: ServerInfo | undefined;
  progress: TraceProgress = NO_PROGRESS;
  /** The finished trace's source. */
  source: TraceSource | undefined;
  /** The trace while it streams in. */
  partial: Trace | undefined;
  error: { where: string; message: string } | undefined;
  busy = false;
  notice = '';
  /** The model the engine worker holds, once a browser trace has loaded one. */
  browserModel: { name: string; device: string } | undefined;

  readonly #engine = new BrowserEngine();
  /** The latest browser trace and the job that made it, to trace it again in full for a file. */
  #browserJob: { job: TraceJob; traceId: string } | undefined;
  #run: AbortController | undefined;
  #origin: Origin = { kind: 'none' };

  /** Light DOM: the page's stylesheet styles the shell; the explorer themes itself. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.view = readViewHash(location.hash);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#run?.abort();
    this.#engine.dispose();
  }

  private async start(): Promise<void> {
    try {
      this.server = await fetchServerInfo();
    } catch {
      this.server = undefined;
      if (this.view.mode === 'server') this.view = { ...this.view, mode: 'browser' };
    }
    this.dataset['ready'] = 'true';
    if (this.view.prompt) this.run(this.view.prompt, this.view.selection);
  }

  private get modes(): readonly RunMode[] {
    return this.server ? ['server', 'browser'] : ['browser'];
  }

  private change(patch: Partial<ViewState>): void {
    const before = this.view;
    this.view = { ...before, ...patch };
    // A server device without the precision chosen so far: its fp32.
    const offered = this.server?.devices.find((d) => d.device === patch.device)?.dtypes;
    if (this.view.mode === 'server' && offered && !offered.includes(this.view.dtype))
      this.view = { ...this.view, dtype: 'fp32' };
    history.replaceState(null, '', `#${writeViewHash(this.view)}`);
    const retrace = (['mode', 'model', 'device', 'dtype', 'lensNormalize'] as const).some(
      (key) => key in patch && patch[key] !== before[key],
    );
    if (retrace && this.view.prompt) this.run(this.view.prompt);
  }

  private run(prompt: string, selection = undefined as ViewState['selection']): void {
    this.#run?.abort();
    const abort = new AbortController();
    this.#run = abort;
    this.view = { ...this.view, prompt, selection };
    history.replaceState(null, '', `#${writeViewHash(this.view)}`);
    this.error = undefined;
    this.notice = '';
    this.busy = true;
    this.source = undefined;
    this.partial = undefined;
    this.progress = {
      ...NO_PROGRESS,
      stage: this.view.mode === 'browser' ? 'loading model' : 'queued',
    };
    const work =
      this.view.mode === 'browser'
        ? this.runInBrowser(prompt, abort.signal)
        : this.runOnServer(prompt, abort.signal);
    work
      .then((source) => {
        if (abort.signal.aborted) return;
        this.#origin = { kind: 'run' };
        this.source = source;
        const { model } = source.trace;
        this.notice = `Traced ${model.id} on ${model.device} (${model.dtype}).`;
        if (this.view.mode === 'browser')
          this.browserModel = { name: model.id, device: model.device };
        this.partial = undefined;
        this.restoreSelection(selection);
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        const where = this.view.mode === 'browser' ? 'In-browser engine' : 'Server';
        const code = (error as { code?: unknown } | undefined)?.code;
        const message = error instanceof Error ? error.message : String(error);
        this.error = {
          where,
          message: typeof code === 'string' ? `${message} (${code})` : message,
        };
      })
      .finally(() => {
        if (this.#run === abort) this.busy = false;
      });
  }

  /** Progress of the running trace; the graph fills in as layers arrive. */
  private readonly onProgress = (progress: TraceProgress, grew: boolean) => {
    this.progress = progress;
    if (grew) this.partial = progress.trace;
  };

  private get traceSettings() {
    const { threshold, renormalize, lensNormalize } = this.view;
    return { threshold, renormalize, lensNormalize };
  }

  /**
   * The precision the view chose for the server: none while it names neither
   * a device nor a precision other than the default, so the server's own applies.
   */
  private get chosenDtype(): string | undefined {
    const { device, dtype } = this.view;
    return device || dtype !== DEFAULT_VIEW.dtype ? dtype : undefined;
  }

  private async runOnServer(prompt: string, signal: AbortSignal): Promise<TraceSource> {
    const request = {
      model: this.view.model || undefined,
      prompt,
      // Nothing chosen: the server's own device and precision.
      device: this.view.device || undefined,
      dtype: this.chosenDtype,
      settings: this.traceSettings,
    };
    return serverSource(await followTrace(streamTrace(request, signal), this.onProgress));
  }

  private async runInBrowser(prompt: string, signal: AbortSignal): Promise<TraceSource> {
    const custom = this.view.model && this.view.model !== EMBEDDED_MODEL.name;
    const job = {
      // The worker resolves nothing against the page: give it an absolute URL.
      model: custom ? this.view.model : new URL(EMBEDDED_MODEL_URL, document.baseURI).href,
      modelName: this.view.model || EMBEDDED_MODEL.name,
      device: this.view.device === 'wasm' || !hasWebGpu() ? ('wasm' as const) : ('webgpu' as const),
      dtype: this.view.dtype,
      prompt,
      settings: this.traceSettings,
      detail: 'summary' as const,
    };
    const onLoad = (load: LoadProgress) => {
      this.progress = { ...NO_PROGRESS, ...describeLoad(load) };
    };
    const events = this.#engine.trace(job, { signal, onLoad });
    const trace = await followTrace(events, this.onProgress);
    this.#browserJob = { job, traceId: trace.id };
    return workerSource(trace, this.#engine);
  }

  private restoreSelection(selection: ViewState['selection']): void {
    if (!selection) return;
    // After the explorer has taken the new source (which resets its selection).
    void this.updateComplete.then(async () => {
      const explorer = this.explorer;
      await explorer?.updateComplete;
      const T = this.source?.trace.tokens.length ?? 0;
      if (explorer && selection.pos < T) explorer.selection = selection;
    });
  }

  private get explorer(): LmttExplorer | null {
    return this.querySelector('lmtt-explorer');
  }

  private onSelect(event: LmttSelectEvent): void {
    if (this.partial) return;
    this.view = { ...this.view, selection: event.detail.selection };
    history.replaceState(null, '', `#${writeViewHash(this.view)}`);
  }

  private cancel(): void {
    this.#run?.abort();
    this.busy = false;
    this.progress = NO_PROGRESS;
    this.notice = 'Cancelled.';
  }

  private async exportTrace(): Promise<void> {
    const trace = this.source?.trace;
    if (!trace) return;
    const name = `lmtt-trace-${trace.id.slice(0, 12)}.json`;
    try {
      download(await this.fullTraceFile(trace), name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.error = { where: 'Export', message };
    }
  }

  /** A trace file with every table: the trace itself, traced again in full in this tab, or the server's. */
  private async fullTraceFile(trace: Trace): Promise<Blob> {
    const file = (full: Trace) => new Blob([encodeTrace(full)], { type: 'application/json' });
    if (trace.kind === 'full') return file(trace);
    const browser = this.#browserJob;
    if (browser?.traceId === trace.id) {
      const notice = this.notice;
      this.notice = 'Computing every table for the file…';
      const events = this.#engine.trace({ ...browser.job, detail: 'full' });
      const full = await followTrace(events, () => {}).finally(() => (this.notice = notice));
      return file(full);
    }
    const response = await fetch(`/api/traces/${trace.id}?detail=full`);
    if (!response.ok)
      throw new Error(`the server could not give the full trace (HTTP ${response.status})`);
    return response.blob();
  }

  private async exportImage(format: 'svg' | 'png'): Promise<void> {
    const text = this.explorer?.shadowRoot?.querySelector('lmtt-graph')?.toSvg();
    if (!text) return;
    const blob =
      format === 'svg' ? new Blob([text], { type: 'image/svg+xml' }) : await svgToPng(text);
    download(blob, `lmtt-graph.${format}`);
  }

  private async importTrace(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const trace = decodeTrace(await file.text());
      this.#run?.abort();
      this.busy = false;
      this.partial = undefined;
      this.source = staticSource(trace);
      this.#origin = { kind: 'file', name: file.name };
      this.error = undefined;
      this.view = { ...this.view, prompt: trace.prompt, selection: undefined };
      history.replaceState(null, '', `#${writeViewHash(this.view)}`);
    } catch (error) {
      this.error = {
        where: `Import of ${file.name}`,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private async copyLink(): Promise<void> {
    const url = `${location.origin}${location.pathname}#${writeViewHash(this.view)}`;
    try {
      await navigator.clipboard.writeText(url);
      this.notice = 'Link copied.';
    } catch {
      this.notice = url;
    }
  }

  /** The sidebar's device and precision choices in browser mode. */
  private browserDevices() {
    const { device, dtype } = this.view;
    const devices = BROWSER_DEVICES.filter((d) => d !== 'webgpu' || hasWebGpu());
    return { devices, device, dtypes: ['fp32', 'fp16'], dtype };
  }

  /** The sidebar's device and precision choices in server mode: what the server reports. */
  private serverDevices() {
    const server = this.server;
    const device = this.view.device || (server?.device ?? '');
    const dtypes = server?.devices.find((d) => d.device === device)?.dtypes ?? [];
    const dtype = this.chosenDtype ?? server?.dtype ?? 'fp32';
    return { devices: server?.devices.map((d) => d.device) ?? [], device, dtypes, dtype };
  }

  /** The embedded model in browser mode, loaded or not. */
  private embeddedListing(): ModelListing {
    const held = this.browserModel;
    return held?.name === EMBEDDED_MODEL.name
      ? { ...EMBEDDED_MODEL, loaded: true, device: held.device }
      : EMBEDDED_MODEL;
  }

  protected override render() {
    const server = this.server;
    const browser = this.view.mode === 'browser';
    const sidebar = renderSidebar(
      {
        view: this.view,
        modes: this.modes,
        models: browser ? [this.embeddedListing()] : (server?.models ?? []),
        customModels: browser || (server?.customModels ?? false),
        ...(browser ? this.browserDevices() : this.serverDevices()),
        prompts: server?.prompts ?? SAMPLE_PROMPTS,
        maxPromptChars: server?.maxPromptChars ?? 1000,
        busy: this.busy,
      },
      {
        change: (patch) => this.change(patch),
        run: (prompt) => this.run(prompt),
        cancel: () => this.cancel(),
      },
    );
    const shown = this.source ? undefined : this.partial;
    const viewing = this.#origin.kind === 'file' ? `Viewing ${this.#origin.name}. ` : '';
    const toolbar = renderToolbar(Boolean(this.source), `${viewing}${this.notice}`, {
      copyLink: () => void this.copyLink(),
      exportTrace: () => void this.exportTrace(),
      exportImage: (format) => void this.exportImage(format),
      importTrace: (event) => void this.importTrace(event),
    });
    return html`${sidebar}
      <main class="main">
        ${toolbar} ${this.busy ? renderProgress(this.progress) : nothing}
        ${
          this.error
            ? html`<div class="error" role="alert">
                <strong>${this.error.where}:</strong> ${this.error.message}
              </div>`
            : nothing
        }
        ${
          this.source || shown
            ? html`<lmtt-explorer
                .source=${this.source}
                .trace=${shown}
                .threshold=${this.view.threshold}
                .renormalize=${this.view.renormalize}
                @lmtt-select=${this.onSelect}
              ></lmtt-explorer>`
            : this.busy
              ? nothing
              : html`<p class="hint">
                  Choose a sample prompt or type one, then <strong>Trace</strong>.
                </p>`
        }
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-playground': LmttPlayground;
  }
}

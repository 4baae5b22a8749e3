import type {
  LayerContributions,
  TraceEvent,
  TraceModelInfo,
  TracePredictions,
  TraceSettings,
  TraceSummary,
  Trace,
  TokenView,
} from '@lmtt/engine/schema';
import { TRACE_SCHEMA_VERSION } from '@lmtt/engine/schema';

/** A trace as it streams in: what the events so far say. */
export interface TraceProgress {
  /**
   * A summary-shaped trace of the layers so far (no routes yet), the final
   * trace after `done`, or none before `tokens`.
   */
  readonly trace: Trace | undefined;
  /** Layers done of the model's. */
  readonly layers: number;
  readonly nLayers: number;
  /** The current stage's progress, 0..1. */
  readonly fraction: number;
  readonly stage: string;
}

/** The progress before the first event. */
export const NO_PROGRESS: TraceProgress = Object.freeze({
  trace: undefined,
  layers: 0,
  nLayers: 0,
  fraction: 0,
  stage: 'queued',
});

interface Parts {
  model: TraceModelInfo;
  settings: TraceSettings;
  prompt: string;
  tokens: readonly TokenView[];
  contributions: LayerContributions[];
  predictions?: TracePredictions;
  tokenTexts: Map<number, string>;
}

/**
 * Folds trace events into a growing partial trace, so the graph fills in
 * layer by layer while the server computes: each call returns the progress
 * after one more event.
 *
 * @example
 * const fold = traceFolder();
 * for await (const event of events) explorer.trace = fold(event).trace;
 */
export function traceFolder(): (event: TraceEvent) => TraceProgress {
  let parts: Parts | undefined;
  let progress = NO_PROGRESS;
  const snapshot = (stage: string, fraction: number): TraceProgress => {
    if (!parts) return { ...NO_PROGRESS, stage, fraction };
    const T = parts.tokens.length;
    const K = parts.settings.topK;
    const trace: TraceSummary = {
      version: TRACE_SCHEMA_VERSION,
      kind: 'summary',
      id: `streaming:${parts.prompt}`,
      createdAt: '',
      model: parts.model,
      prompt: parts.prompt,
      tokens: parts.tokens,
      tokenTexts: parts.tokenTexts,
      settings: parts.settings,
      predictions: parts.predictions ?? {
        ids: new Int32Array(T * K), // [T, K]
        probs: new Float32Array(T * K), // [T, K]
      },
      contributions: [...parts.contributions],
      routes: { offsets: new Int32Array(T + 1), edges: new Int32Array(0) },
    };
    return {
      trace,
      layers: parts.contributions.length,
      nLayers: parts.model.nLayers,
      fraction,
      stage,
    };
  };
  return (event) => {
    switch (event.type) {
      case 'tokens': {
        const tokenTexts = new Map(event.tokens.map((token) => [token.id, token.text]));
        parts = { ...event, contributions: [], tokenTexts };
        progress = snapshot('forward', 0);
        break;
      }
      case 'layer':
        parts?.contributions.push(event.contributions);
        progress = snapshot(
          'contributions',
          parts ? parts.contributions.length / parts.model.nLayers : 0,
        );
        break;
      case 'predictions':
        if (parts) {
          parts.predictions = event.predictions;
          for (const [id, text] of event.tokenTexts) parts.tokenTexts.set(id, text);
        }
        progress = snapshot('routes', 1);
        break;
      case 'progress':
        progress = {
          ...progress,
          stage: event.stage,
          fraction: event.total ? event.done / event.total : 0,
        };
        break;
      case 'done':
        progress = { ...progress, trace: event.trace, stage: 'done', fraction: 1 };
        break;
      default:
        break;
    }
    return progress;
  };
}

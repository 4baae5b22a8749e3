import * as v from 'valibot';
import type { LayerContributions } from '../schema/contributions.js';
import type { TraceEvent } from '../schema/events.js';
import type { TraceShapes } from '../schema/shapes.js';
import { checkLayerContributions, checkRoutes, checkTrace } from './check-trace.js';
import { checkArray, tokenId, unitInterval } from './check-values.js';
import { addValibotIssues, IssueList, TraceValidationError } from './issues.js';
import { TraceEventSchema } from './trace-schema.js';

/**
 * The shapes of a streamed layer's arrays, from the layer itself: T from
 * `attentionResidual`, H from `heads` (0 without them).
 */
export function streamedLayerShapes(
  layer: LayerContributions,
): Pick<TraceShapes, 'attention' | 'perPosition' | 'heads'> {
  const t = layer.attentionResidual.length;
  const h = layer.heads === undefined || t === 0 ? 0 : layer.heads.length / (t * t);
  return { attention: [t, t], perPosition: [t], heads: [t, t, h] };
}

/** Checks of an event beyond its structure, as far as the event alone allows. */
function checkEvent(event: TraceEvent, issues: IssueList): void {
  switch (event.type) {
    case 'tokens': {
      const { dVocab, nCtx } = event.model;
      if (event.tokens.length > nCtx) {
        issues.add('tokens', `expected at most nCtx (${nCtx}) tokens, got ${event.tokens.length}`);
      }
      event.tokens.forEach((token, t) => {
        if (token.id >= dVocab) {
          issues.add(`tokens[${t}].id`, `expected a token id in [0, ${dVocab}), got ${token.id}`);
        }
      });
      return;
    }
    case 'layer': {
      const { contributions } = event;
      if (contributions.layer !== event.layer) {
        issues.add('contributions.layer', `expected ${event.layer}, got ${contributions.layer}`);
      }
      const shapes = streamedLayerShapes(contributions);
      const [t, , h] = shapes.heads as [number, number, number];
      if (t === 0) {
        issues.add('contributions.attentionResidual', 'expected at least one position');
        return;
      }
      if (!Number.isInteger(h)) {
        const message = `expected a multiple of T * T = ${t * t} values, got ${contributions.heads?.length}`;
        issues.add('contributions.heads', message);
        return;
      }
      checkLayerContributions(contributions, shapes, 'contributions', issues);
      return;
    }
    case 'predictions': {
      const { ids, probs } = event.predictions;
      checkArray(ids, [ids.length], 'predictions.ids', issues, tokenId(event.tokenTexts));
      checkArray(probs, [ids.length], 'predictions.probs', issues, unitInterval);
      return;
    }
    case 'graph':
      checkArray(event.weights, [event.weights.length], 'weights', issues, unitInterval);
      return;
    case 'routes': {
      const nTokens = event.routes.offsets.length - 1;
      if (nTokens < 1) issues.add('routes.offsets', 'expected at least 2 offsets (T + 1, T >= 1)');
      else checkRoutes(event.routes, nTokens, undefined, 'routes', issues);
      return;
    }
    case 'progress':
      if (event.done > event.total) {
        issues.add('done', `expected at most total (${event.total}), got ${event.done}`);
      }
      return;
    case 'done':
      checkTrace(event.trace, issues.within('trace'));
      return;
    case 'error':
      return;
  }
}

/** The event `value` is, or `undefined` with the reasons in `issues`. */
export function parseEvent(value: unknown, issues: IssueList): TraceEvent | undefined {
  const result = v.safeParse(TraceEventSchema, value);
  if (!result.success) {
    addValibotIssues(issues, result.issues);
    return undefined;
  }
  const event: TraceEvent = result.output;
  const found = issues.items.length;
  checkEvent(event, issues);
  return issues.items.length === found ? event : undefined;
}

/**
 * Checks that `value` is a well-formed trace event in memory: structure,
 * then shapes and values as far as the event alone tells them (a `done`
 * event's trace is checked in full).
 *
 * @throws TraceValidationError (`BAD_TRACE`) listing each bad field by path.
 */
export function validateEvent(value: unknown): TraceEvent {
  const issues = new IssueList();
  const event = parseEvent(value, issues);
  if (event === undefined) throw new TraceValidationError(issues.items);
  return event;
}

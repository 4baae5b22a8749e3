import * as v from 'valibot';
import type { TraceEvent } from '../schema/events.js';
import { encodeFloat32, encodeInt32 } from './array-json.js';
import { TraceEventJsonSchema } from './file-schema.js';
import type { TraceEventJson } from './file-schema.js';
import { addValibotIssues, IssueList, TraceValidationError } from './issues.js';
import { JsonReader } from './read-json.js';
import { readTraceJson } from './trace-codec.js';
import { parseEvent, streamedLayerShapes, validateEvent } from './validate-event.js';
import { routesFromJson, routesToJson } from './routes-json.js';
import { layerToJson, tokenTextsToJson, traceToJson } from './write-json.js';

/** The JSON of a valid event, arrays encoded as in a trace file. */
function eventToJson(event: TraceEvent): TraceEventJson {
  switch (event.type) {
    case 'tokens':
      return { ...event, tokens: [...event.tokens] };
    case 'layer': {
      const { contributions } = event;
      const shapes = streamedLayerShapes(contributions);
      return { ...event, contributions: layerToJson(contributions, shapes, 'contributions') };
    }
    case 'predictions': {
      const { ids, probs } = event.predictions;
      let last = -1;
      for (const id of event.tokenTexts.keys()) last = Math.max(last, id);
      const nBytes = Math.ceil((last + 1) / 8);
      return {
        type: 'predictions',
        predictions: {
          ids: encodeInt32(ids, [ids.length], 'predictions.ids'),
          probs: encodeFloat32(probs, [probs.length], 'predictions.probs'),
        },
        tokenTexts: tokenTextsToJson(event.tokenTexts, nBytes),
      };
    }
    case 'graph':
      return {
        type: 'graph',
        weights: encodeFloat32(event.weights, [event.weights.length], 'weights'),
      };
    case 'routes':
      return { type: 'routes', routes: routesToJson(event.routes, 'routes') };
    case 'done':
      return { type: 'done', trace: traceToJson(event.trace) };
    default:
      return event;
  }
}

/**
 * An event as one line of JSON (no newlines), for an SSE `data:` field; the
 * event's `type` makes a good SSE `event:` name.
 *
 * @throws TraceValidationError (`BAD_TRACE`) when the event is not valid.
 * @example
 * await stream.writeSSE({ event: event.type, data: encodeEvent(event) });
 */
export function encodeEvent(event: TraceEvent): string {
  return JSON.stringify(eventToJson(validateEvent(event)));
}

/**
 * The event of one SSE `data:` line written by {@link encodeEvent}, validated.
 *
 * @throws TraceValidationError (`BAD_TRACE`) naming the path of every bad field.
 */
export function decodeEvent(line: string): TraceEvent {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    const message = `not JSON: ${error instanceof Error ? error.message : String(error)}`;
    throw new TraceValidationError([{ path: '(root)', message }], { cause: error });
  }
  const issues = new IssueList();
  const event = readEventJson(json, issues);
  if (event === undefined) throw new TraceValidationError(issues.items);
  return event;
}

function readEventJson(json: unknown, issues: IssueList): TraceEvent | undefined {
  const result = v.safeParse(TraceEventJsonSchema, json);
  if (!result.success) {
    addValibotIssues(issues, result.issues);
    return undefined;
  }
  const event = result.output;
  // A done event's trace is validated in full on the way.
  if (event.type === 'done') {
    const trace = readTraceJson(event.trace, issues.within('trace'));
    return trace && { type: 'done', trace };
  }
  const read = new JsonReader(issues);
  const found = issues.items.length;
  const decoded = readArrays(event, read);
  return issues.items.length === found ? parseEvent(decoded, issues) : undefined;
}

/** The event with its arrays decoded, shapes taken from the event itself. */
function readArrays(event: Exclude<TraceEventJson, { type: 'done' }>, read: JsonReader): unknown {
  switch (event.type) {
    case 'layer': {
      const json = event.contributions;
      const [t = 0] = read.vector(json.attentionResidual, 'contributions.attentionResidual');
      const heads = json.heads?.shape ?? [t, t, 0];
      if (heads.length !== 3) read.issues.add('contributions.heads', 'expected a shape [T, T, H]');
      const h = heads[2] ?? 0;
      const shapes = { attention: [t, t], perPosition: [t], heads: [t, t, h] };
      return { ...event, contributions: read.layer(json, shapes, 'contributions') };
    }
    case 'predictions': {
      const { ids, probs } = event.predictions;
      const presentShape = read.vector(event.tokenTexts.present, 'tokenTexts.present');
      return {
        type: 'predictions',
        predictions: {
          ids: read.ints(ids, read.vector(ids, 'predictions.ids'), 'predictions.ids'),
          probs: read.floats(probs, read.vector(probs, 'predictions.probs'), 'predictions.probs'),
        },
        tokenTexts: read.tokenTexts(event.tokenTexts, presentShape[0] ?? 0, 'tokenTexts'),
      };
    }
    case 'graph':
      return {
        type: 'graph',
        weights: read.floats(event.weights, read.vector(event.weights, 'weights'), 'weights'),
      };
    case 'routes':
      return {
        type: 'routes',
        routes: routesFromJson(event.routes, undefined, 'routes', read.issues),
      };
    default:
      return event;
  }
}

import * as v from 'valibot';
import type { Trace } from '../schema/trace.js';
import { TraceJsonSchema } from './file-schema.js';
import { addValibotIssues, IssueList, TraceValidationError } from './issues.js';
import { JsonReader } from './read-json.js';
import { checkVersion, parseTrace, validateTrace } from './validate.js';
import { traceToJson } from './write-json.js';

/**
 * A trace as the JSON text of a self-contained trace file
 * (docs/trace-schema.md): typed arrays in base64, float16 where the format
 * says so, token texts once each.
 *
 * @throws TraceValidationError (`BAD_TRACE`) when the trace is not valid, or
 * a float16 field holds a value beyond ±65504.
 * @example
 * await writeFile('trace.json', encodeTrace(trace));
 */
export function encodeTrace(trace: Trace): string {
  return JSON.stringify(traceToJson(validateTrace(trace)));
}

/**
 * The trace of a trace file's JSON text, validated: `decodeTrace(encodeTrace(t))`
 * equals `t` with float16 fields rounded to float16.
 *
 * @throws TraceValidationError (`BAD_TRACE`) naming the path of every bad field.
 * @example
 * const trace = decodeTrace(await (await fetch('trace.json')).text());
 */
export function decodeTrace(text: string): Trace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = `not JSON: ${error instanceof Error ? error.message : String(error)}`;
    throw new TraceValidationError([{ path: '(root)', message }], { cause: error });
  }
  const issues = new IssueList();
  const trace = readTraceJson(json, issues);
  if (trace === undefined) throw new TraceValidationError(issues.items);
  return trace;
}

/**
 * The validated trace of parsed trace-file JSON, or `undefined` with the
 * reasons in `issues`.
 */
export function readTraceJson(json: unknown, issues: IssueList): Trace | undefined {
  if (!checkVersion(json, issues)) return undefined;
  const result = v.safeParse(TraceJsonSchema, json);
  if (!result.success) {
    addValibotIssues(issues, result.issues);
    return undefined;
  }
  const found = issues.items.length;
  const trace = new JsonReader(issues).trace(result.output);
  return issues.items.length === found ? parseTrace(trace, issues) : undefined;
}

import * as v from 'valibot';
import type { Trace } from '../schema/trace.js';
import { TRACE_SCHEMA_VERSION } from '../schema/version.js';
import { checkTrace } from './check-trace.js';
import { addValibotIssues, IssueList, TraceValidationError } from './issues.js';
import { TraceSchema } from './trace-schema.js';

/**
 * Refuses a trace of another schema version up front, with one clear issue
 * rather than one per field that changed.
 *
 * @returns whether the version is this reader's (or absent, which the schema reports).
 */
export function checkVersion(value: unknown, issues: IssueList): boolean {
  if (typeof value !== 'object' || value === null || !('version' in value)) return true;
  const { version } = value;
  if (version === TRACE_SCHEMA_VERSION) return true;
  const message = `expected ${TRACE_SCHEMA_VERSION}, got ${JSON.stringify(version)}: this reader understands trace schema version ${TRACE_SCHEMA_VERSION} only`;
  issues.add('version', message);
  return false;
}

/**
 * Checks that `value` is a well-formed trace in memory: structure and types
 * (with valibot), then every shape against its model, tokens and settings,
 * and every value (no NaN, shares and probabilities in [0, 1], token ids in
 * the vocabulary with texts, ranked tables ranked, routes over real edges).
 *
 * @returns the trace, typed (unknown fields dropped).
 * @throws TraceValidationError (`BAD_TRACE`) listing each bad field by path.
 * @example
 * const trace = validateTrace(JSON.parse(...)); // throws: `contributions[3].attention: expected 1024 values ...`
 */
export function validateTrace(value: unknown): Trace {
  const issues = new IssueList();
  const trace = parseTrace(value, issues);
  if (trace === undefined) throw new TraceValidationError(issues.items);
  return trace;
}

/** The trace `value` is, or `undefined` with the reasons in `issues`. */
export function parseTrace(value: unknown, issues: IssueList): Trace | undefined {
  if (!checkVersion(value, issues)) return undefined;
  const result = v.safeParse(TraceSchema, value);
  if (!result.success) {
    addValibotIssues(issues, result.issues);
    return undefined;
  }
  const trace: Trace = result.output;
  const found = issues.items.length;
  checkTrace(trace, issues);
  return issues.items.length === found ? trace : undefined;
}

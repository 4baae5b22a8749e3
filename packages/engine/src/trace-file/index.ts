/**
 * The trace file format: traces and trace events to and from JSON text, and
 * their validation (docs/trace-schema.md). Imports only the schema, the
 * error type and valibot: no runtime.
 *
 * @packageDocumentation
 */

export { decodeTrace, encodeTrace } from './trace-codec.js';
export { decodeEvent, encodeEvent } from './event-codec.js';
export { validateTrace } from './validate.js';
export { validateEvent } from './validate-event.js';
export { TraceValidationError } from './issues.js';
export type { TraceIssue } from './issues.js';
export {
  FLOAT16_MAX,
  float16Bits,
  float16Value,
  fromFloat16,
  roundToFloat16,
  toFloat16,
} from './float16.js';
export type { ArrayDType, ArrayJson } from './array-json.js';
export { TRACE_FILE_FORMAT } from './file-schema.js';
export type { TraceEventJson, TraceJson } from './file-schema.js';

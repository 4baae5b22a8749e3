/** Version of the trace file format; bumped on any incompatible change. */
export const TRACE_SCHEMA_VERSION = 1;

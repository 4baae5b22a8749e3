/**
 * The trace schema: the types that every lmtt surface shares. This module
 * imports nothing, so a page that only shows a static trace pulls no runtime.
 *
 * @packageDocumentation
 */

export { TRACE_SCHEMA_VERSION } from './version.js';
export type { TokenView } from './token.js';

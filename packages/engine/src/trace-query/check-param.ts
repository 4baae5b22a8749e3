import { TraceQueryError } from './query-error.js';

/** Rejects a query argument with `BAD_PARAM`. */
export function badParam(message: string): never {
  throw new TraceQueryError('BAD_PARAM', message);
}

/**
 * `value`, checked to be an integer in `[0, below)`.
 *
 * @throws TraceQueryError `BAD_PARAM` naming the argument.
 */
export function checkIndex(name: string, value: number, below: number): number {
  if (!Number.isInteger(value) || value < 0) badParam(`${name} must be a non-negative integer`);
  if (value >= below) badParam(`${name} must be below ${below}, got ${value}`);
  return value;
}

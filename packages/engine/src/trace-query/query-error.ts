/** Codes of {@link TraceQueryError}. */
export type TraceQueryErrorCode =
  /** An index out of range or a malformed argument. */
  | 'BAD_PARAM'
  /** Heads were asked of an edge that is not an attention edge. */
  | 'NOT_ATTENTION_EDGE'
  /** The trace is a summary: the detail needs a full trace or a server. */
  | 'NO_DETAIL';

/**
 * A detail query that cannot be answered, with a stable `code`.
 *
 * @example
 * if (error instanceof TraceQueryError && error.code === 'NO_DETAIL') showHint();
 */
export class TraceQueryError extends Error {
  override readonly name = 'TraceQueryError';

  constructor(
    readonly code: TraceQueryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

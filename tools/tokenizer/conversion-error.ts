/** Stable codes of the errors a tokenizer conversion throws. */
export type ConversionErrorCode =
  /** An option or command-line argument is out of range or malformed. */
  | 'BAD_OPTION'
  /** The source files do not have the layout the conversion relies on. */
  | 'UNEXPECTED_SOURCE';

/**
 * An error of a tokenizer conversion, with a stable `code` and the underlying `cause`.
 *
 * @example
 * throw new ConversionError('BAD_OPTION', '--merges must be an integer from 0 to 50000');
 */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';

  constructor(
    readonly code: ConversionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

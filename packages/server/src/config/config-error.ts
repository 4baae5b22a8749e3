/** A config that cannot be used; `key` names the bad entry (`models.gpt2`, `port`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'BAD_CONFIG';

  constructor(
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`config: ${key}: ${message}`, options);
  }
}

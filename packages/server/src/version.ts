/** The server's version, reported by `lmtt` and the health endpoint. */
export const VERSION = '0.1.0';

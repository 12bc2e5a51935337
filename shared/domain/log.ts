/**
 * The logging the domain needs. Powertools Logger satisfies it in Lambda; the CLI passes a quiet one.
 * Callers log ids and counts, never addresses or bodies.
 */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export const silentLog: Log = { info() {}, warn() {}, error() {} };

import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../domain/log.js';

/** Structured JSON logs through Powertools Logger (service `duban`, level from POWERTOOLS_LOG_LEVEL). */
export function powertoolsLog(logger = new Logger({ serviceName: 'duban' })): Log {
  const at = (level: 'info' | 'warn' | 'error') => (message: string, attributes?: Record<string, unknown>) => {
    if (attributes) logger[level](message, attributes);
    else logger[level](message);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

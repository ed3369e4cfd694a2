import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout; `LOG_LEVEL` (debug, info, warn, error) picks the level. `component` says
 * who logs; `name` is left to the object a line is about, as in the controller's logs.
 */
export function makeLogger(): Logger {
  return pino({ base: { component: 'kafka-trigger' }, level: process.env.LOG_LEVEL ?? 'info' });
}

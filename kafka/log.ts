import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; `LOG_LEVEL` (debug, info, warn, error) picks the level. */
export function makeLogger(): Logger {
  return pino({ name: 'kubeless-kafka-trigger', level: process.env.LOG_LEVEL ?? 'info' });
}

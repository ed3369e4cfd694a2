import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout; `LOG_LEVEL` (debug, info, warn, error) picks the level. The component goes
 * under `component`, since `name` is the Function's name in every per-object line.
 */
export function makeLogger(): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { component: 'kubeless-controller', pid: process.pid },
  });
}

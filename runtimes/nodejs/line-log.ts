// The supervisor logs a handful of lines in its life; pino would cost it more memory than it saves.
import { writeSync } from 'node:fs';

type Level = 'info' | 'warn' | 'error';

export interface LineLogger {
  info(fields: Record<string, unknown> | string, msg?: string): void;
  warn(fields: Record<string, unknown> | string, msg?: string): void;
  error(fields: Record<string, unknown> | string, msg?: string): void;
}

/** The same JSON line shape as the pino logger of the serving process. */
export function createLineLogger(bindings: Record<string, string>): LineLogger {
  const write = (level: Level, fields: Record<string, unknown> | string, msg?: string): void => {
    const extra = typeof fields === 'string' ? {} : fields;
    const text = typeof fields === 'string' ? fields : (msg ?? '');
    const line = JSON.stringify({ level, time: new Date().toISOString(), ...bindings, ...extra, msg: text });
    try {
      writeSync(2, line + '\n');
    } catch {
      // stderr closed: nothing else to tell it to
    }
  };
  return {
    info: (f, m) => write('info', f, m),
    warn: (f, m) => write('warn', f, m),
    error: (f, m) => write('error', f, m),
  };
}

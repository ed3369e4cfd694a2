import { pino, type Logger } from 'pino';

/** JSON lines on stderr (stdout stays the function's own output); `level` as a word. */
export function createLogger(bindings: Record<string, string>): Logger {
  return pino(
    {
      base: bindings,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

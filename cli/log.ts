// Diagnostics only (the CLI's real output is for humans on stdout). Silent unless asked for with
// KUBELESS_LOG_LEVEL=debug, and always on stderr so that `-o json` output stays parseable. pino is
// loaded only when asked for: every command would otherwise pay for loading it.

export interface CliLogger {
  debug(fields: object, msg: string): void;
  child(bindings: object): CliLogger;
}

const silent: CliLogger = {
  debug: () => undefined,
  child: () => silent,
};

interface PinoLike {
  debug(fields: object, msg: string): void;
  child(bindings: object): PinoLike;
}

function wrap(l: PinoLike): CliLogger {
  return { debug: (fields, msg) => l.debug(fields, msg), child: (bindings) => wrap(l.child(bindings)) };
}

async function pinoLogger(level: string): Promise<CliLogger> {
  const { pino } = await import('pino');
  return wrap(pino({ name: 'kubeless-cli', level }, pino.destination({ fd: 2, sync: true })));
}

const level = process.env.KUBELESS_LOG_LEVEL;
export const logger: CliLogger = level && level !== 'silent' ? await pinoLogger(level) : silent;

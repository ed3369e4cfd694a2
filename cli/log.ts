import { pino } from 'pino';

// Diagnostics only (the CLI's real output is for humans on stdout). Silent unless asked for with
// KUBELESS_LOG_LEVEL=debug, and always on stderr so that `-o json` output stays parseable.
export const logger = pino(
  { name: 'kubeless-cli', level: process.env.KUBELESS_LOG_LEVEL ?? 'silent' },
  pino.destination({ fd: 2, sync: true }),
);

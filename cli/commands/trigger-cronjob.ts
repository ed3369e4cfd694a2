import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { registerTriggerKind } from './trigger-http-crud.js';
import { cronSpecFromFlags, cronTriggerObject, type CronJobTriggerFlags } from './trigger-cronjob-spec.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `kubeless trigger cronjob create|update|delete|list`. */
export function register(program: Command): void {
  registerTriggerKind<OriginalFlags>(program, {
    word: 'cronjob',
    kind: 'CronJobTrigger',
    plural: 'cronjobtriggers',
    describe: 'cron triggers: call a function on a schedule',
    flags: (cmd) =>
      cmd
        .option('--function-name <name>', 'the Function to call')
        .addOption(new Option('--function <name>', 'same as --function-name (the original CLI)').hideHelp())
        .option('--schedule <cron>', 'five-field cron schedule, a macro such as @hourly, or "@every 1s"')
        .option('-p, --payload <data>', 'body of each call (JSON when it parses as JSON, else text)')
        .option('-f, --payload-from-file <file>', 'read the body of each call from a JSON file')
        .option('--time-zone <tz>', 'IANA time zone of the schedule, e.g. Europe/Berlin'),
    object: (name, ns, f) => cronTriggerObject(name, ns, normalise(f)),
    spec: (f) => cronSpecFromFlags(normalise(f)),
    columns: ['FUNCTION', 'SCHEDULE', 'TIME-ZONE'],
    row: (s) => [str(s['function-name']), str(s.schedule), str(s.timeZone) || 'UTC'],
  });
}

interface OriginalFlags extends CronJobTriggerFlags {
  function?: string;
  payloadFromFile?: string;
}

/** The original's `--function` and `--payload-from-file` onto the flags the spec builder reads. */
function normalise(f: OriginalFlags): CronJobTriggerFlags {
  const { function: fn, payloadFromFile, ...rest } = f;
  if (fn !== undefined && rest.functionName !== undefined && fn !== rest.functionName) {
    throw new Error('give the function once: --function and --function-name name different functions');
  }
  if (payloadFromFile !== undefined && rest.payload !== undefined) {
    throw new Error('give either --payload or --payload-from-file, not both');
  }
  let payload = rest.payload;
  if (payloadFromFile !== undefined) {
    try {
      payload = readFileSync(payloadFromFile, 'utf8');
    } catch (err) {
      throw new Error(
        `cannot read --payload-from-file "${payloadFromFile}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    try {
      JSON.parse(payload);
    } catch {
      throw new Error(
        `--payload-from-file "${payloadFromFile}" must hold JSON, as the original CLI required`,
      );
    }
  }
  return {
    ...rest,
    ...(fn !== undefined ? { functionName: fn } : {}),
    ...(payload !== undefined ? { payload } : {}),
  };
}

import type { Command } from 'commander';
import { registerTriggerKind } from './trigger-http-crud.js';
import { cronSpecFromFlags, cronTriggerObject, type CronJobTriggerFlags } from './trigger-cronjob-spec.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `kubeless trigger cronjob create|update|delete|list`. */
export function register(program: Command): void {
  registerTriggerKind<CronJobTriggerFlags>(program, {
    word: 'cronjob',
    kind: 'CronJobTrigger',
    plural: 'cronjobtriggers',
    describe: 'cron triggers: call a function on a schedule',
    flags: (cmd) =>
      cmd
        .option('--function-name <name>', 'the Function to call')
        .option('--schedule <cron>', 'five-field cron schedule, a macro such as @hourly, or "@every 1s"')
        .option('--payload <data>', 'body of each call (JSON when it parses as JSON, else text)')
        .option('--time-zone <tz>', 'IANA time zone of the schedule, e.g. Europe/Berlin'),
    object: cronTriggerObject,
    spec: cronSpecFromFlags,
    columns: ['FUNCTION', 'SCHEDULE', 'TIME-ZONE'],
    row: (s) => [str(s['function-name']), str(s.schedule), str(s.timeZone) || 'UTC'],
  });
}

import { CronExpressionParser } from 'cron-parser';
import { everySeconds } from '../../lib/function/schedule.js';
import { API_VERSION, type CronJobTrigger, type CronJobTriggerSpec } from '../../lib/types.js';

export interface CronJobTriggerFlags {
  functionName?: string;
  schedule?: string;
  payload?: string;
  timeZone?: string;
}

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Catches a typo before the apiserver does, with the format in the message. */
export function checkSchedule(schedule: string): void {
  if (MACROS.includes(schedule) || everySeconds(schedule) !== undefined) return;
  const fields = schedule.trim().split(/\s+/);
  let ok = fields.length === 5;
  if (ok) {
    try {
      CronExpressionParser.parse(schedule);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new Error(
      `--schedule ${JSON.stringify(schedule)} is not a cron schedule: use five fields (minute hour day-of-month month day-of-week), e.g. "*/5 * * * *", a macro such as @hourly, or "@every 1s"`,
    );
  }
}

/** `--payload` is JSON when it parses as JSON, else text (as the original's --payload did). */
export function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function cronSpecFromFlags(flags: CronJobTriggerFlags): Partial<CronJobTriggerSpec> {
  const spec: Partial<CronJobTriggerSpec> = {};
  if (flags.functionName !== undefined) spec['function-name'] = flags.functionName;
  if (flags.schedule !== undefined) {
    checkSchedule(flags.schedule);
    spec.schedule = flags.schedule;
  }
  if (flags.payload !== undefined) spec.payload = parsePayload(flags.payload);
  if (flags.timeZone !== undefined) spec.timeZone = flags.timeZone;
  return spec;
}

export function cronTriggerObject(
  name: string,
  namespace: string,
  flags: CronJobTriggerFlags,
): CronJobTrigger {
  const spec = cronSpecFromFlags(flags);
  const fn = spec['function-name'];
  if (!fn) throw new Error('--function-name is required: name the Function to call');
  if (!spec.schedule) throw new Error('--schedule is required, e.g. --schedule "*/5 * * * *"');
  return {
    apiVersion: API_VERSION,
    kind: 'CronJobTrigger',
    metadata: { name, namespace },
    spec: { ...spec, 'function-name': fn, schedule: spec.schedule },
  };
}

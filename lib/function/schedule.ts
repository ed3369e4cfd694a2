// CronJobTrigger schedules as data: five cron fields, a macro, or `@every <duration>`, and when
// such a schedule fires next. Pure; shared by validation (webhook, local platform, CLI) and the
// local platform's scheduler.
//
// Why `@every`: a Kubernetes CronJob parses its schedule with robfig/cron's ParseStandard, which
// accepts five fields and the descriptors `@hourly`... and `@every <Go duration>`, but no seconds
// field. `@every 1s` is therefore the one sub-minute form that means the same thing on a cluster
// and on the local platform, so it is the form we accept instead of a six-field expression.
import { CronExpressionParser } from 'cron-parser';
import { durationMs } from '../format/duration.js';

const EVERY = '@every ';

/** robfig/cron's descriptors as five fields (cron-parser lacks @midnight). */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * The interval of an `@every <duration>` schedule in whole seconds, rounded down with a floor of
 * one second as robfig/cron does (so a CronJob and the local platform agree); undefined when the
 * schedule is not of that form or the duration does not parse.
 */
export function everySeconds(schedule: string): number | undefined {
  const s = schedule.trim();
  if (!s.startsWith(EVERY)) return undefined;
  // Go's duration syntax (no days): robfig/cron reads it with time.ParseDuration.
  const ms = durationMs(s.slice(EVERY.length).trim());
  if (ms === undefined || ms <= 0) return undefined;
  return Math.max(1, Math.floor(ms / 1000));
}

export function isEverySchedule(schedule: string): boolean {
  return schedule.trim().startsWith('@every');
}

export type Schedule =
  { kind: 'every'; seconds: number } | { kind: 'cron'; expression: string; timeZone?: string };

/**
 * A schedule the validation accepted, ready for `nextRun`. Throws with the reason and a fix
 * when it is not one (the scheduler never sees such a trigger unless the store was edited by hand).
 */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  const seconds = everySeconds(schedule);
  if (seconds !== undefined) return { kind: 'every', seconds };
  if (isEverySchedule(schedule)) {
    throw new Error(
      `schedule ${JSON.stringify(schedule)} has no valid duration; write e.g. "@every 1s", "@every 5m" or "@every 1h30m"`,
    );
  }
  const expression = MACROS[schedule.trim()] ?? schedule.trim();
  // Throws on a bad expression; the caller reports it as the trigger's status.
  CronExpressionParser.parse(expression, timeZone ? { tz: timeZone } : {});
  return { kind: 'cron', expression, ...(timeZone ? { timeZone } : {}) };
}

/**
 * The first firing strictly after `after`. `@every` runs are aligned to whole seconds like
 * robfig/cron's ConstantDelaySchedule; cron expressions are read in their time zone (UTC when
 * none is given, as on a cluster whose controller manager runs in UTC).
 */
export function nextRun(s: Schedule, after: Date): Date {
  if (s.kind === 'every') {
    const whole = Math.floor(after.getTime() / 1000) * 1000;
    return new Date(whole + s.seconds * 1000);
  }
  const it = CronExpressionParser.parse(s.expression, {
    currentDate: after,
    tz: s.timeZone ?? 'UTC',
  });
  return it.next().toDate();
}

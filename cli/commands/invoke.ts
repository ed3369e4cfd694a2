import type { Command } from 'commander';
import { DEFAULT_TIMEOUT } from '../../lib/function/defaults.js';
import { CRON_EVENT_NAMESPACE } from '../../lib/function/triggers.js';
import { CliError } from '../errors.js';
import { out } from './options.js';
import { invokePlan, type InvokeFlags } from './invoke-plan.js';

async function invoke(flags: InvokeFlags): Promise<void> {
  let plan: ReturnType<typeof invokePlan>;
  try {
    plan = invokePlan(flags, process.env);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  let res: Response;
  try {
    res = await fetch(plan.url, {
      method: 'POST',
      headers: plan.headers,
      body: plan.body,
      signal: AbortSignal.timeout(plan.timeoutMs),
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CliError(
      `POST ${plan.url.href} failed: ${why}; check the function's Service exists and is ready`,
    );
  }
  const text = await res.text();
  out(text);
  if (!res.ok) throw new CliError(`POST ${plan.url.href} answered HTTP ${res.status}`);
}

/** `kubeless invoke`: what a CronJobTrigger's pod runs to call a function's Service directly. */
export function register(program: Command): void {
  program
    .command('invoke')
    .description("POST a payload with Kubeless event headers to a function's URL (used by CronJobTriggers)")
    .requiredOption('--url <url>', 'function URL, e.g. http://hello.default.svc:8080')
    .option('-d, --data <body>', 'request body')
    .option('--data-from-env <name>', 'read the request body from this environment variable')
    .option('--content-type <type>', 'content type of the body', 'text/plain')
    .option('--event-type <type>', 'event-type header', 'cronjob')
    .option('--event-namespace <ns>', 'event-namespace header (the event source)', CRON_EVENT_NAMESPACE)
    .option(
      '--timeout <duration>',
      'give up after this long, e.g. 30s; a bare number is seconds',
      DEFAULT_TIMEOUT,
    )
    .action(invoke);
}

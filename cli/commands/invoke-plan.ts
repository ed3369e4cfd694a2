import { randomUUID } from 'node:crypto';
import { kubelessEventHeaders } from '../../lib/function/event-headers.js';
import { parseDuration } from '../../lib/server/flags.js';

export interface InvokeFlags {
  url: string;
  data?: string;
  dataFromEnv?: string;
  contentType: string;
  eventType: string;
  eventNamespace: string;
  timeout: string;
}

export interface InvokePlan {
  url: URL;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * Turns flags (and the environment, for --data-from-env) into one POST with the Kubeless event
 * headers. Pure so the CronJob's contract is testable; the payload never passes through a shell.
 */
export function invokePlan(
  flags: InvokeFlags,
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
  newId: () => string = randomUUID,
): InvokePlan {
  let url: URL;
  try {
    url = new URL(flags.url);
  } catch {
    throw new Error(
      `--url ${JSON.stringify(flags.url)} is not a URL; give e.g. http://hello.default.svc:8080`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--url must be http or https, not ${url.protocol}`);
  }
  if (flags.data !== undefined && flags.dataFromEnv !== undefined) {
    throw new Error('give either --data or --data-from-env, not both');
  }
  let body = flags.data ?? '';
  if (flags.dataFromEnv !== undefined) {
    const value = env[flags.dataFromEnv];
    if (value === undefined) {
      throw new Error(
        `--data-from-env ${flags.dataFromEnv}: that variable is not set; set it or drop the flag`,
      );
    }
    body = value;
  }
  const timeoutMs = parseDuration(flags.timeout, '--timeout', { bare: 's', minMs: 1 });
  return {
    url,
    body,
    timeoutMs,
    headers: {
      'content-type': flags.contentType,
      ...kubelessEventHeaders({
        id: newId(),
        type: flags.eventType,
        time: now,
        namespace: flags.eventNamespace,
      }),
    },
  };
}

import type { V1CronJob } from '@kubernetes/client-node';
import { FUNCTION_PORT, type ControllerConfig } from '../config.js';
import type { CronJobTrigger, KubelessFunction } from '../../lib/types.js';
import { triggerName, triggerNamespace, triggerOwnedMeta } from './meta.js';

export const PAYLOAD_ENV = 'KUBELESS_PAYLOAD';
export const DEFAULT_TIMEOUT_SECONDS = 180;

/** The Function's timeout in whole seconds (stored as a quoted number, as the original did). */
export function timeoutSeconds(fn: KubelessFunction | undefined): number {
  const parsed = Number(fn?.spec.timeout);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_TIMEOUT_SECONDS;
}

/** A string payload is sent as-is (text); anything else as JSON; unset means an empty body. */
export function encodePayload(payload: unknown): { data: string; contentType: string } {
  if (payload === undefined || payload === null) return { data: '', contentType: 'text/plain' };
  if (typeof payload === 'string') return { data: payload, contentType: 'text/plain' };
  return { data: JSON.stringify(payload), contentType: 'application/json' };
}

export function functionUrl(fnName: string, namespace: string): string {
  return `http://${fnName}.${namespace}.svc:${FUNCTION_PORT}`;
}

/**
 * A CronJob whose pod runs `kubeless invoke` from our image. The payload travels in an env var
 * and the command is an argv list, so nothing the user wrote is ever parsed by a shell.
 */
export function desiredCronJob(
  t: CronJobTrigger,
  fn: KubelessFunction | undefined,
  config: ControllerConfig,
): V1CronJob {
  const ns = triggerNamespace(t);
  const fnName = t.spec['function-name'];
  const meta = triggerOwnedMeta(t);
  const { data, contentType } = encodePayload(t.spec.payload);
  const timeout = timeoutSeconds(fn);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta,
    spec: {
      schedule: t.spec.schedule,
      ...(t.spec.timeZone ? { timeZone: t.spec.timeZone } : {}),
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: meta.labels },
        spec: {
          activeDeadlineSeconds: timeout,
          backoffLimit: 0,
          template: {
            metadata: { labels: meta.labels },
            spec: {
              restartPolicy: 'Never',
              securityContext: { runAsNonRoot: true, runAsUser: config.runAsUser },
              containers: [
                {
                  name: 'trigger',
                  image: config.image,
                  imagePullPolicy: config.imagePullPolicy,
                  command: config.kubelessCommand,
                  args: [
                    'invoke',
                    '--url',
                    functionUrl(fnName, ns),
                    '--data-from-env',
                    PAYLOAD_ENV,
                    '--content-type',
                    contentType,
                    '--event-type',
                    'cronjob',
                    '--event-namespace',
                    `cronjobtrigger.kubeless.io/${ns}/${triggerName(t)}`,
                    '--timeout',
                    String(timeout),
                  ],
                  env: [{ name: PAYLOAD_ENV, value: data }],
                  securityContext: { allowPrivilegeEscalation: false },
                },
              ],
            },
          },
        },
      },
    },
  };
}

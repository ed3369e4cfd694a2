import type { V1CronJob } from '@kubernetes/client-node';
import type { ControllerConfig } from '../config.js';
import type { CronJobTrigger } from '../../lib/types.js';
import { CRON_EVENT_NAMESPACE } from '../../lib/function/triggers.js';
import { timeoutSecondsOf } from '../../lib/function/timeout.js';
import { containerSecurity, podSecurityContext } from '../../lib/policy/function-pod.js';
import { LABEL_TRIGGER, triggerName, triggerNamespace, triggerOwnedMeta } from './meta.js';
import { functionPort, type TriggerTarget } from './target.js';

export const PAYLOAD_ENV = 'KUBELESS_PAYLOAD';

/** A string payload is sent as-is (text); anything else as JSON; unset means an empty body. */
export function encodePayload(payload: unknown): { data: string; contentType: string } {
  if (payload === undefined || payload === null) return { data: '', contentType: 'text/plain' };
  if (typeof payload === 'string') return { data: payload, contentType: 'text/plain' };
  return { data: JSON.stringify(payload), contentType: 'application/json' };
}

export function functionUrl(fnName: string, namespace: string, port: number): string {
  return `http://${fnName}.${namespace}.svc:${port}`;
}

/**
 * A CronJob whose pod runs `kubeless invoke` from our image. The payload travels in an env var
 * and the command is an argv list, so nothing the user wrote is ever parsed by a shell.
 */
export function desiredCronJob(
  t: CronJobTrigger,
  fn: TriggerTarget | undefined,
  config: ControllerConfig,
): V1CronJob {
  const ns = triggerNamespace(t);
  const fnName = t.spec['function-name'];
  const meta = triggerOwnedMeta(t);
  const { data, contentType } = encodePayload(t.spec.payload);
  const timeout = timeoutSecondsOf(fn?.spec.timeout);
  // The job's pods carry only the trigger label: with the Function's `function` and `created-by`
  // labels they would match its Service selector and receive its traffic while they run.
  const podLabels = { [LABEL_TRIGGER]: triggerName(t) };
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
        metadata: { labels: podLabels },
        spec: {
          activeDeadlineSeconds: timeout,
          backoffLimit: 0,
          template: {
            metadata: { labels: podLabels },
            // Pod Security `restricted`, like the function's own pods: the job only makes one HTTP
            // call, so it needs no token, no capability and no writable root.
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              securityContext: podSecurityContext(config.runAsUser),
              volumes: [{ name: 'tmp', emptyDir: {} }],
              containers: [
                {
                  name: 'trigger',
                  image: config.image,
                  imagePullPolicy: config.imagePullPolicy,
                  command: config.kubelessCommand,
                  args: [
                    'invoke',
                    '--url',
                    functionUrl(fnName, ns, functionPort(fn)),
                    '--data-from-env',
                    PAYLOAD_ENV,
                    '--content-type',
                    contentType,
                    '--event-type',
                    contentType,
                    '--event-namespace',
                    CRON_EVENT_NAMESPACE,
                    '--timeout',
                    String(timeout),
                  ],
                  env: [{ name: PAYLOAD_ENV, value: data }],
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  securityContext: containerSecurity(),
                },
              ],
            },
          },
        },
      },
    },
  };
}

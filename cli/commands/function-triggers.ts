// `deploy --schedule` and `--trigger-topic` (older CLIs): the trigger the original CLI created
// next to the function, named after it and selecting it by the labels every deployed function gets.
import { CliError } from '../errors.js';
import { defaultLabels } from '../function/build.js';
import type { KubeClient } from '../kube/client.js';
import { resourcePath } from '../../lib/k8s/kubeless-paths.js';
import { API_VERSION } from '../../lib/types.js';

export interface CompanionFlags {
  schedule?: string;
  triggerTopic?: string;
}

export interface CompanionTrigger {
  plural: string;
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: object };
}

function userError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** The triggers to create with the function; checked before anything is sent. */
export async function companionTriggers(
  name: string,
  namespace: string,
  flags: CompanionFlags,
): Promise<CompanionTrigger[]> {
  const triggers: CompanionTrigger[] = [];
  const metadata = { name, namespace, labels: defaultLabels(name) };
  if (flags.schedule !== undefined) {
    // Loaded only when asked for: the cron parser is not needed by a plain deploy.
    const { checkSchedule } = await import('./trigger-cronjob-spec.js');
    userError(() => checkSchedule(flags.schedule ?? ''));
    triggers.push({
      plural: 'cronjobtriggers',
      object: {
        apiVersion: API_VERSION,
        kind: 'CronJobTrigger',
        metadata,
        spec: { 'function-name': name, schedule: flags.schedule },
      },
    });
  }
  if (flags.triggerTopic !== undefined) {
    const { specFromFlags } = await import('./trigger-kafka-spec.js');
    const spec = specFromFlags({ triggerTopic: flags.triggerTopic });
    triggers.push({
      plural: 'kafkatriggers',
      object: {
        apiVersion: API_VERSION,
        kind: 'KafkaTrigger',
        metadata,
        spec: { ...spec, functionSelector: { matchLabels: defaultLabels(name) } },
      },
    });
  }
  return triggers;
}

export async function createCompanions(
  client: KubeClient,
  triggers: CompanionTrigger[],
  write: (line: string) => void,
): Promise<void> {
  for (const t of triggers) {
    const { name, namespace } = t.object.metadata;
    await client.json({
      method: 'POST',
      path: resourcePath(t.plural, namespace),
      body: t.object,
      ctx: { verb: 'create', kind: t.object.kind.toLowerCase(), name, namespace },
    });
    write(`${t.object.kind} "${name}" created in namespace "${namespace}"\n`);
  }
}

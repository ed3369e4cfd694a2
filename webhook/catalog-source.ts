import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { DEFAULT_CATALOG, parseCatalog, type RuntimeCatalog } from '../lib/catalog.js';
import { isApiError } from '../lib/certs/kube.js';

// The webhook must accept exactly the runtimes the controller deploys, so it reads the same
// catalog ConfigMap (key `runtimes`) and follows its edits.

export type CatalogUpdate =
  | { kind: 'absent'; catalog: RuntimeCatalog }
  | { kind: 'loaded'; catalog: RuntimeCatalog }
  | { kind: 'rejected'; catalog: RuntimeCatalog; error: string };

/** Pure: what catalog to use given the ConfigMap's `runtimes` text (undefined when absent). */
export function nextCatalog(previous: RuntimeCatalog, text: string | undefined): CatalogUpdate {
  if (text === undefined) return { kind: 'absent', catalog: DEFAULT_CATALOG };
  try {
    return { kind: 'loaded', catalog: parseCatalog(text) };
  } catch (err) {
    // A typo in the ConfigMap must not start refusing every Function: keep the last good catalog.
    return { kind: 'rejected', catalog: previous, error: (err as Error).message };
  }
}

export interface CatalogSource {
  current(): RuntimeCatalog;
  stop(): void;
}

/** Reads the ConfigMap now, then polls it (one small GET per interval). */
export async function watchCatalog(
  kc: KubeConfig,
  namespace: string,
  name: string,
  intervalMs: number,
  log: Logger,
): Promise<CatalogSource> {
  const core = kc.makeApiClient(CoreV1Api);
  let catalog = DEFAULT_CATALOG;
  let lastText: string | undefined | null = null;
  const refresh = async (): Promise<void> => {
    let text: string | undefined;
    try {
      text = (await core.readNamespacedConfigMap({ name, namespace })).data?.runtimes;
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
    }
    if (text === lastText) return;
    lastText = text;
    const update = nextCatalog(catalog, text);
    catalog = update.catalog;
    const source = { namespace, name };
    if (update.kind === 'absent')
      log.info(source, 'runtime catalog ConfigMap absent; using the built-in catalog');
    else if (update.kind === 'loaded')
      log.info({ ...source, runtimes: catalog.runtimes.map((r) => r.id) }, 'runtime catalog loaded');
    else
      log.error(
        { ...source, error: update.error },
        'runtime catalog rejected; keeping the previous one. Fix the "runtimes" key',
      );
  };
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((err: unknown) =>
      log.warn({ namespace, name, err: String(err) }, 'reading the runtime catalog failed'),
    );
  }, intervalMs);
  timer.unref();
  return { current: () => catalog, stop: () => clearInterval(timer) };
}

// The local platform's runtime catalog, served as the ConfigMap a cluster keeps it in
// (kubeless/kubeless-runtimes, key `runtimes`), so `kubeless get-server-config` and
// `kubectl get configmap -n kubeless kubeless-runtimes` read it the same way on both. Read-only.
import type { RuntimeCatalog } from '../../lib/catalog.js';

export const CATALOG_NAMESPACE = 'kubeless';
export const CATALOG_CONFIGMAP = 'kubeless-runtimes';

export function catalogConfigMap(catalog: RuntimeCatalog): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CATALOG_CONFIGMAP, namespace: CATALOG_NAMESPACE },
    // JSON is YAML too: the catalog parser reads either.
    data: {
      runtimes: `${JSON.stringify({ runtimes: catalog.runtimes, aliases: catalog.aliases ?? {} }, null, 2)}\n`,
    },
  };
}

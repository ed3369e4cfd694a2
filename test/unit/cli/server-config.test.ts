import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { describeCatalog } from '../../../cli/commands/server-config.js';
import { catalogConfigMap } from '../../../local/api/catalog-configmap.js';
import { parseCatalog } from '../../../lib/catalog.js';

describe('get-server-config', () => {
  it("prints the original's lines, then the older ids and what runs them", () => {
    const text = describeCatalog({
      runtimes: DEFAULT_CATALOG.runtimes.slice(0, 2),
      aliases: { nodejs8: DEFAULT_CATALOG.runtimes[0]!.id },
    });
    expect(text).toBe(
      `Current Server Config:\nSupported Runtimes are: ${DEFAULT_CATALOG.runtimes[0]!.id}, ${DEFAULT_CATALOG.runtimes[1]!.id}\n` +
        `Older runtime ids, run by the nearest of those: nodejs8 (${DEFAULT_CATALOG.runtimes[0]!.id})\n`,
    );
  });

  it("reads back the local platform's ConfigMap as the same catalog", () => {
    const cm = catalogConfigMap(DEFAULT_CATALOG) as { data: { runtimes: string } };
    const parsed = parseCatalog(cm.data.runtimes);
    expect(parsed.runtimes.map((r) => r.id)).toEqual(DEFAULT_CATALOG.runtimes.map((r) => r.id));
    expect(parsed.aliases ?? {}).toEqual(DEFAULT_CATALOG.aliases ?? {});
  });
});

// `kubeless get-server-config`: the runtimes the server accepts, read from the runtime catalog
// ConfigMap the controller and the webhook use (kubeless/kubeless-runtimes, key `runtimes`), as
// the original read its kubeless-config ConfigMap. The local platform serves its own the same way.
import { Option, type Command } from 'commander';
import { parseCatalog, runtimeIds, type RuntimeCatalog } from '../../lib/catalog.js';
import { CliError } from '../errors.js';
import { parseOutputFormat, renderObject } from '../render/functions.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';

interface ServerConfigOptions extends ConnectionFlags {
  kubelessNamespace: string;
  catalogConfigmap: string;
  output?: string;
}

interface ConfigMap {
  data?: Record<string, string>;
}

/** What the user reads: the runtime ids, then the older ids that run on one of them. */
export function describeCatalog(catalog: RuntimeCatalog): string {
  const lines = ['Current Server Config:', `Supported Runtimes are: ${runtimeIds(catalog).join(', ')}`];
  const aliases = Object.entries(catalog.aliases ?? {});
  if (aliases.length > 0) {
    lines.push(
      `Older runtime ids, run by the nearest of those: ${aliases.map(([a, t]) => `${a} (${t})`).join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function getServerConfig(opts: ServerConfigOptions): Promise<void> {
  const format = parseOutputFormat(opts.output, ['table', 'json', 'yaml']);
  const client = await connect(opts);
  const ns = opts.kubelessNamespace || 'kubeless'; // KUBELESS_NAMESPACE= (empty) means unset, as before
  const name = opts.catalogConfigmap;
  const res = await client.request({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`,
    ctx: { verb: 'read', kind: 'configmap', name, namespace: ns },
  });
  if (res.status === 404) {
    throw new CliError(
      `the runtime catalog ConfigMap ${ns}/${name} was not found: pass --kubeless-namespace with the namespace Kubeless is installed in (or set KUBELESS_NAMESPACE); without the ConfigMap the controller uses its built-in catalog`,
    );
  }
  if (res.status >= 400) {
    throw client.apiError(res.status, client.parse(res), {
      verb: 'read',
      kind: 'configmap',
      name,
      namespace: ns,
    });
  }
  const text = (client.parse(res) as ConfigMap).data?.runtimes;
  if (text === undefined)
    throw new CliError(`ConfigMap ${ns}/${name} has no "runtimes" key: it is not a runtime catalog`);
  let catalog: RuntimeCatalog;
  try {
    catalog = parseCatalog(text);
  } catch (err) {
    throw new CliError(`ConfigMap ${ns}/${name} holds no valid catalog: ${(err as Error).message}`);
  }
  if (format === 'json' || format === 'yaml') out(await renderObject(catalog, format));
  else out(describeCatalog(catalog));
}

export function register(program: Command): void {
  withConnectionFlags(
    program
      .command('get-server-config')
      .description("print the server's configuration: the runtimes it accepts"),
  )
    // The env var through commander (not read at registration), so --help and docs/cli.md say
    // the same wherever they are made.
    .addOption(
      new Option('--kubeless-namespace <ns>', 'namespace Kubeless is installed in')
        .env('KUBELESS_NAMESPACE')
        .default('kubeless'),
    )
    .option('--catalog-configmap <name>', 'runtime catalog ConfigMap (key runtimes)', 'kubeless-runtimes')
    .option('-o, --output <format>', 'json or yaml: the whole catalog (images included)')
    .action(getServerConfig);
}

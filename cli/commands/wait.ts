import { CliError } from '../errors.js';
import { readiness } from '../function/readiness.js';
import type { KubeClient } from '../kube/client.js';
import { functionPath } from '../kube/paths.js';
import type { FunctionObject } from '../kube/types.js';

const POLL_MS = 250;

/**
 * Polls the Function until its Ready condition settles, printing each new reason. Polling (not a
 * watch) keeps this working through proxies that cut long requests; a Function read is cheap.
 */
export async function waitForReady(
  client: KubeClient,
  name: string,
  timeoutSeconds: number,
  write: (line: string) => void,
): Promise<FunctionObject> {
  const namespace = client.namespace;
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = '';
  for (;;) {
    const fn = await client.json<FunctionObject>({
      method: 'GET',
      path: functionPath(namespace, name),
      ctx: { verb: 'get', kind: 'function', name, namespace },
    });
    const r = readiness(fn);
    const line = r.message ? `${r.reason}: ${r.message}` : r.reason;
    if (line !== last) {
      write(`  ${name}: ${line}\n`);
      last = line;
    }
    const hint = `see \`kubeless function logs ${name} -n ${namespace}\` and \`kubeless function describe ${name} -n ${namespace}\``;
    if (r.phase === 'ready') return fn;
    if (r.phase === 'failed') {
      throw new CliError(
        `function "${name}" failed: ${r.reason}${r.message ? `: ${r.message}` : ''}; ${hint}`,
      );
    }
    if (Date.now() >= deadline) {
      throw new CliError(`function "${name}" is not ready after ${timeoutSeconds}s (last: ${line}); ${hint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

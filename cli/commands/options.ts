import { Command } from 'commander';
import { CliError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, KubeClient } from '../kube/client.js';
import { loadKubeTarget } from '../kube/config.js';
import { parseDuration, type DurationRule } from '../../lib/server/flags.js';

export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  requestTimeout?: string;
}

/** The kubectl-style flags every command that talks to the API accepts. */
export function withConnectionFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
    .option('-n, --namespace <ns>', "namespace (default: the context's namespace, then 'default')")
    .option('--request-timeout <duration>', 'give up on an API request after this long, e.g. 30s', '30s');
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A duration flag in milliseconds (`30s`, `5m`, `1h30m`; a bare number is seconds, as these flags
 * read it before they took units); a bad value becomes a CliError naming the flag and the form.
 */
export function durationFlag(value: string, flag: string, rule: DurationRule = { bare: 's' }): number {
  try {
    return parseDuration(value, flag, rule);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

export async function connect(flags: ConnectionFlags): Promise<KubeClient> {
  const target = await loadKubeTarget(flags);
  const timeoutMs = flags.requestTimeout
    ? durationFlag(flags.requestTimeout, '--request-timeout')
    : DEFAULT_TIMEOUT_MS;
  return new KubeClient(target, timeoutMs);
}

/** Writes to stdout; a function so commands stay testable and output ordering is explicit. */
export function out(text: string | Uint8Array): void {
  process.stdout.write(text);
}

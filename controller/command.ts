import { Option, type Command } from 'commander';
import { DEFAULT_POLICY, type FunctionPolicy } from '../lib/policy/config.js';
import { readPolicyFile } from '../lib/policy/file.js';
import { parseDuration } from '../lib/server/flags.js';
import { DEFAULT_CONFIG } from './config.js';
import { componentLogger } from '../lib/server/log.js';
import { Manager, defaultIdentity, type ManagerOptions } from './manager.js';

interface ControllerFlags {
  kubeconfig?: string;
  namespace: string;
  catalogConfigmap: string;
  workers: string;
  resync: string;
  leaseName: string;
  identity: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  listen: string;
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  policyFile?: string;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number, got "${value}"`);
  return n;
}

/** These flags took bare seconds before they took units; a bare number still means seconds. */
function seconds(flag: string, value: string, wholeSeconds = false): number {
  return parseDuration(value, `--${flag}`, { bare: 's', minMs: wholeSeconds ? 1000 : 1, wholeSeconds });
}

/** `host:port`; port 0 asks the OS for a free one. */
export function parseListen(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const port = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--listen must be host:port, like 0.0.0.0:8081 or 127.0.0.1:0; got "${value}"`);
  }
  return { host: value.slice(0, at), port };
}

export function toOptions(
  flags: ControllerFlags,
  policy: FunctionPolicy = DEFAULT_POLICY.functions,
): ManagerOptions {
  const listen = parseListen(flags.listen);
  // The Lease stores whole seconds (spec.leaseDurationSeconds).
  const leaseDurationSeconds = seconds('lease-duration', flags.leaseDuration, true) / 1000;
  const renewDeadlineMs = seconds('renew-deadline', flags.renewDeadline);
  if (renewDeadlineMs >= leaseDurationSeconds * 1000) {
    throw new Error('--renew-deadline must be shorter than --lease-duration, or two leaders could overlap');
  }
  return {
    kubeconfig: flags.kubeconfig,
    namespace: flags.namespace,
    catalogConfigMap: flags.catalogConfigmap,
    workers: Math.floor(positive('workers', flags.workers)),
    resyncSeconds: seconds('resync', flags.resync) / 1000,
    leaseName: flags.leaseName,
    identity: flags.identity,
    leaseDurationSeconds,
    renewDeadlineMs,
    retryPeriodMs: seconds('retry-period', flags.retryPeriod),
    metricsHost: listen.host,
    metricsPort: listen.port,
    config: {
      ...DEFAULT_CONFIG,
      image: flags.image,
      imagePullPolicy: flags.imagePullPolicy,
      policy,
      installNamespace: flags.namespace,
    },
  };
}

export function register(program: Command): void {
  program
    .command('controller')
    .description(
      'run the Function, HTTPTrigger and CronJobTrigger controllers against the cluster in the kubeconfig (or in-cluster)',
    )
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)')
    .addOption(
      new Option('--namespace <ns>', 'install namespace: holds the runtime catalog and the leader Lease')
        .env('KUBELESS_NAMESPACE')
        .default('kubeless'),
    )
    .option(
      '--catalog-configmap <name>',
      'ConfigMap with the runtime catalog under the "runtimes" key',
      'kubeless-runtimes',
    )
    .option('--workers <n>', 'Functions reconciled in parallel', '8')
    .option('--resync <duration>', 'reconcile every Function this often even without events', '10m')
    .option('--lease-name <name>', 'leader election Lease name', 'kubeless-controller')
    .addOption(
      new Option('--identity <id>', 'leader election identity')
        .env('POD_NAME')
        .default(defaultIdentity(), '<hostname>_<pid>'),
    )
    .option('--lease-duration <duration>', 'how long a leader holds the Lease without renewing', '15s')
    .option('--renew-deadline <duration>', 'a leader that cannot renew for this long stops', '10s')
    .option('--retry-period <duration>', 'how often to renew or retry the Lease', '2s')
    .addHelpText('after', '\nDurations: 30s, 10m, 1h30m...; a bare number is seconds.')
    .option('--listen <host:port>', 'address of /healthz, /readyz and /metrics', '0.0.0.0:8081')
    .addOption(
      new Option('--image <image>', 'image holding the kubeless binary, for the prepare init step')
        .env('KUBELESS_IMAGE')
        .default(DEFAULT_CONFIG.image),
    )
    .addOption(
      new Option('--image-pull-policy <policy>', 'pull policy of the function pods')
        .choices(['Always', 'IfNotPresent', 'Never'])
        .default(DEFAULT_CONFIG.imagePullPolicy),
    )
    .option(
      '--policy-file <path>',
      'the operator policy (JSON/YAML) of what Functions may ask for; default: restricted pods, ClusterIP Services',
    )
    .action(async (flags: ControllerFlags) => {
      const log = componentLogger('controller');
      let options: ManagerOptions;
      try {
        options = toOptions(flags, (await readPolicyFile(flags.policyFile)).functions);
      } catch (err) {
        process.stderr.write(`kubeless controller: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const holder: { manager?: Manager } = {};
      const shutdown = async (reason: string, code: number) => {
        log.info({ reason }, 'shutting down');
        const force = setTimeout(() => process.exit(code), 15_000);
        force.unref();
        await holder.manager?.stop();
        process.exit(code);
      };
      const manager = new Manager(options, log, (reason) => void shutdown(reason, 1));
      holder.manager = manager;
      process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
      process.once('SIGINT', () => void shutdown('SIGINT', 0));
      await manager.start();
    });
}

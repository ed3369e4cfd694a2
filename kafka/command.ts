import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, Option } from 'commander';
import { kafkaClient, parseBrokers, saslFromEnv } from './client.js';
import { startKubeMode, type KubeMode } from './k8s.js';
import { componentLogger } from '../lib/server/log.js';
import { TriggerManager } from './manager.js';
import { parseManifests } from './manifests.js';
import { opsServer } from '../lib/server/ops.js';
import { readPolicyFile } from '../lib/policy/file.js';
import { closeFunctionConnections } from './http.js';
import { parseDuration } from '../lib/server/flags.js';
import { serviceUrlResolver, templateUrlResolver } from './urls.js';

interface Flags {
  brokers?: string;
  manifests?: string;
  functionUrl?: string;
  clusterDomain: string;
  namespace?: string;
  kubeconfig?: string;
  metricsAddress: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  commitInterval: string;
  commitIntervalMs?: string;
  policyFile?: string;
}

function splitAddress(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  const port = Number(text.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `--metrics-address ${JSON.stringify(text)} is not host:port (e.g. 0.0.0.0:9090, or 127.0.0.1:0 for any port)`,
    );
  }
  return { host: text.slice(0, i) || '0.0.0.0', port };
}

/** `--commit-interval-ms` (bare milliseconds) is the older spelling, still accepted. */
function commitInterval(flags: Flags): number {
  return flags.commitIntervalMs !== undefined
    ? parseDuration(flags.commitIntervalMs, '--commit-interval-ms', { bare: 'ms' })
    : parseDuration(flags.commitInterval, '--commit-interval', { bare: 'ms' });
}

async function run(flags: Flags): Promise<void> {
  const log = componentLogger('kafka-trigger');
  const kafka = kafkaClient(
    {
      brokers: parseBrokers(flags.brokers ?? process.env.KAFKA_BROKERS),
      tls: flags.tls,
      caFile: flags.tlsCa,
      certFile: flags.tlsCert,
      keyFile: flags.tlsKey,
      sasl: saslFromEnv(process.env),
    },
    log,
  );
  const resolveUrl = flags.functionUrl
    ? templateUrlResolver(flags.functionUrl)
    : serviceUrlResolver(flags.clusterDomain);
  let kube: KubeMode | undefined;
  const policy = await readPolicyFile(flags.policyFile);
  const manager = new TriggerManager({
    topicPolicy: policy.kafkaTopics,
    kafka,
    resolveUrl,
    log,
    commitIntervalMs: commitInterval(flags),
    onStatus: (trigger, state, targets) => {
      log.debug(
        {
          kind: 'KafkaTrigger',
          namespace: trigger.namespace,
          name: trigger.name,
          phase: state.phase,
          functions: targets.length,
        },
        state.message,
      );
      kube?.writeStatus(trigger, state, targets);
    },
    onInvalid: (obj, err) => kube?.writeInvalid(obj, err),
  });
  const { host, port } = splitAddress(flags.metricsAddress);
  const healthy = (): boolean => manager.states().every((s) => s.state.phase !== 'Failed');
  const server = opsServer({ healthy, ready: healthy }, manager.metrics.registry);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  log.info({ address: `${host}:${(server.address() as AddressInfo).port}` }, 'metrics server listening');

  if (flags.manifests) {
    const manifests = parseManifests(readFileSync(flags.manifests, 'utf8'), flags.manifests);
    manager.setFunctions(manifests.functions);
    for (const t of manifests.triggers) await manager.applyTrigger(t);
    log.info(
      { triggers: manifests.triggers.length, functions: manifests.functions.length },
      `standalone mode: serving ${flags.manifests}`,
    );
  } else {
    kube = await startKubeMode({ manager, log, namespace: flags.namespace, kubeconfig: flags.kubeconfig });
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: abandoning in-flight deliveries, committing what was delivered');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    void (async () => {
      await kube?.stop();
      await manager.stop();
      closeFunctionConnections();
      server.close();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** `kubeless kafka-trigger`: the consumer component (its own Deployment in the chart). */
export function register(program: Command): void {
  program
    .command('kafka-trigger')
    .description(
      'deliver Kafka records to functions, as selected by KafkaTrigger objects (cluster mode) or a manifest file (--manifests)',
    )
    .option('--brokers <list>', 'Kafka bootstrap servers host:port[,host:port] (default: $KAFKA_BROKERS)')
    .option(
      '--manifests <file>',
      'standalone mode: read KafkaTriggers and Functions from this YAML file instead of the Kubernetes API',
    )
    .option(
      '--function-url <template>',
      'URL of a function, with {namespace} and {name} (default: its Service in the cluster)',
    )
    .option('--cluster-domain <domain>', 'cluster DNS domain for Service URLs', 'cluster.local')
    .option('-n, --namespace <ns>', 'watch one namespace only (default: all)')
    .option('--kubeconfig <file>', 'kubeconfig (default: in-cluster, then $KUBECONFIG, then ~/.kube/config)')
    .option('--metrics-address <host:port>', '/metrics and /healthz listen address', '0.0.0.0:9090')
    .option(
      '--policy-file <file>',
      'operator policy (JSON/YAML); its kafkaTopics say which topics each namespace may use (default: any)',
    )
    .option('--tls', 'connect to Kafka over TLS')
    .option('--tls-ca <file>', 'CA bundle for the brokers (PEM)')
    .option('--tls-cert <file>', 'client certificate for mutual TLS (PEM)')
    .option('--tls-key <file>', 'client key for mutual TLS (PEM)')
    .addOption(
      new Option('--commit-interval <duration>', 'commit finished offsets this often (0: after every record)')
        .default('1s')
        .hideHelp(),
    )
    .addOption(new Option('--commit-interval-ms <ms>').hideHelp())
    .addHelpText(
      'after',
      '\nSASL: set KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.',
    )
    .action(async (flags: Flags) => {
      try {
        await run(flags);
      } catch (err) {
        process.stderr.write(`kubeless kafka-trigger: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(2);
      }
    });
}

// `kubeless local` (what `npm start` runs): the whole platform in one process.
import path from 'node:path';
import { isIP } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isDns1123Subdomain } from '../lib/k8s/names.js';
import { componentLogger } from '../lib/server/log.js';
import { CONTEXT, defaultKubeconfigPath, writeKubeconfig } from './kubeconfig.js';
import { parseBrokers } from '../kafka/index.js';
import { startPlatform } from './platform.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`${value} is not a port; use a number from 0 to 65535`);
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 16)
    throw new InvalidArgumentError(`${value} is not a pool size; use 0 to 16`);
  return n;
}

/** `--host-name a,b`: DNS names or IP addresses, lower-cased. */
function hostNames(value: string): string[] {
  const names = value
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  for (const n of names) {
    if (!isDns1123Subdomain(n) && isIP(n.replace(/^\[(.*)\]$/, '$1')) === 0)
      throw new InvalidArgumentError(
        `${JSON.stringify(n)} is not a host name; give DNS names or IP addresses, separated by commas`,
      );
  }
  // As a Host header writes an IPv6 address.
  return names.map((n) => (isIP(n) === 6 ? `[${n}]` : n));
}

interface LocalOptions {
  port: number;
  gatewayPort?: number;
  dataDir: string;
  writeKubeconfig?: string | boolean;
  pool: number;
  kafkaBrokers?: string;
  hostName?: string[];
}

export function register(program: Command): void {
  program
    .command('local')
    .description(
      'run the local platform: Kubernetes-style API, controller and function processes on 127.0.0.1, no cluster',
    )
    .addOption(
      new Option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)')
        .env('KUBELESS_PORT')
        .default(8080)
        .argParser(port),
    )
    .addOption(
      new Option(
        '--gateway-port <port>',
        'port on 127.0.0.1 where HTTPTriggers are served (default --port + 1, i.e. 8081; 0 picks a free one)',
      )
        .env('KUBELESS_GATEWAY_PORT')
        .argParser(port),
    )
    .addOption(
      new Option('--data-dir <dir>', 'where objects, code and logs are kept')
        .env('KUBELESS_DATA_DIR')
        .default('.kubeless'),
    )
    .addOption(
      new Option(
        '--write-kubeconfig [path]',
        `add a "${CONTEXT}" context pointing at this server to the kubeconfig (default $KUBECONFIG or ~/.kube/config)`,
      ),
    )
    .addOption(
      new Option(
        '--host-name <names>',
        'other host names the API answers to, comma-separated (it always answers localhost, 127.0.0.1 and [::1]; any other Host is refused, against DNS rebinding)',
      )
        .env('KUBELESS_HOST_NAME')
        .argParser(hostNames),
    )
    .addOption(
      new Option('--pool <n>', 'pre-started runtime processes per language')
        .env('KUBELESS_POOL_SIZE')
        .default(1)
        .argParser(count),
    )
    .addOption(
      new Option(
        '--kafka-brokers <list>',
        'Kafka bootstrap servers host:port[,host:port]: KafkaTriggers and pubsub Functions are consumed from them (without it they stay idle)',
      ).env('KUBELESS_KAFKA_BROKERS'),
    )
    .action(async (o: LocalOptions) => {
      const logger = componentLogger('local');
      let platform;
      try {
        const kafkaBrokers =
          o.kafkaBrokers === undefined
            ? undefined
            : parseBrokers(o.kafkaBrokers, '--kafka-brokers', 'KUBELESS_KAFKA_BROKERS');
        platform = await startPlatform({
          ...(kafkaBrokers ? { kafkaBrokers } : {}),
          port: o.port,
          ...(o.gatewayPort !== undefined ? { gatewayPort: o.gatewayPort } : {}),
          dataDir: path.resolve(o.dataDir),
          poolSize: o.pool,
          hostNames: o.hostName ?? [],
          logger,
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const fix =
          e.code === 'EADDRINUSE' ? `; another process uses port ${o.port}: stop it or pass --port` : '';
        logger.fatal({ err: e.message }, `could not start the local platform${fix}`);
        process.exit(1);
      }
      if (o.writeKubeconfig !== undefined && o.writeKubeconfig !== false) {
        const file = typeof o.writeKubeconfig === 'string' ? o.writeKubeconfig : defaultKubeconfigPath();
        const { current } = writeKubeconfig(file, platform.url);
        logger.info(
          { kubeconfig: file, context: CONTEXT },
          current
            ? 'kubeconfig written; kubectl now talks to the local platform'
            : `kubeconfig written; run: kubectl config use-context ${CONTEXT}`,
        );
      }
      const stop = (): void => {
        logger.info('stopping: function processes first, then the store');
        void platform.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}

import { Option, type Command } from 'commander';
import { parseDuration, parsePort, parseSize } from '../lib/server/flags.js';
import { componentLogger } from '../lib/server/log.js';
import { checkOptions, parseCertMode, parseFraction, type WebhookOptions } from './options.js';
import { runWebhook } from './run.js';

interface RawOptions {
  host: string;
  port: string;
  certMode: string;
  certDir: string;
  namespace: string;
  service: string;
  secret: string;
  certHost: string[];
  mutatingConfig: string[];
  validatingConfig: string[];
  apiService: string[];
  certLifetime: string;
  rotateAt: string;
  certCheckInterval: string;
  propagationDelay: string;
  bodyLimit: string;
  lookupTimeout: string;
  requestTimeout: string;
  clusterChecks: boolean;
  catalogConfigmap: string;
  catalogRefresh: string;
  policyFile?: string;
  kubeconfig?: string;
  logLevel: string;
}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

export function toOptions(raw: RawOptions): WebhookOptions {
  const o: WebhookOptions = {
    host: raw.host,
    port: parsePort(raw.port, '--port'),
    certMode: parseCertMode(raw.certMode),
    certDir: raw.certDir,
    namespace: raw.namespace,
    service: raw.service,
    secret: raw.secret,
    certHosts: raw.certHost,
    mutatingConfigs: raw.mutatingConfig,
    validatingConfigs: raw.validatingConfig,
    apiServices: raw.apiService,
    certLifetimeMs: parseDuration(raw.certLifetime, '--cert-lifetime'),
    rotateAt: parseFraction(raw.rotateAt, '--rotate-at'),
    checkIntervalMs: parseDuration(raw.certCheckInterval, '--cert-check-interval'),
    propagationDelayMs: parseDuration(raw.propagationDelay, '--propagation-delay'),
    bodyLimitBytes: parseSize(raw.bodyLimit, '--body-limit'),
    lookupTimeoutMs: parseDuration(raw.lookupTimeout, '--lookup-timeout'),
    requestTimeoutMs: parseDuration(raw.requestTimeout, '--request-timeout'),
    clusterChecks: raw.clusterChecks,
    catalogConfigMap: raw.catalogConfigmap,
    catalogRefreshMs: parseDuration(raw.catalogRefresh, '--catalog-refresh'),
    policyFile: raw.policyFile,
    kubeconfig: raw.kubeconfig,
  };
  checkOptions(o);
  return o;
}

export function register(program: Command): void {
  program
    .command('webhook')
    .description('serve the kubeless.io admission webhook (POST /mutate, /validate) over HTTPS')
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'HTTPS port (0 picks a free one)', '8443')
    .option(
      '--cert-mode <mode>',
      'self: manage a CA and certificate in a Secret; cert-manager or files: read --cert-dir',
      'self',
    )
    .option(
      '--cert-dir <dir>',
      'directory with tls.crt, tls.key and ca.crt (cert-manager/files modes)',
      '/etc/kubeless/webhook-certs',
    )
    // POD_NAMESPACE through commander, not read here: --help and docs/webhook.md then say so,
    // and show the same default wherever they are generated.
    .addOption(
      new Option('--namespace <ns>', 'install namespace (holds the certificate Secret)')
        .env('POD_NAMESPACE')
        .default('kubeless'),
    )
    .option(
      '--service <name>',
      'Service in front of the webhook; its DNS names go into the certificate',
      'kubeless-webhook',
    )
    .option(
      '--secret <name>',
      'Secret holding the CA and serving certificate (self mode)',
      'kubeless-webhook-certs',
    )
    .option(
      '--cert-host <host>',
      'extra DNS name or IP for the certificate (repeatable, comma-separated)',
      collect,
      [],
    )
    .option(
      '--mutating-config <name>',
      'MutatingWebhookConfiguration whose caBundle to maintain (repeatable)',
      collect,
      [],
    )
    .option(
      '--validating-config <name>',
      'ValidatingWebhookConfiguration whose caBundle to maintain (repeatable)',
      collect,
      [],
    )
    .option('--api-service <name>', 'APIService whose caBundle to maintain (repeatable)', collect, [])
    .option('--cert-lifetime <duration>', 'lifetime of each CA and serving certificate', '2160h')
    .option('--rotate-at <fraction>', 'rotate after this fraction of the lifetime', '0.667')
    .option('--cert-check-interval <duration>', 'how often to check the Secret or the files', '1m')
    .option(
      '--propagation-delay <duration>',
      'wait between publishing a new CA and serving its certificate',
      '5s',
    )
    .option('--body-limit <size>', 'largest request body', '3MiB')
    .option('--lookup-timeout <duration>', 'budget for cluster lookups per review', '3s')
    .option('--request-timeout <duration>', 'budget for a whole request', '10s')
    .option('--no-cluster-checks', 'skip checks that read other objects (secrets, HTTPTrigger routes)')
    .option(
      '--catalog-configmap <name>',
      'runtime catalog ConfigMap in --namespace (key runtimes); "" for the built-in one',
      'kubeless-runtimes',
    )
    .option('--catalog-refresh <duration>', 'how often to re-read the catalog ConfigMap', '10s')
    .option(
      '--policy-file <path>',
      'the operator policy (JSON/YAML: functions, kafkaTopics); "" for the default (restricted pods, any topic)',
      '',
    )
    .option('--kubeconfig <path>', 'kubeconfig (default: in-cluster or $KUBECONFIG)')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (raw: RawOptions) => {
      let options: WebhookOptions;
      try {
        options = toOptions(raw);
      } catch (err) {
        process.stderr.write(`kubeless webhook: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const logger = componentLogger('webhook', { level: raw.logLevel });
      let running: Awaited<ReturnType<typeof runWebhook>>;
      try {
        running = await runWebhook(options, logger);
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'webhook failed to start');
        process.stderr.write(`kubeless webhook: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const shutdown = (signal: string): void => {
        logger.info({ signal }, 'shutting down');
        running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}

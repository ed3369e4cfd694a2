import type { Command } from 'commander';
import { INVOKE_BODY_LIMIT_BYTES } from '../lib/invoke/limits.js';
import { parseDuration, parsePort, parseSize } from '../lib/server/flags.js';
import { componentLogger } from '../lib/server/log.js';
import { runApi, type RunOptions } from './run.js';

/** The flags as run options; throws naming the flag and the form to write. */
export function toRunOptions(raw: Record<string, string | string[] | undefined>): RunOptions {
  const mode = raw.serviceAddress;
  if (mode !== 'dns' && mode !== 'cluster-ip' && mode !== 'endpoints') {
    throw new Error(`--service-address must be "dns", "cluster-ip" or "endpoints", got "${String(mode)}"`);
  }
  const o: RunOptions = {
    host: String(raw.host),
    port: parsePort(String(raw.port), '--port'),
    certHosts: (raw.certHost as string[] | undefined) ?? [],
    serviceAddress: mode,
    bodyLimitBytes: parseSize(String(raw.bodyLimit), '--body-limit', 1),
    frontProxyRefreshMs: parseDuration(String(raw.frontProxyRefresh), '--front-proxy-refresh', {
      bare: 'ms',
      minMs: 1000,
    }),
    certRefreshMs: parseDuration(String(raw.certRefresh), '--cert-refresh', { bare: 'ms', minMs: 100 }),
  };
  if (typeof raw.certDir === 'string') o.certDir = raw.certDir;
  if (typeof raw.kubeconfig === 'string') o.kubeconfig = raw.kubeconfig;
  return o;
}

export function register(program: Command): void {
  program
    .command('api')
    .description(
      'Run the aggregated API server for functions/invoke and functions/log (subresources.kubeless.io/v1)',
    )
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'HTTPS port (0 picks a free one)', '8443')
    .option(
      '--cert-dir <dir>',
      'directory with tls.crt/tls.key (a mounted Secret); without it a self-signed pair is made',
    )
    .option('--cert-host <name...>', 'DNS names/IPs of the self-signed certificate', [])
    .option('--kubeconfig <file>', 'kubeconfig (default: in-cluster or $KUBECONFIG)')
    .option(
      '--service-address <mode>',
      'reach functions by "dns" (<name>.<ns>.svc), "cluster-ip" (the Service\'s) or "endpoints" (a ready EndpointSlice address, no kube-proxy needed)',
      'dns',
    )
    .option(
      '--body-limit <size>',
      'largest invoke body, e.g. 10MiB (a bare number is bytes)',
      `${INVOKE_BODY_LIMIT_BYTES / 1024 / 1024}MiB`,
    )
    .option(
      '--front-proxy-refresh <duration>',
      'how often kube-system/extension-apiserver-authentication is re-read (a bare number is milliseconds)',
      '30s',
    )
    .option(
      '--cert-refresh <duration>',
      'how often --cert-dir is re-read for a renewed certificate (a bare number is milliseconds)',
      '10s',
    )
    .action(async (raw: Record<string, string | string[] | undefined>) => {
      const o = toRunOptions(raw);
      const logger = componentLogger('api');
      const running = await runApi(o, logger);
      const stop = (signal: string): void => {
        logger.info({ signal }, 'shutting down: draining connections');
        void running.stop().then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}

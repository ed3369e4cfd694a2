import type { Command } from 'commander';
import { pino } from 'pino';
import { runApi, type RunOptions } from './run.js';

function int(v: string, flag: string, min = 0): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got "${v}"`);
  return n;
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
    .option('--body-limit <bytes>', 'largest invoke body', String(10 * 1024 * 1024))
    .option(
      '--front-proxy-refresh <ms>',
      'how often kube-system/extension-apiserver-authentication is re-read',
      '30000',
    )
    .option('--cert-refresh <ms>', 'how often --cert-dir is re-read for a renewed certificate', '10000')
    .action(async (raw: Record<string, string | string[] | undefined>) => {
      const mode = raw.serviceAddress;
      if (mode !== 'dns' && mode !== 'cluster-ip' && mode !== 'endpoints') {
        throw new Error(
          `--service-address must be "dns", "cluster-ip" or "endpoints", got "${String(mode)}"`,
        );
      }
      const o: RunOptions = {
        host: String(raw.host),
        port: int(String(raw.port), '--port'),
        certHosts: (raw.certHost as string[] | undefined) ?? [],
        serviceAddress: mode,
        bodyLimitBytes: int(String(raw.bodyLimit), '--body-limit', 1),
        frontProxyRefreshMs: int(String(raw.frontProxyRefresh), '--front-proxy-refresh', 1000),
        certRefreshMs: int(String(raw.certRefresh), '--cert-refresh', 100),
      };
      if (typeof raw.certDir === 'string') o.certDir = raw.certDir;
      if (typeof raw.kubeconfig === 'string') o.kubeconfig = raw.kubeconfig;
      const logger = pino();
      const running = await runApi(o, logger);
      const stop = (signal: string): void => {
        logger.info({ signal }, 'shutting down: draining connections');
        void running.stop().then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}

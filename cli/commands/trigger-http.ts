import { Option, type Command } from 'commander';
import { registerTriggerKind } from './trigger-http-crud.js';
import { httpSpecFromFlags, httpTriggerObject, type HttpTriggerFlags } from './trigger-http-spec.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `kubeless trigger http create|update|delete|list`. */
export function register(program: Command): void {
  registerTriggerKind<HttpTriggerFlags>(program, {
    word: 'http',
    kind: 'HTTPTrigger',
    plural: 'httptriggers',
    describe: 'HTTP triggers: expose a function through an Ingress',
    flags: (cmd) =>
      cmd
        .option('--function-name <name>', 'the Function requests go to')
        .option('--hostname <host>', 'virtual host of the Ingress rule, e.g. hello.example.com')
        .option('--path <path>', 'URL path prefix routed to the function (default /)')
        .option('--gateway <name>', 'Ingress controller: nginx, traefik or kong (default nginx)')
        .option('--enable-tls', 'ask cert-manager (ACME) for a certificate for --hostname')
        .addOption(new Option('--enableTLSAcme', 'same as --enable-tls (the original CLI)').hideHelp())
        .option('--tls-secret <secret>', 'kubernetes.io/tls Secret that serves --hostname over HTTPS')
        .option('--basic-auth-secret <secret>', 'Secret with an htpasswd `auth` key for basic auth')
        .option('--cors-enable', 'answer CORS preflight requests'),
    object: (name, ns, f) => httpTriggerObject(name, ns, normalise(f)),
    spec: (f) => httpSpecFromFlags(normalise(f)),
    columns: ['FUNCTION', 'HOST', 'PATH', 'GATEWAY'],
    row: (s) => [
      str(s['function-name']),
      str(s['host-name']) || '*',
      str(s.path) || '/',
      str(s.gateway) || 'nginx',
    ],
  });
}

// commander names the --enable-tls flag `enableTls` (and the original's --enableTLSAcme
// `enableTLSAcme`); the spec builder calls it `tls`.
function normalise(f: HttpTriggerFlags & { enableTls?: boolean; enableTLSAcme?: boolean }): HttpTriggerFlags {
  const { enableTls, enableTLSAcme, ...rest } = f;
  const tls = enableTls ?? enableTLSAcme;
  return tls === undefined ? rest : { ...rest, tls };
}

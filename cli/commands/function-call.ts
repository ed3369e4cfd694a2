import { Command } from 'commander';
import { CliError } from '../errors.js';
import { checkName } from '../function/build.js';
import { invokePath } from '../kube/paths.js';
import { isKubeStatus } from '../kube/types.js';
import { connect, collect, durationFlag, out, withConnectionFlags, type ConnectionFlags } from './options.js';
import { callRequest } from '../function/call.js';

interface CallOptions extends ConnectionFlags {
  data?: string;
  method?: string;
  header?: string[];
  path?: string;
  callTimeout: string;
}

async function call(name: string, opts: CallOptions): Promise<void> {
  checkName(name);
  let plan: ReturnType<typeof callRequest>;
  try {
    plan = callRequest(opts);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const client = await connect(opts);
  const ns = client.namespace;
  let path: string;
  try {
    path = invokePath(ns, name, opts.path);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const ctx = { verb: 'call', kind: 'function', name, namespace: ns };
  const res = await client.request({
    method: plan.method,
    path,
    body: plan.body,
    headers: plan.headers,
    timeoutMs: durationFlag(opts.callTimeout, '--call-timeout') * 1000,
    ctx,
  });
  if (res.status < 400) {
    out(res.body);
    return;
  }
  // A Status body came from the API itself (no such function, not ready, forbidden); anything
  // else is the function's own answer, which the user wants to see verbatim.
  const parsed = String(res.headers['content-type'] ?? '').includes('json') ? client.parse(res) : undefined;
  if (isKubeStatus(parsed)) throw client.apiError(res.status, parsed, ctx);
  out(res.body);
  if (res.body.length > 0 && res.body[res.body.length - 1] !== 0x0a) out('\n');
  throw new CliError(`function "${name}" answered HTTP ${res.status}`);
}

export function registerCallCommand(group: Command): void {
  withConnectionFlags(
    group.command('call <name>').description('call a function through the invoke subresource'),
  )
    .option('-d, --data <body>', 'request body (sent as application/json when it parses as JSON)')
    .option('-X, --method <method>', 'HTTP method (default: POST with --data, else GET)')
    .option('-H, --header <Name: value>', 'request header (repeatable)', collect)
    .option('-p, --path <path>', 'path (and query) inside the function, e.g. /items?id=3')
    .option('--call-timeout <duration>', 'give up waiting for the function after this long', '5m')
    .action(call);
}

import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { CliError } from '../errors.js';
import { checkName } from '../function/name.js';
import { callRequest, needsNewline } from '../function/call.js';
import type { KubeResponse } from '../kube/client.js';
import { invokePath } from '../kube/paths.js';
import { isKubeStatus } from '../kube/types.js';
import { connect, collect, durationFlag, out, withConnectionFlags, type ConnectionFlags } from './options.js';

interface CallOptions extends ConnectionFlags {
  data?: string;
  dataFile?: string;
  method?: string;
  header?: string[];
  path?: string;
  callTimeout: string;
}

function userError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** `--data-file <file>` (or `-` for standard input): a body of any size, sent as it is. */
async function readBody(file: string): Promise<Buffer> {
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
    return await readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CliError(
      `cannot read --data-file "${file}": ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(err)}`,
    );
  }
}

function print(res: KubeResponse): void {
  out(res.body);
  if (needsNewline(res.body, res.headers['content-type'])) out('\n');
}

/** 408 is a timeout whoever answered it; the original CLI said so in these words, and scripts grep them. */
const TIMEOUT = 'Request timeout exceeded';

async function call(name: string, opts: CallOptions): Promise<void> {
  checkName(name);
  const dataBytes = opts.dataFile !== undefined ? await readBody(opts.dataFile) : undefined;
  const plan = userError(() => callRequest({ ...opts, dataBytes }));
  const client = await connect(opts);
  const ns = client.namespace;
  const path = userError(() => invokePath(ns, name, opts.path));
  const ctx = { verb: 'call', kind: 'function', name, namespace: ns };
  const res = await client.request({
    method: plan.method,
    path,
    body: plan.body,
    headers: plan.headers,
    timeoutMs: durationFlag(opts.callTimeout, '--call-timeout'),
    ctx,
  });
  if (res.status < 400) {
    print(res);
    return;
  }
  // A Status body came from the API itself (no such function, not ready, forbidden, a deadline);
  // anything else is the function's own answer, which the user wants to see verbatim.
  const parsed = String(res.headers['content-type'] ?? '').includes('json') ? client.parse(res) : undefined;
  if (isKubeStatus(parsed)) {
    const error = client.apiError(res.status, parsed, ctx);
    if ((parsed.code ?? res.status) === 408) throw new CliError(`${TIMEOUT}: ${error.message}`);
    throw error;
  }
  print(res);
  if (res.status === 408) {
    throw new CliError(
      `${TIMEOUT}: function "${name}" did not answer within its timeout (HTTP 408); make it faster or raise the timeout with \`kubeless function update ${name} -n ${ns} --timeout <seconds>\``,
    );
  }
  throw new CliError(`function "${name}" answered HTTP ${res.status}`);
}

export function registerCallCommand(group: Command): void {
  withConnectionFlags(
    group.command('call <name>').description('call a function through the invoke subresource'),
  )
    .option('-d, --data <body>', 'request body (sent as application/json when it parses as JSON)')
    .option(
      '--data-file <file>',
      'read the request body from a file (- for standard input), for large bodies',
    )
    .option('-X, --method <method>', 'HTTP method (default: POST with data, else GET)')
    .option('-H, --header <Name: value>', 'request header (repeatable)', collect)
    .option('-p, --path <path>', 'path (and query) inside the function, e.g. /items?id=3')
    .option('--call-timeout <duration>', 'give up waiting for the function after this long', '5m')
    .action(call);
}

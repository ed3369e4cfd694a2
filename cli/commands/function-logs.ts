import { Command } from 'commander';
import { CliError } from '../errors.js';
import { checkName } from '../function/name.js';
import { subresourcePath } from '../kube/paths.js';
import { connect, durationFlag, withConnectionFlags, type ConnectionFlags } from './options.js';

interface LogsOptions extends ConnectionFlags {
  follow?: boolean;
  tail?: string;
  since?: string;
  timestamps?: boolean;
}

async function logs(name: string, opts: LogsOptions): Promise<void> {
  checkName(name);
  if (opts.tail !== undefined && !/^[0-9]+$/.test(opts.tail)) {
    throw new CliError(`invalid --tail "${opts.tail}": give a number of lines, e.g. --tail 20`);
  }
  // The API takes whole seconds; round up so `--since 1500ms` still includes the last 1.5 s.
  const sinceSeconds =
    opts.since !== undefined ? Math.ceil(durationFlag(opts.since, '--since') / 1000) : undefined;
  const client = await connect(opts);
  const ns = client.namespace;
  const ctx = { verb: 'read logs of', kind: 'function', name, namespace: ns };
  // `log` (singular) is the path kube-apiserver treats as long-running, so follow is not cut off.
  const res = await client.open({
    method: 'GET',
    path: subresourcePath(ns, name, 'log'),
    query: {
      follow: opts.follow ? 'true' : undefined,
      tailLines: opts.tail,
      sinceSeconds,
      timestamps: opts.timestamps ? 'true' : undefined,
    },
    timeoutMs: opts.follow ? 0 : undefined,
    ctx,
  });
  const status = res.statusCode ?? 0;
  if (status >= 400) {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // not JSON: report the text as is
    }
    throw client.apiError(status, body, ctx);
  }
  await new Promise<void>((resolve, reject) => {
    res.on('error', reject);
    res.on('end', resolve);
    res.pipe(process.stdout, { end: false });
  });
}

export function registerLogsCommand(group: Command): void {
  withConnectionFlags(
    group.command('logs <name>').description("print a function's logs (its stdout and stderr)"),
  )
    .option('-f, --follow', 'keep streaming new lines until interrupted')
    .option('--tail <lines>', 'only the last N lines')
    .option('--since <duration>', 'only lines newer than this, e.g. 10m')
    .option('--timestamps', 'prefix each line with its time')
    .action(logs);
}

import { Command } from 'commander';
import { VERSION } from '../../lib/version.js';
import { CliError } from '../errors.js';
import { parseOutputFormat, renderObject } from '../render/functions.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';

interface VersionOptions extends ConnectionFlags {
  output?: string;
  client?: boolean;
}

interface ServerVersion {
  gitVersion?: string;
  platform?: string;
  [extra: string]: unknown;
}

/** The server's `/version`, or why it could not be read (the CLI stays useful offline). */
async function serverVersion(opts: VersionOptions): Promise<{ version?: ServerVersion; error?: string }> {
  try {
    const client = await connect(opts);
    const version = await client.json<ServerVersion>({
      method: 'GET',
      path: '/version',
      ctx: { verb: 'read', kind: 'version' },
    });
    return { version };
  } catch (err) {
    return { error: err instanceof CliError || err instanceof Error ? err.message : String(err) };
  }
}

async function version(opts: VersionOptions): Promise<void> {
  const format = parseOutputFormat(opts.output, ['table', 'json', 'yaml']);
  const server = opts.client ? {} : await serverVersion(opts);
  if (format === 'json' || format === 'yaml') {
    out(await renderObject({ clientVersion: { version: VERSION }, serverVersion: server.version }, format));
  } else {
    out(`Client Version: ${VERSION}\n`);
    if (server.version) {
      out(
        `Server Version: ${server.version.gitVersion ?? 'unknown'}${server.version.platform ? ` (${server.version.platform})` : ''}\n`,
      );
    }
  }
  if (server.error) process.stderr.write(`server version unavailable: ${server.error}\n`);
}

export function register(program: Command): void {
  withConnectionFlags(
    program
      .command('version')
      .description('print the client version and, when reachable, the server version'),
  )
    .option('--client', 'only the client version; do not contact the server')
    .option('-o, --output <format>', 'json or yaml')
    .action(version);
}

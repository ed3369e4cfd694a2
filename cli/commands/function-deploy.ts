// `kubeless function deploy|update`: the flags. The work is in function-write.ts, loaded when one runs.
import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/function/timeout.js';
import { Command, Option } from 'commander';
import { PULL_POLICIES } from '../function/pod-flags.js';
import { collect, withConnectionFlags } from './options.js';
import type { WriteOptions } from './function-write.js';

const CLUSTER_ONLY = '(cluster only: the local platform ignores it and says so)';

function addWriteFlags(cmd: Command): Command {
  return withConnectionFlags(cmd)
    .option('-r, --runtime <id>', 'runtime id from the catalog, e.g. nodejs20 or python3.11')
    .option('--handler <module.function>', 'file (without suffix) and function to call, e.g. hello.handler')
    .option(
      '-f, --from-file <file|url>',
      'code: a source file, a .zip/.tar.gz/.tgz/.tar.bz2/.tar.xz archive, or an http(s) URL',
    )
    .option(
      '-d, --dependencies <file|url>',
      'dependency file (package.json, requirements.txt) or its http(s) URL',
    )
    .option(
      '-e, --env <KEY=VALUE,...>',
      'environment variables: KEY=VALUE or KEY:VALUE, comma-separated or repeated; KEY- removes on update',
      collect,
    )
    .option(
      '-l, --label <KEY=VALUE,...>',
      'labels: KEY=VALUE, KEY:VALUE or KEY, comma-separated or repeated; KEY- removes on update',
      collect,
    )
    .option(
      '-t, --timeout <duration>',
      `how long a call may run before it answers 408, e.g. 30s or 5m; a bare number is seconds (default ${DEFAULT_TIMEOUT_SECONDS})`,
    )
    .option('--memory <quantity>', 'memory request and limit, e.g. 128Mi')
    .option('--cpu <quantity>', 'CPU request and limit, e.g. 250m')
    .option('--runtime-image <image>', `custom image for the runtime container ${CLUSTER_ONLY}`)
    .addOption(
      new Option(
        '--image-pull-policy <policy>',
        `pull policy of the runtime image (default: the controller's) ${CLUSTER_ONLY}`,
      ).choices(PULL_POLICIES),
    )
    .option(
      '--secrets <name,...>',
      `Secrets to mount at /<name>, comma-separated or repeated; name- unmounts on update ${CLUSTER_ONLY}`,
      collect,
    )
    .option(
      '--node-selectors <KEY=VALUE,...>',
      `node labels the pods must run on, e.g. disktype=ssd ${CLUSTER_ONLY}`,
      collect,
    )
    .option('--service-account <name>', `ServiceAccount the function's pods run as ${CLUSTER_ONLY}`)
    .option(
      '--port <port>',
      `port the function listens on and its Service exposes (default 8080) ${CLUSTER_ONLY}`,
    )
    .option('--servicePort <port>', `port of the function's Service (default: --port) ${CLUSTER_ONLY}`)
    .option('--headless', `a headless Service (no cluster IP, no load balancing) ${CLUSTER_ONLY}`)
    .option('-o, --output <format>', 'format for --dryrun/--dry-run output: yaml or json', 'yaml')
    .option('--dryrun', 'print the Function and send nothing (same as --dry-run=client)')
    .addOption(
      new Option(
        '--dry-run <mode>',
        'client: print only; server: let the API validate and default it',
      ).choices(['client', 'server']),
    )
    .option('-w, --wait', 'wait until the function is Ready, printing progress; fail with the reason')
    .option('--wait-timeout <duration>', 'how long --wait waits', '3m');
}

export function registerWriteCommands(group: Command): void {
  addWriteFlags(group.command('deploy <name>').description('create a function from a file or URL'))
    .option('--schedule <cron>', 'also create a CronJobTrigger named after the function, e.g. "*/5 * * * *"')
    .option('--trigger-topic <topic>', 'older CLIs: also create a KafkaTrigger named after the function')
    .option('--trigger-http', 'older CLIs: an HTTP function, which every function is (accepted, no effect)')
    .action(async (name: string, opts: WriteOptions) =>
      (await import('./function-write.js')).deploy(name, opts),
    );
  addWriteFlags(
    group.command('update <name>').description('change a function; flags left out keep their value'),
  ).action(async (name: string, opts: WriteOptions) =>
    (await import('./function-write.js')).update(name, opts),
  );
}

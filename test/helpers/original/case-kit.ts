// Shorthands the inventories are written with, so that each case reads like its Makefile target.
import type { Arg, Check, FileRef, OriginalCase, Source } from './types.js';

export const fx = (file: string): FileRef => ({ fixture: file });

/** `cd <dir> && zip <archive> <files>` (tar for the other formats). */
export const zipOf = (
  dir: string,
  files: string[],
  format: 'zip' | 'tar.gz' | 'tgz' | 'tar.bz2' | 'tar.xz' = 'zip',
): FileRef => ({
  archive: format,
  of: files.map((f) => `${dir}/${f}`),
});

/** `kubeless function deploy <name> --runtime <r> --handler <h> --from-file <file> <extra>` */
export function deploy(
  source: Source,
  name: string,
  runtime: string,
  handler: string,
  from: Arg,
  extra: Arg[] = [],
): Pick<OriginalCase, 'source' | 'name' | 'runtime' | 'handler' | 'deploy'> {
  return {
    source,
    name,
    runtime,
    handler,
    deploy: [
      {
        kubeless: [
          'function',
          'deploy',
          name,
          '--runtime',
          runtime,
          '--handler',
          handler,
          '--from-file',
          from,
          ...extra,
        ],
      },
    ],
  };
}

/** The -verify targets of post-nodejs/post-python: the printed event, grepped from the logs. */
export const eventInLogs: Check = {
  logs: [
    /it.*alive/,
    /event-time.*Z/,
    /event-type.*application\/json/,
    /event-namespace.*cli.kubeless.io/,
    /event-id.*/,
  ],
};

/** The timeout targets' printf: a handler that never returns. */
export const loopJs: FileRef = {
  text: 'module.exports = { foo: function (event, context) { while (true) {} } }\n',
  named: 'hello-loop.js',
};
export const loopPy: FileRef = {
  text: 'def foo(event, context):\n    while 1: pass\n    return "hello world"\n',
  named: 'hello-loop.py',
};

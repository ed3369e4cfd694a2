// Targets both Makefiles define alike (kubeless/runtimes copied them from kubeless/kubeless and
// changed the runtime ids): one builder each, called by both inventories with their source and
// runtime id.
import { deploy, eventInLogs, fx, loopJs, loopPy, zipOf } from './case-kit.js';
import type { ArchiveFormat, Check, OriginalCase, Source } from './types.js';

export const helloWorld: Check = { call: [], grep: /hello.world/ };
export const google: Check = { call: [], grep: /Google/ };
export const alive: Check = { call: ['--data', '{"it-s": "alive"}'], grep: /it.*alive/ };
export const timedOut: Check = { call: [], grep: /Request.timeout.exceeded/, withStderr: true };

const withDeps = ['hellowithdeps.py', 'hellowithdepshelper.py'];
/** The archive kubeless/kubeless keeps in examples/nodejs (helloFunctions.zip, .tar.gz ...). */
const helloFunctions = ['helloget.js', 'hellowithdata.js', 'hellowithdeps.js', 'index.js'];
const GOOGLE_NOTE = 'the helper parses a page titled Google instead of fetching www.google.com';

/** get-nodejs, get-nodejs14, get-python-36 ...: deploy helloget, call it. */
export function getHello(source: Source, id: string, runtime: string): OriginalCase {
  const file = runtime.startsWith('python') ? fx('python/helloget.py') : fx('nodejs/helloget.js');
  return { id, ...deploy(source, id, runtime, 'helloget.foo', file), checks: [helloWorld] };
}

export function customPort(source: Source, language: 'nodejs' | 'python', runtime: string): OriginalCase {
  const [id, port] =
    language === 'nodejs' ? ['get-nodejs-custom-port', '8083'] : ['get-python-custom-port', '8081'];
  const file = language === 'nodejs' ? fx('nodejs/helloget.js') : fx('python/helloget.py');
  return {
    id,
    ...deploy(source, id, runtime, 'helloget.foo', file, ['--port', port]),
    checks: [{ serviceTargetPort: Number(port) }, helloWorld],
  };
}

export function nodejsStream(source: Source, runtime: string): OriginalCase {
  return {
    id: 'get-nodejs-stream',
    ...deploy(source, 'get-nodejs-stream', runtime, 'hellostream.foo', fx('nodejs/hellostream.js'), [
      '--dependencies',
      fx('nodejs/package.json'),
    ]),
    deps: 'package.json (from2, end-of-stream)',
    checks: [helloWorld],
  };
}

/** get-nodejs-deps: the runtimes Makefile greps `hello.*world.*date`, the examples one adds `.*UTC`. */
export function nodejsDeps(source: Source, id: string, runtime: string, grep: RegExp): OriginalCase {
  return {
    id,
    ...deploy(source, id, runtime, 'helloget.handler', fx('nodejs/hellowithdeps.js'), [
      '--dependencies',
      fx('nodejs/package.json'),
    ]),
    deps: 'package.json (lodash)',
    checks: [{ call: ['--data', '{"hello": "world"}'], grep }],
  };
}

export function timeout(source: Source, language: 'nodejs' | 'python', runtime: string): OriginalCase {
  const id = `timeout-${language}`;
  const [file, seconds] = language === 'nodejs' ? [loopJs, '4'] : [loopPy, '3'];
  return {
    id,
    ...deploy(source, id, runtime, 'helloget.foo', file, ['--timeout', seconds]),
    checks: [timedOut],
  };
}

/** `zip helloFunctions.zip *js`, handler index.helloGet. */
export function nodejsMulti(source: Source, runtime: string, files: string[]): OriginalCase {
  return {
    id: 'get-nodejs-multi',
    ...deploy(source, 'get-nodejs-multi', runtime, 'index.helloGet', zipOf('nodejs', files)),
    checks: [helloWorld],
  };
}

/** helloFunctions.<format> deployed by URL (GitHub in the original, served by the test here). */
export function nodeUrl(
  source: Source,
  runtime: string,
  format: ArchiveFormat,
  query?: string,
): OriginalCase {
  const id = format === 'zip' ? 'get-node-url-zip' : `get-node-url-${format.replace('.', '-')}`;
  return {
    id,
    ...deploy(source, id, runtime, 'index.helloGet', { url: zipOf('nodejs', helloFunctions, format), query }),
    checks: [helloWorld],
    note: `helloFunctions.${format} is built from the fixtures and served by the test instead of GitHub`,
  };
}

export function post(source: Source, language: 'nodejs' | 'python', runtime: string): OriginalCase {
  const id = `post-${language}`;
  const file = language === 'nodejs' ? fx('nodejs/hellowithdata.js') : fx('python/hellowithdata.py');
  return { id, ...deploy(source, id, runtime, 'hellowithdata.handler', file), checks: [alive, eventInLogs] };
}

export function postPythonCustomPort(source: Source, runtime: string): OriginalCase {
  const id = 'post-python-custom-port';
  return {
    id,
    ...deploy(source, id, runtime, 'hellowithdata.handler', fx('python/hellowithdata.py'), [
      '--port',
      '8081',
    ]),
    checks: [{ serviceTargetPort: 8081 }, alive],
  };
}

/** get-python-deps and its tar variants: two modules in an archive, bs4 from requirements.txt. */
export function pythonDeps(source: Source, id: string, runtime: string, format: ArchiveFormat): OriginalCase {
  return {
    id,
    ...deploy(source, id, runtime, 'hellowithdeps.foo', zipOf('python', withDeps, format), [
      '--dependencies',
      fx('python/requirements.txt'),
    ]),
    deps: 'requirements.txt (bs4)',
    checks: [google],
    note: GOOGLE_NOTE,
  };
}

export function pythonUrlDeps(source: Source, runtime: string, format: ArchiveFormat): OriginalCase {
  return {
    id: 'get-python-url-deps',
    ...deploy(
      source,
      'get-python-url-deps',
      runtime,
      'hellowithdeps.foo',
      zipOf('python', withDeps, format),
      ['--dependencies', { url: fx('python/requirements.txt') }],
    ),
    deps: 'requirements.txt by URL',
    checks: [google],
    note: `requirements.txt is served by the test instead of raw.githubusercontent.com; ${GOOGLE_NOTE}`,
  };
}

export function scheduledPython(source: Source, runtime: string): OriginalCase {
  return {
    id: 'scheduled-get-python',
    ...deploy(source, 'scheduled-get-python', runtime, 'helloget.foo', fx('python/helloget.py'), [
      '--schedule',
      '* * * * *',
    ]),
    checks: [{ scheduledCallWithin: 70 }],
  };
}

export function pythonSecrets(source: Source, runtime: string): OriginalCase {
  const fn = deploy(source, 'get-python-secrets', runtime, 'helloget.foo', fx('python/helloget.py'), [
    '--secrets',
    'test-secret',
  ]);
  return {
    id: 'get-python-secrets',
    ...fn,
    deploy: [
      { kubectl: ['create', 'secret', 'generic', 'test-secret', '--from-literal=key=MY_KEY'], orTrue: true },
      ...fn.deploy,
    ],
    checks: [{ exec: ['cat', '/test-secret/key'], grep: /MY_KEY/ }],
    unsupportedLocally: /secret[\s\S]*local|local[\s\S]*secret/i,
  };
}

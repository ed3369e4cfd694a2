// The `test` targets of kubeless/runtimes' stable/nodejs and stable/python Makefiles, as data.
// Read from kubeless/runtimes at 325e024. Each case is a deploy target and its -verify target;
// the functions are our own equivalents in test/fixtures/original/examples.
//
// | target                 | runtime    | handler                 | deps / flags                       | verify                                  |
// | ---------------------- | ---------- | ----------------------- | ---------------------------------- | --------------------------------------- |
// | get-nodejs             | nodejs12   | helloget.foo            |                                    | call ~ hello.world                      |
// | get-nodejs14           | nodejs14   | helloget.foo            |                                    | call ~ hello.world                      |
// | get-node-url-zip       | nodejs12   | index.helloGet          | --from-file <zip URL>              | call ~ hello.world                      |
// | get-nodejs-custom-port | nodejs12   | helloget.foo            | --port 8083                        | svc targetPort 8083; call ~ hello.world |
// | get-nodejs-stream      | nodejs12   | hellostream.foo         | package.json (from2, end-of-stream)| call ~ hello.world                      |
// | timeout-nodejs         | nodejs12   | helloget.foo            | --timeout 4, endless loop          | call 2>&1 ~ Request.timeout.exceeded    |
// | get-nodejs-deps        | nodejs12   | helloget.handler        | package.json (lodash)              | call --data ~ hello.*world.*date        |
// | get-nodejs-multi       | nodejs12   | index.helloGet          | zip of *.js                        | call ~ hello.world                      |
// | post-nodejs            | nodejs12   | hellowithdata.handler   |                                    | call --data ~ it.*alive; event in logs  |
// | get-nodejs-extra-conf  | nodejs12   | helloget.foo            | --env NPM_CONFIG_EXTRA=foo:bar     | exec npm config list ~ foo:bar          |
// | nodejs-multipart       | nodejs12   | hello-multipart.handler | multipart-package.json (multer)    | curl -F via service proxy ~ hello world |
// | get-python-deps        | python3.6  | hellowithdeps.foo       | zip of 2 modules, bs4              | call ~ Google                           |
// | get-python-custom-port | python3.6  | helloget.foo            | --port 8081                        | svc targetPort 8081; call ~ hello.world |
// | get-python-36/37/38    | python3.x  | helloget.foo            |                                    | call ~ hello.world                      |
// | get-python-url-deps    | python3.6  | hellowithdeps.foo       | requirements.txt by URL            | call ~ Google                           |
// | scheduled-get-python   | python3.6  | helloget.foo            | --schedule "* * * * *"             | a GET answered 200 within 70 s          |
// | timeout-python         | python3.6  | helloget.foo            | --timeout 3, endless loop          | call 2>&1 ~ Request.timeout.exceeded    |
// | get-python-secrets     | python3.6  | helloget.foo            | --secrets test-secret              | exec cat /test-secret/key ~ MY_KEY      |
// | post-python            | python3.6  | hellowithdata.handler   |                                    | call --data ~ it.*alive; event in logs  |
// | post-python-custom-port| python3.6  | hellowithdata.handler   | --port 8081                        | svc targetPort 8081; call --data        |
// | python-preload         | python3.6  | preload.handler         | zip, --timeout 3, 4 s import       | call ~ hello.world                      |
// | (request.py)           | python3.8  | request.handler         | no target: its header comment      | curl -H -F ?greeting ~ Hola John        |
import { deploy, eventInLogs, fx, loopJs, loopPy, zipOf } from './case-kit.js';
import type { OriginalCase } from './types.js';

const NODE = 'kubeless/runtimes stable/nodejs' as const;
const PY = 'kubeless/runtimes stable/python' as const;

const helloWorld = { call: [], grep: /hello.world/ };
const alive = { call: ['--data', '{"it-s": "alive"}'], grep: /it.*alive/ };
const timedOut = { call: [], grep: /Request.timeout.exceeded/, withStderr: true };
/** `cd examples; zip helloFunctions.zip *js` */
const allJs = [
  'hello-multipart.js',
  'helloget.js',
  'hellostream.js',
  'hellowithdata.js',
  'hellowithdeps.js',
  'index.js',
];
/** The archive kubeless/kubeless keeps in examples/nodejs and the runtimes Makefile downloads. */
const helloFunctions = ['helloget.js', 'hellowithdata.js', 'hellowithdeps.js', 'index.js'];

export const runtimesCases: OriginalCase[] = [
  {
    id: 'get-nodejs',
    ...deploy(NODE, 'get-nodejs', 'nodejs12', 'helloget.foo', fx('nodejs/helloget.js')),
    checks: [helloWorld],
  },
  {
    id: 'get-nodejs14',
    ...deploy(NODE, 'get-nodejs14', 'nodejs14', 'helloget.foo', fx('nodejs/helloget.js')),
    checks: [helloWorld],
  },
  {
    id: 'get-node-url-zip',
    ...deploy(NODE, 'get-node-url-zip', 'nodejs12', 'index.helloGet', {
      url: zipOf('nodejs', helloFunctions),
      query: 'raw=true',
    }),
    checks: [helloWorld],
    note: 'the zip is served by the test instead of github.com',
  },
  {
    id: 'get-nodejs-custom-port',
    ...deploy(NODE, 'get-nodejs-custom-port', 'nodejs12', 'helloget.foo', fx('nodejs/helloget.js'), [
      '--port',
      '8083',
    ]),
    checks: [{ serviceTargetPort: 8083 }, helloWorld],
  },
  {
    id: 'get-nodejs-stream',
    ...deploy(NODE, 'get-nodejs-stream', 'nodejs12', 'hellostream.foo', fx('nodejs/hellostream.js'), [
      '--dependencies',
      fx('nodejs/package.json'),
    ]),
    deps: 'package.json',
    checks: [helloWorld],
  },
  {
    id: 'timeout-nodejs',
    ...deploy(NODE, 'timeout-nodejs', 'nodejs12', 'helloget.foo', loopJs, ['--timeout', '4']),
    checks: [timedOut],
  },
  {
    id: 'get-nodejs-deps',
    ...deploy(NODE, 'get-nodejs-deps', 'nodejs12', 'helloget.handler', fx('nodejs/hellowithdeps.js'), [
      '--dependencies',
      fx('nodejs/package.json'),
    ]),
    deps: 'package.json',
    checks: [{ call: ['--data', '{"hello": "world"}'], grep: /hello.*world.*date/ }],
  },
  {
    id: 'get-nodejs-multi',
    ...deploy(NODE, 'get-nodejs-multi', 'nodejs12', 'index.helloGet', zipOf('nodejs', allJs)),
    checks: [helloWorld],
  },
  {
    id: 'post-nodejs',
    ...deploy(NODE, 'post-nodejs', 'nodejs12', 'hellowithdata.handler', fx('nodejs/hellowithdata.js')),
    checks: [alive, eventInLogs],
  },
  {
    id: 'get-nodejs-extra-conf',
    ...deploy(NODE, 'nodejs-extra-conf', 'nodejs12', 'helloget.foo', fx('nodejs/helloget.js'), [
      '--env',
      'NPM_CONFIG_EXTRA=foo:bar',
    ]),
    checks: [
      {
        exec: ['npm', 'config', 'list'],
        grep: /foo:bar/,
        local: { functionEnv: { NPM_CONFIG_EXTRA: 'foo:bar' } },
      },
    ],
  },
  {
    id: 'nodejs-multipart',
    ...deploy(
      NODE,
      'hello-multipart',
      'nodejs12',
      'hello-multipart.handler',
      fx('nodejs/hello-multipart.js'),
      ['--dependencies', fx('nodejs/multipart-package.json')],
    ),
    deps: 'multipart-package.json',
    checks: [
      {
        multipart: [
          { name: 'prop', value: 'This is a normal prop' },
          { name: 'file', file: 'nodejs/resources/input.txt' },
        ],
        grep: /hello world/,
      },
    ],
  },
  {
    id: 'get-python-deps',
    ...deploy(
      PY,
      'get-python-deps',
      'python3.6',
      'hellowithdeps.foo',
      zipOf('python', ['hellowithdeps.py', 'hellowithdepshelper.py']),
      ['--dependencies', fx('python/requirements.txt')],
    ),
    deps: 'requirements.txt (bs4)',
    checks: [{ call: [], grep: /Google/ }],
    note: 'the helper parses a page titled Google instead of fetching www.google.com',
  },
  {
    id: 'get-python-custom-port',
    ...deploy(PY, 'get-python-custom-port', 'python3.6', 'helloget.foo', fx('python/helloget.py'), [
      '--port',
      '8081',
    ]),
    checks: [{ serviceTargetPort: 8081 }, helloWorld],
  },
  ...(['3.6', '3.7', '3.8'] as const).map((v): OriginalCase => ({
    id: `get-python-${v.replace('.', '')}`,
    ...deploy(PY, `get-python-${v.replace('.', '')}`, `python${v}`, 'helloget.foo', fx('python/helloget.py')),
    checks: [helloWorld],
  })),
  {
    id: 'get-python-url-deps',
    ...deploy(
      PY,
      'get-python-url-deps',
      'python3.6',
      'hellowithdeps.foo',
      zipOf('python', ['hellowithdeps.py', 'hellowithdepshelper.py']),
      ['--dependencies', { url: fx('python/requirements.txt') }],
    ),
    deps: 'requirements.txt by URL',
    checks: [{ call: [], grep: /Google/ }],
    note: 'requirements.txt is served by the test instead of raw.githubusercontent.com',
  },
  {
    id: 'scheduled-get-python',
    ...deploy(PY, 'scheduled-get-python', 'python3.6', 'helloget.foo', fx('python/helloget.py'), [
      '--schedule',
      '* * * * *',
    ]),
    checks: [{ scheduledCallWithin: 70 }],
  },
  {
    id: 'timeout-python',
    ...deploy(PY, 'timeout-python', 'python3.6', 'helloget.foo', loopPy, ['--timeout', '3']),
    checks: [timedOut],
  },
  {
    id: 'get-python-secrets',
    source: PY,
    runtime: 'python3.6',
    handler: 'helloget.foo',
    deploy: [
      { kubectl: ['create', 'secret', 'generic', 'test-secret', '--from-literal=key=MY_KEY'], orTrue: true },
      ...deploy(PY, 'get-python-secrets', 'python3.6', 'helloget.foo', fx('python/helloget.py'), [
        '--secrets',
        'test-secret',
      ]).deploy,
    ],
    checks: [{ exec: ['cat', '/test-secret/key'], grep: /MY_KEY/ }],
    unsupportedLocally: /secret[\s\S]*local|local[\s\S]*secret/i,
  },
  {
    id: 'post-python',
    ...deploy(PY, 'post-python', 'python3.6', 'hellowithdata.handler', fx('python/hellowithdata.py')),
    checks: [alive, eventInLogs],
  },
  {
    id: 'post-python-custom-port',
    ...deploy(
      PY,
      'post-python-custom-port',
      'python3.6',
      'hellowithdata.handler',
      fx('python/hellowithdata.py'),
      ['--port', '8081'],
    ),
    checks: [{ serviceTargetPort: 8081 }, alive],
  },
  {
    id: 'python-preload',
    ...deploy(
      PY,
      'python-preload',
      'python3.6',
      'preload.handler',
      zipOf('python', ['preload.py', 'preloadhelper.py']),
      ['--timeout', '3'],
    ),
    checks: [helloWorld],
  },
  {
    id: 'request.py (no target)',
    ...deploy(PY, 'python-request', 'python3.8', 'request.handler', fx('python/request.py')),
    checks: [
      {
        multipart: [
          { name: 'category', value: 'kubeless-compat' },
          { name: 'upload', file: 'nodejs/resources/input.txt' },
        ],
        headers: { 'Say-Hello-To': 'John' },
        query: 'greeting=Hola',
        grep: /Hola John/,
      },
    ],
    note: "no Makefile target: the call is the one the example's header comment gives",
  },
];

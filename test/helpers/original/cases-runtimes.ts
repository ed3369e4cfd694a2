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
// | python-preload         | python3.6  | preload.handler         | zip, --timeout 3, 4 s to load      | call ~ hello.world                      |
// | (request.py)           | python3.8  | request.handler         | no target: its header comment      | curl -H -F ?greeting ~ Hola John        |
import { deploy, fx, zipOf } from './case-kit.js';
import {
  customPort,
  getHello,
  helloWorld,
  nodejsDeps,
  nodejsMulti,
  nodejsStream,
  nodeUrl,
  post,
  postPythonCustomPort,
  pythonDeps,
  pythonSecrets,
  pythonUrlDeps,
  scheduledPython,
  timeout,
} from './shared-targets.js';
import type { OriginalCase } from './types.js';

const NODE = 'kubeless/runtimes stable/nodejs' as const;
const PY = 'kubeless/runtimes stable/python' as const;

/** `cd examples; zip helloFunctions.zip *js` */
const allJs = [
  'hello-multipart.js',
  'helloget.js',
  'hellostream.js',
  'hellowithdata.js',
  'hellowithdeps.js',
  'index.js',
];

export const runtimesCases: OriginalCase[] = [
  getHello(NODE, 'get-nodejs', 'nodejs12'),
  getHello(NODE, 'get-nodejs14', 'nodejs14'),
  // The Makefile downloads https://github.com/kubeless/kubeless/blob/master/examples/nodejs/helloFunctions.zip?raw=true
  nodeUrl(NODE, 'nodejs12', 'zip', 'raw=true'),
  customPort(NODE, 'nodejs', 'nodejs12'),
  nodejsStream(NODE, 'nodejs12'),
  timeout(NODE, 'nodejs', 'nodejs12'),
  nodejsDeps(NODE, 'get-nodejs-deps', 'nodejs12', /hello.*world.*date/),
  nodejsMulti(NODE, 'nodejs12', allJs),
  post(NODE, 'nodejs', 'nodejs12'),
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
    deps: 'multipart-package.json (multer)',
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
  pythonDeps(PY, 'get-python-deps', 'python3.6', 'zip'),
  customPort(PY, 'python', 'python3.6'),
  getHello(PY, 'get-python-36', 'python3.6'),
  getHello(PY, 'get-python-37', 'python3.7'),
  getHello(PY, 'get-python-38', 'python3.8'),
  pythonUrlDeps(PY, 'python3.6', 'zip'),
  scheduledPython(PY, 'python3.6'),
  timeout(PY, 'python', 'python3.6'),
  pythonSecrets(PY, 'python3.6'),
  post(PY, 'python', 'python3.6'),
  postPythonCustomPort(PY, 'python3.6'),
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

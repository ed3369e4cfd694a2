// The Node.js and Python targets of kubeless/kubeless examples/Makefile (read at 5f94538), and the
// manifests of examples/nodejs and examples/python, as data. Same fixtures as the runtimes cases:
// the two repositories' example functions are the same files.
//
// | target                      | runtime            | handler               | deps / flags                         | verify                                   |
// | --------------------------- | ------------------ | --------------------- | ------------------------------------ | ---------------------------------------- |
// | get-python                  | python3.7          | helloget.foo          |                                      | call ~ hello.world; top ~ total_calls    |
// | get-python-update           | (same function)    |                       | update --from-file                   | call ~ hello.world.updated               |
// | get-python-deps             | python3.7          | hellowithdeps.foo     | zip, requirements.txt (bs4)          | call ~ Google                            |
// | get-python-deps-tar-gz/bz2/xz | python3.7        | hellowithdeps.foo     | tar.gz / tar.bz2 / tar.xz            | call ~ Google                            |
// | get-python-custom-port      | python3.7          | helloget.foo          | --port 8081                          | svc targetPort 8081; call ~ hello.world  |
// | get-python-deps-update      | (get-python-deps)  |                       | update --dependencies (bs4, twitter) | exec pip freeze ~ twitter==              |
// | get-python-url-deps         | python3.7          | hellowithdeps.foo     | .tgz, requirements.txt by URL        | call ~ Google                            |
// | get-node-url-zip/tar-gz/tar-bz2/tar-xz | nodejs10 | index.helloGet       | --from-file <archive URL>            | call ~ hello.world                       |
// | scheduled-get-python        | python3.7          | helloget.foo          | --schedule "* * * * *"               | a GET answered 200 within 70 s           |
// | timeout-python              | python3.7          | helloget.foo          | --timeout 3                          | call 2>&1 ~ Request.timeout.exceeded     |
// | get-nodejs                  | nodejs10           | helloget.foo          |                                      | call ~ hello.world                       |
// | get-nodejs-custom-port      | nodejs10           | helloget.foo          | --port 8083                          | svc targetPort 8083; call ~ hello.world  |
// | get-nodejs-stream           | nodejs10           | hellostream.foo       | package.json                         | call ~ hello.world                       |
// | timeout-nodejs              | nodejs10           | helloget.foo          | --timeout 4                          | call 2>&1 ~ Request.timeout.exceeded     |
// | get-nodejs-deps             | nodejs10           | helloget.handler      | package.json (lodash)                | call --data ~ hello.*world.*date.*UTC    |
// | get-nodejs-multi            | nodejs10           | index.helloGet        | zip of *.js                          | call ~ hello.world                       |
// | get-python-metadata         | python3.7          | helloget.foo          | --env foo:bar,bar=foo --memory 128Mi --label foo:bar,bar=foo,foobar | call; pod env and labels |
// | get-python-secrets          | python3.7          | helloget.foo          | --secrets test-secret                | exec cat /test-secret/key ~ MY_KEY       |
// | post-python                 | python3.7          | hellowithdata.handler |                                      | call --data ~ it.*alive; event in logs   |
// | post-python-custom-port     | python3.7          | hellowithdata.handler | --port 8081                          | svc targetPort 8081; call --data         |
// | post-nodejs                 | nodejs10           | hellowithdata.handler |                                      | call --data ~ it.*alive; event in logs   |
// | get-nodejs-distroless       | nodejs_distroless8 | helloget.foo          |                                      | call ~ hello.world                       |
// | get-nodejs-distroless-deps  | nodejs_distroless8 | helloget.handler      | package.json                         | call --data ~ hello.*world.*date.*UTC    |
// | nodejs/function.yaml        | nodejs6            | handler.hello         | kubectl apply (no target)            | call ~ Hello World                       |
// | nodejs/function1.yaml       | nodejs8            | handler.foobar        | kubectl apply over the previous      | call --data ~ it.*alive                  |
// | python/function.yaml        | python3.7          | hello.handler         | kubectl apply, handler()             | call ~ hello world                       |
// | python/function1.yaml       | python3.7          | hello.foobar          | kubectl apply, deps cowpy, foobar()  | call ~ hello world - with a (fails 7%)   |
// | pubsub-python               | python3.7          | pubsub.handler        | topic s3-python, KafkaTrigger        | publish; log ~ token and event fields    |
// | pubsub-nodejs               | nodejs10           | pubsub-nodejs.handler | topic s3-nodejs, KafkaTrigger        | publish; log ~ token                     |
// | pubsub-nodejs-update        | (pubsub-nodejs)    |                       | trigger kafka update, s3-nodejs-2    | publish; log ~ token                     |
// | kafka-python-func1/2-topic-s3-python | python3.7 | pubsub.handler        | --label topic=s3-python, one trigger | publish; each log ~ token                |
import { deploy, eventInLogs, fx, loopJs, loopPy, zipOf } from './case-kit.js';
import type { Check, OriginalCase } from './types.js';

const EX = 'kubeless/kubeless examples' as const;

const helloWorld: Check = { call: [], grep: /hello.world/ };
const google: Check = { call: [], grep: /Google/ };
const alive: Check = { call: ['--data', '{"it-s": "alive"}'], grep: /it.*alive/ };
const timedOut: Check = { call: [], grep: /Request.timeout.exceeded/, withStderr: true };
const withDeps = ['hellowithdeps.py', 'hellowithdepshelper.py'];
const helloFunctions = ['helloget.js', 'hellowithdata.js', 'hellowithdeps.js', 'index.js'];
const requirements = ['--dependencies', fx('python/requirements.txt')];
const packageJson = ['--dependencies', fx('nodejs/package.json')];
/**
 * The Makefile greps `hello.*world.*date.*UTC`: Node.js 10 printed toTimeString()'s zone as
 * "(UTC)"; since Node.js 13 (full ICU) it is "(Coordinated Universal Time)", on any platform.
 */
const dateUtc: Check = {
  call: ['--data', '{"hello": "world"}'],
  grep: /hello.*world.*date.*(UTC|Coordinated Universal Time)/,
};
/** The pubsub targets' verify: the token in the log, then the Kafka event fields. */
const kafkaEvent = [
  /event-time.*UTC/,
  /event-type.*application\/json/,
  /event-namespace.*kafkatriggers.kubeless.io/,
  /event-id.*/,
];

function pythonDeps(id: string, format: 'zip' | 'tar.gz' | 'tar.bz2' | 'tar.xz'): OriginalCase {
  return {
    id,
    ...deploy(EX, id, 'python3.7', 'hellowithdeps.foo', zipOf('python', withDeps, format), requirements),
    deps: 'requirements.txt (bs4)',
    checks: [google],
    note: 'the helper parses a page titled Google instead of fetching www.google.com',
  };
}

function nodeUrl(id: string, format: 'zip' | 'tar.gz' | 'tar.bz2' | 'tar.xz'): OriginalCase {
  return {
    id,
    ...deploy(EX, id, 'nodejs10', 'index.helloGet', { url: zipOf('nodejs', helloFunctions, format) }),
    checks: [helloWorld],
    note: `helloFunctions.${format} is built from the fixtures and served by the test instead of GitHub`,
  };
}

function pubsub(
  id: string,
  runtime: string,
  handler: string,
  file: string,
  topic: string,
  message: string,
): OriginalCase {
  return {
    id,
    source: EX,
    name: id,
    runtime,
    handler,
    kafka: true,
    deploy: [
      { kubeless: ['topic', 'create', topic], orTrue: true },
      ...deploy(EX, id, runtime, handler, fx(file)).deploy,
      {
        kubeless: [
          'trigger',
          'kafka',
          'create',
          id,
          '--function-selector',
          `created-by=kubeless,function=${id}`,
          '--trigger-topic',
          topic,
        ],
      },
    ],
    checks: [{ publish: { topic, message }, logs: runtime.startsWith('python') ? kafkaEvent : [] }],
  };
}

function labelledPubsub(id: string): OriginalCase {
  const fn = deploy(EX, id, 'python3.7', 'pubsub.handler', fx('python/hellowithdata.py'), [
    '--label',
    'topic=s3-python',
  ]);
  return {
    id,
    ...fn,
    kafka: true,
    deploy: [{ kubeless: ['topic', 'create', 's3-python'], orTrue: true }, ...fn.deploy],
    checks: [{ publish: { topic: 's3-python', message: '{"payload":"$(DATA)"}' }, logs: [] }],
  };
}

export const examplesCases: OriginalCase[] = [
  {
    id: 'get-python',
    ...deploy(EX, 'get-python', 'python3.7', 'helloget.foo', fx('python/helloget.py')),
    checks: [helloWorld, { top: /total_calls.*[1-100000]/ }],
  },
  {
    id: 'get-python-update',
    source: EX,
    name: 'get-python',
    runtime: 'python3.7',
    handler: 'helloget.foo',
    deploy: [],
    then: [
      {
        kubeless: [
          'function',
          'update',
          'get-python',
          '--from-file',
          { text: 'def foo(event, context):\n    return "hello world updated"\n', named: 'hello-updated.py' },
        ],
      },
    ],
    checks: [{ call: [], grep: /hello.world.updated/ }],
  },
  pythonDeps('get-python-deps', 'zip'),
  pythonDeps('get-python-deps-tar-gz', 'tar.gz'),
  pythonDeps('get-python-deps-tar-bz2', 'tar.bz2'),
  pythonDeps('get-python-deps-tar-xz', 'tar.xz'),
  {
    id: 'get-python-custom-port',
    ...deploy(EX, 'get-python-custom-port', 'python3.7', 'helloget.foo', fx('python/helloget.py'), [
      '--port',
      '8081',
    ]),
    checks: [{ serviceTargetPort: 8081 }, helloWorld],
  },
  {
    id: 'get-python-deps-update',
    source: EX,
    name: 'get-python-deps',
    runtime: 'python3.7',
    handler: 'hellowithdeps.foo',
    deps: 'bs4, twitter',
    deploy: [],
    then: [
      {
        kubeless: [
          'function',
          'update',
          'get-python-deps',
          '--dependencies',
          { text: 'bs4\ntwitter\n', named: 'requirements.txt' },
        ],
      },
    ],
    checks: [{ exec: ['pip', 'freeze'], grep: /twitter==/, local: { functionDeps: /twitter/ } }, google],
    note: 'also calls the function again after the update (the original only ran pip freeze)',
  },
  {
    id: 'get-python-url-deps',
    ...deploy(EX, 'get-python-url-deps', 'python3.7', 'hellowithdeps.foo', zipOf('python', withDeps, 'tgz'), [
      '--dependencies',
      { url: fx('python/requirements.txt') },
    ]),
    deps: 'requirements.txt by URL',
    checks: [google],
    note: 'requirements.txt is served by the test instead of raw.githubusercontent.com',
  },
  nodeUrl('get-node-url-zip', 'zip'),
  nodeUrl('get-node-url-tar-gz', 'tar.gz'),
  nodeUrl('get-node-url-tar-bz2', 'tar.bz2'),
  nodeUrl('get-node-url-tar-xz', 'tar.xz'),
  {
    id: 'scheduled-get-python',
    ...deploy(EX, 'scheduled-get-python', 'python3.7', 'helloget.foo', fx('python/helloget.py'), [
      '--schedule',
      '* * * * *',
    ]),
    checks: [{ scheduledCallWithin: 70 }],
  },
  {
    id: 'timeout-python',
    ...deploy(EX, 'timeout-python', 'python3.7', 'helloget.foo', loopPy, ['--timeout', '3']),
    checks: [timedOut],
  },
  {
    id: 'get-nodejs',
    ...deploy(EX, 'get-nodejs', 'nodejs10', 'helloget.foo', fx('nodejs/helloget.js')),
    checks: [helloWorld],
  },
  {
    id: 'get-nodejs-custom-port',
    ...deploy(EX, 'get-nodejs-custom-port', 'nodejs10', 'helloget.foo', fx('nodejs/helloget.js'), [
      '--port',
      '8083',
    ]),
    checks: [{ serviceTargetPort: 8083 }, helloWorld],
  },
  {
    id: 'get-nodejs-stream',
    ...deploy(
      EX,
      'get-nodejs-stream',
      'nodejs10',
      'hellostream.foo',
      fx('nodejs/hellostream.js'),
      packageJson,
    ),
    deps: 'package.json',
    checks: [helloWorld],
  },
  {
    id: 'timeout-nodejs',
    ...deploy(EX, 'timeout-nodejs', 'nodejs10', 'helloget.foo', loopJs, ['--timeout', '4']),
    checks: [timedOut],
  },
  {
    id: 'get-nodejs-deps',
    ...deploy(
      EX,
      'get-nodejs-deps',
      'nodejs10',
      'helloget.handler',
      fx('nodejs/hellowithdeps.js'),
      packageJson,
    ),
    deps: 'package.json',
    checks: [dateUtc],
  },
  {
    id: 'get-nodejs-multi',
    ...deploy(
      EX,
      'get-nodejs-multi',
      'nodejs10',
      'index.helloGet',
      zipOf('nodejs', ['helloget.js', 'hellostream.js', 'hellowithdata.js', 'hellowithdeps.js', 'index.js']),
    ),
    checks: [helloWorld],
  },
  {
    id: 'get-python-metadata',
    ...deploy(EX, 'get-python-metadata', 'python3.7', 'helloget.foo', fx('python/helloget.py'), [
      '--env',
      'foo:bar,bar=foo',
      '--memory',
      '128Mi',
      '--label',
      'foo:bar,bar=foo,foobar',
    ]),
    checks: [
      helloWorld,
      { podEnv: { foo: 'bar', bar: 'foo' } },
      { podLabels: { foo: 'bar', bar: 'foo', foobar: '' } },
    ],
  },
  {
    id: 'get-python-secrets',
    source: EX,
    runtime: 'python3.7',
    handler: 'helloget.foo',
    name: 'get-python-secrets',
    deploy: [
      { kubectl: ['create', 'secret', 'generic', 'test-secret', '--from-literal=key=MY_KEY'], orTrue: true },
      ...deploy(EX, 'get-python-secrets', 'python3.7', 'helloget.foo', fx('python/helloget.py'), [
        '--secrets',
        'test-secret',
      ]).deploy,
    ],
    checks: [{ exec: ['cat', '/test-secret/key'], grep: /MY_KEY/ }],
    unsupportedLocally: /secret[\s\S]*local|local[\s\S]*secret/i,
  },
  {
    id: 'post-python',
    ...deploy(EX, 'post-python', 'python3.7', 'hellowithdata.handler', fx('python/hellowithdata.py')),
    checks: [alive, eventInLogs],
  },
  {
    id: 'post-python-custom-port',
    ...deploy(
      EX,
      'post-python-custom-port',
      'python3.7',
      'hellowithdata.handler',
      fx('python/hellowithdata.py'),
      ['--port', '8081'],
    ),
    checks: [{ serviceTargetPort: 8081 }, alive],
  },
  {
    id: 'post-nodejs',
    ...deploy(EX, 'post-nodejs', 'nodejs10', 'hellowithdata.handler', fx('nodejs/hellowithdata.js')),
    checks: [alive, eventInLogs],
  },
  {
    id: 'get-nodejs-distroless',
    ...deploy(EX, 'get-nodejs-distroless', 'nodejs_distroless8', 'helloget.foo', fx('nodejs/helloget.js')),
    checks: [helloWorld],
  },
  {
    id: 'get-nodejs-distroless-deps',
    ...deploy(
      EX,
      'get-nodejs-distroless-deps',
      'nodejs_distroless8',
      'helloget.handler',
      fx('nodejs/hellowithdeps.js'),
      packageJson,
    ),
    deps: 'package.json',
    checks: [dateUtc],
  },
  {
    id: 'nodejs/function.yaml',
    source: EX,
    name: 'hello',
    runtime: 'nodejs6',
    handler: 'handler.hello',
    deploy: [{ apply: fx('nodejs/function.yaml') }],
    checks: [{ call: [], grep: /Hello World/ }],
    note: 'no Makefile target: applied with kubectl and called',
  },
  {
    id: 'nodejs/function1.yaml',
    source: EX,
    name: 'hello',
    runtime: 'nodejs8',
    handler: 'handler.foobar',
    deploy: [],
    then: [{ apply: fx('nodejs/function1.yaml') }],
    checks: [alive],
    note: 'no Makefile target: applied over function.yaml (same name), as the two files are written',
  },
  {
    id: 'python/function.yaml',
    source: EX,
    name: 'function',
    runtime: 'python3.7',
    handler: 'hello.handler',
    deploy: [{ apply: fx('python/function.yaml') }],
    checks: [{ call: [], grep: /hello world/ }],
    note: 'no Makefile target; apiVersion kubeless.io/v1beta1 where the original still said k8s.io/v1',
  },
  {
    id: 'python/function1.yaml',
    source: EX,
    name: 'function1',
    runtime: 'python3.7',
    handler: 'hello.foobar',
    deps: 'cowpy (inline)',
    deploy: [{ apply: fx('python/function1.yaml') }],
    checks: [{ callUntil: /hello world - with a/, tries: 5 }],
    note: 'no Makefile target; it fails at random on purpose (negative sleep), so up to 5 calls',
  },
  pubsub(
    'pubsub-python',
    'python3.7',
    'pubsub.handler',
    'python/hellowithdata.py',
    's3-python',
    '{"payload":"$(DATA)"}',
  ),
  pubsub(
    'pubsub-nodejs',
    'nodejs10',
    'pubsub-nodejs.handler',
    'nodejs/hellowithdata.js',
    's3-nodejs',
    '{"test": "$(DATA)"}',
  ),
  {
    id: 'pubsub-nodejs-update',
    source: EX,
    name: 'pubsub-nodejs',
    runtime: 'nodejs10',
    handler: 'pubsub-nodejs.handler',
    kafka: true,
    deploy: [],
    then: [
      { kubeless: ['topic', 'create', 's3-nodejs-2'], orTrue: true },
      { kubeless: ['trigger', 'kafka', 'update', 'pubsub-nodejs', '--trigger-topic', 's3-nodejs-2'] },
    ],
    checks: [{ publish: { topic: 's3-nodejs-2', message: '{"test": "$(DATA)"}' }, logs: [] }],
  },
  labelledPubsub('kafka-python-func1-topic-s3-python'),
  {
    ...labelledPubsub('kafka-python-func2-topic-s3-python'),
    // s3-python-kafka-trigger: one trigger for both labelled functions.
    deploy: [
      ...labelledPubsub('kafka-python-func2-topic-s3-python').deploy,
      {
        kubeless: [
          'trigger',
          'kafka',
          'create',
          's3-python-kafka-trigger',
          '--function-selector',
          'created-by=kubeless,topic=s3-python',
          '--trigger-topic',
          's3-python',
        ],
      },
    ],
  },
];

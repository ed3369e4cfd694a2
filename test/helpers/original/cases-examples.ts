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
import { deploy, fx } from './case-kit.js';
import {
  alive,
  customPort,
  getHello,
  google,
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

const EX = 'kubeless/kubeless examples' as const;

/**
 * The Makefile greps `hello.*world.*date.*UTC`: Node.js 10 printed toTimeString()'s zone as
 * "(UTC)"; since Node.js 13 (full ICU) it is "(Coordinated Universal Time)", on any platform.
 */
const dateUtc = /hello.*world.*date.*(UTC|Coordinated Universal Time)/;
/** The pubsub targets' verify: the token in the log, then the Kafka event fields. */
const kafkaEvent = [
  /event-time.*UTC/,
  /event-type.*application\/json/,
  /event-namespace.*kafkatriggers.kubeless.io/,
  /event-id.*/,
];

function pubsub(
  id: string,
  runtime: string,
  handler: string,
  file: string,
  topic: string,
  message: string,
): OriginalCase {
  const fn = deploy(EX, id, runtime, handler, fx(file));
  return {
    id,
    ...fn,
    kafka: true,
    deploy: [
      { kubeless: ['topic', 'create', topic], orTrue: true },
      ...fn.deploy,
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
    checks: [{ publish: { topic, message }, eventFields: runtime.startsWith('python') ? kafkaEvent : [] }],
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
    checks: [{ publish: { topic: 's3-python', message: '{"payload":"$(DATA)"}' }, eventFields: [] }],
  };
}

/** A later target on a function an earlier case deployed. */
function update(id: string, name: string, runtime: string, handler: string, then: OriginalCase['then']) {
  return { id, source: EX, name, runtime, handler, deploy: [], then };
}

export const examplesCases: OriginalCase[] = [
  { ...getHello(EX, 'get-python', 'python3.7'), checks: [helloWorld, { top: /total_calls.*[1-100000]/ }] },
  {
    ...update('get-python-update', 'get-python', 'python3.7', 'helloget.foo', [
      {
        kubeless: [
          'function',
          'update',
          'get-python',
          '--from-file',
          { text: 'def foo(event, context):\n    return "hello world updated"\n', named: 'hello-updated.py' },
        ],
      },
    ]),
    checks: [{ call: [], grep: /hello.world.updated/ }],
  },
  pythonDeps(EX, 'get-python-deps', 'python3.7', 'zip'),
  pythonDeps(EX, 'get-python-deps-tar-gz', 'python3.7', 'tar.gz'),
  pythonDeps(EX, 'get-python-deps-tar-bz2', 'python3.7', 'tar.bz2'),
  pythonDeps(EX, 'get-python-deps-tar-xz', 'python3.7', 'tar.xz'),
  customPort(EX, 'python', 'python3.7'),
  {
    ...update('get-python-deps-update', 'get-python-deps', 'python3.7', 'hellowithdeps.foo', [
      {
        kubeless: [
          'function',
          'update',
          'get-python-deps',
          '--dependencies',
          { text: 'bs4\ntwitter\n', named: 'requirements.txt' },
        ],
      },
    ]),
    deps: 'bs4, twitter',
    checks: [{ exec: ['pip', 'freeze'], grep: /twitter==/, local: { functionDeps: /twitter/ } }, google],
    note: 'also calls the function again after the update (the original only ran pip freeze)',
  },
  pythonUrlDeps(EX, 'python3.7', 'tgz'),
  nodeUrl(EX, 'nodejs10', 'zip'),
  nodeUrl(EX, 'nodejs10', 'tar.gz'),
  nodeUrl(EX, 'nodejs10', 'tar.bz2'),
  nodeUrl(EX, 'nodejs10', 'tar.xz'),
  scheduledPython(EX, 'python3.7'),
  timeout(EX, 'python', 'python3.7'),
  getHello(EX, 'get-nodejs', 'nodejs10'),
  customPort(EX, 'nodejs', 'nodejs10'),
  nodejsStream(EX, 'nodejs10'),
  timeout(EX, 'nodejs', 'nodejs10'),
  nodejsDeps(EX, 'get-nodejs-deps', 'nodejs10', dateUtc),
  nodejsMulti(EX, 'nodejs10', [
    'helloget.js',
    'hellostream.js',
    'hellowithdata.js',
    'hellowithdeps.js',
    'index.js',
  ]),
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
  pythonSecrets(EX, 'python3.7'),
  post(EX, 'python', 'python3.7'),
  postPythonCustomPort(EX, 'python3.7'),
  post(EX, 'nodejs', 'nodejs10'),
  getHello(EX, 'get-nodejs-distroless', 'nodejs_distroless8'),
  nodejsDeps(EX, 'get-nodejs-distroless-deps', 'nodejs_distroless8', dateUtc),
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
    ...update('nodejs/function1.yaml', 'hello', 'nodejs8', 'handler.foobar', [
      { apply: fx('nodejs/function1.yaml') },
    ]),
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
    ...update('pubsub-nodejs-update', 'pubsub-nodejs', 'nodejs10', 'pubsub-nodejs.handler', [
      { kubeless: ['topic', 'create', 's3-nodejs-2'], orTrue: true },
      { kubeless: ['trigger', 'kafka', 'update', 'pubsub-nodejs', '--trigger-topic', 's3-nodejs-2'] },
    ]),
    kafka: true,
    checks: [{ publish: { topic: 's3-nodejs-2', message: '{"test": "$(DATA)"}' }, eventFields: [] }],
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

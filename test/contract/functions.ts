// The Functions of the contract cases (cases.ts), created once on each platform and in parallel.

/** The Functions every case uses. */
export const FUNCTIONS: ReadonlyArray<{ name: string; spec: Record<string, unknown> }> = [
  {
    // Tells what it received: method, path, query, the event fields, the request's headers, the data.
    name: 'echo',
    spec: {
      runtime: 'nodejs20',
      handler: 'echo.handler',
      function: `module.exports.handler = (event) => {
  const req = event.extensions.request;
  const res = event.extensions.response;
  if (req.headers['x-log']) console.log('contract-log ' + req.headers['x-log']);
  res.set('x-function', 'echo');
  if (req.query.status) res.status(Number(req.query.status));
  return {
    method: req.method,
    path: req.path,
    query: req.query,
    event: { id: event['event-id'], type: event['event-type'], time: event['event-time'], namespace: event['event-namespace'] },
    headers: req.headers,
    data: Buffer.isBuffer(event.data) ? { bytes: event.data.length } : event.data,
  };
};
`,
    },
  },
  {
    name: 'echo-py',
    spec: {
      runtime: 'python3.11',
      handler: 'echo.handler',
      function: `def handler(event, context):
    req = event['extensions']['request']
    if req.get_header('x-log'):
        print('contract-log ' + req.get_header('x-log'), flush=True)
    data = event['data']
    return {
        'method': req.method,
        'path': req.path,
        'event': {k[6:]: event[k] for k in ('event-id', 'event-type', 'event-time', 'event-namespace')},
        'headers': {k.lower(): v for k, v in req.headers.items()},
        'data': {'bytes': len(data)} if isinstance(data, (bytes, bytearray)) else data,
    }
`,
    },
  },
  {
    // The runtime's own limit raised for this Function (1 MiB by default).
    name: 'big',
    spec: {
      runtime: 'nodejs20',
      handler: 'big.handler',
      function: `module.exports.handler = (event) => ({ bytes: event.data.length });\n`,
      deployment: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'big', env: [{ name: 'KUBELESS_BODY_LIMIT', value: String(3 * 1024 * 1024) }] },
              ],
            },
          },
        },
      },
    },
  },
  {
    name: 'slow',
    spec: {
      runtime: 'nodejs20',
      handler: 'slow.handler',
      timeout: '1',
      function: `module.exports.handler = () => new Promise((r) => setTimeout(() => r('late'), 5000));\n`,
    },
  },
  {
    // Never answers: the process stops itself (a helper wakes it 10 s later, before the kubelet's readiness probe gives up on it), so not even the
    // runtime's 408 comes; only the invoke proxy's deadline ends the call.
    name: 'stall',
    spec: {
      runtime: 'nodejs20',
      handler: 'stall.handler',
      timeout: '1',
      function: `const { spawn } = require('node:child_process');
module.exports.handler = () => {
  const wake = 'setTimeout(() => process.kill(' + process.pid + ', "SIGCONT"), 10000)';
  spawn(process.execPath, ['-e', wake], { detached: true, stdio: 'ignore' }).unref();
  process.kill(process.pid, 'SIGSTOP');
  return 'woken';
};
`,
    },
  },
  {
    name: 'throws',
    spec: {
      runtime: 'nodejs20',
      handler: 'throws.handler',
      function: `module.exports.handler = () => { throw new Error('contract-boom'); };\n`,
    },
  },
  {
    // Fails at import: the runtime exits 3 (ADR 0001), the Function never serves.
    name: 'broken',
    spec: {
      runtime: 'nodejs20',
      handler: 'broken.handler',
      function: `throw new Error('contract-load-failure');\n`,
    },
  },
];

/** A Function name that is never created. */
export const MISSING = 'contract-missing';

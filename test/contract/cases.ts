// The Function contract as a caller meets it, one list for both platforms (issue 19): each case
// names a Function of functions.ts, the request a user sends through the API, and what the user must see.
// test/contract/suite.ts runs the list against a PlatformDriver; the local platform's run is in
// `npm test`, the real node's in `npm run test:e2e`. A platform that answers otherwise is a bug
// to fix in lib/, so both agree; only a difference inherent to a platform is written down in a
// case's `differs`, with why.
import type { PlatformName } from './driver.js';
import { MISSING } from './functions.js';

/** What the caller sees from one call. */
export interface Expectation {
  status: number;
  /** A Kubernetes Status with this reason (the platform made the answer), or a plain answer (undefined). */
  statusReason?: string;
  /** Answer headers: a value or RegExp each; null = absent. */
  headers?: Record<string, string | RegExp | null>;
  /** A subset of the JSON answer (jest's toMatchObject, asymmetric matchers allowed). */
  json?: Record<string, unknown>;
  /** The answer came after at least this many seconds (a deadline was waited for, not skipped). */
  atLeastSeconds?: number;
}

export interface InvokeCase {
  title: string;
  fn: string;
  request: {
    method?: string;
    /** Path and query after /invoke, what the function sees. */
    path?: string;
    headers?: Record<string, string>;
    body?: string | (() => Buffer);
  };
  see: Expectation;
  /** An inherent difference of one platform: what it shows instead, and why that is right. */
  differs?: Partial<Record<PlatformName, { see: Expectation; why: string }>>;
  /** Platforms where the case's Function cannot do what the case needs, with why. */
  cannotRunOn?: Partial<Record<PlatformName, string>>;
}

const RFC3339_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const MIB = 1024 * 1024;

/** A call without event headers, and the event fields the function must see (both runtimes). */
const EVENT_FIELDS_FILLED_IN: Pick<InvokeCase, 'request' | 'see'> = {
  request: { headers: { 'content-type': 'application/json' }, body: '{}' },
  see: {
    status: 200,
    json: {
      event: {
        id: /^\S{8,}$/,
        type: 'application/json',
        time: RFC3339_MS,
        namespace: 'subresources.kubeless.io',
      },
    },
  },
};

export const INVOKE_CASES: readonly InvokeCase[] = [
  {
    title: 'a JSON body reaches a Node.js function parsed; its value comes back as JSON with 200',
    fn: 'echo',
    request: { headers: { 'content-type': 'application/json' }, body: '{"n":1}' },
    see: {
      status: 200,
      headers: { 'content-type': /^application\/json/ },
      json: { method: 'POST', path: '/', data: { n: 1 } },
    },
  },
  {
    title: 'a JSON body reaches a Python function parsed; its value comes back as JSON with 200',
    fn: 'echo-py',
    request: { headers: { 'content-type': 'application/json' }, body: '{"n":1}' },
    see: {
      status: 200,
      headers: { 'content-type': /^application\/json/ },
      json: { method: 'POST', path: '/', data: { n: 1 } },
    },
  },
  {
    title:
      'a JSON body without a Content-Type (kubectl create --raw) reaches the function as application/json',
    fn: 'echo',
    request: { body: '{"raw":true}' },
    see: { status: 200, json: { headers: { 'content-type': 'application/json' }, data: { raw: true } } },
  },
  {
    title: 'the method, path and query after /invoke reach the function',
    fn: 'echo',
    request: { method: 'GET', path: '/a/b?x=1&y=two' },
    see: { status: 200, json: { method: 'GET', path: '/a/b', query: { x: '1', y: 'two' } } },
  },
  {
    title: "the function's own status code and headers pass through untouched (no Status made of them)",
    fn: 'echo',
    request: { method: 'GET', path: '/?status=418' },
    see: { status: 418, headers: { 'x-function': 'echo', 'kubeless-error': null }, json: { method: 'GET' } },
  },
  {
    title:
      'the Kubeless event fields are filled in: a new id, the type, the time, the invoke subresource as namespace',
    fn: 'echo',
    ...EVENT_FIELDS_FILLED_IN,
  },
  {
    title: 'the same event fields reach a Python function',
    fn: 'echo-py',
    ...EVENT_FIELDS_FILLED_IN,
  },
  {
    title: "a caller's own event headers and custom headers reach the function as sent",
    fn: 'echo',
    request: {
      headers: {
        'content-type': 'text/plain',
        'event-id': 'contract-id-1',
        'event-type': 'text/plain',
        'x-contract': 'yes',
      },
      body: 'hi',
    },
    see: {
      status: 200,
      json: {
        event: { id: 'contract-id-1', type: 'text/plain' },
        headers: { 'x-contract': 'yes' },
        data: 'hi',
      },
    },
  },
  {
    title: "a body over the function's limit (1 MiB by default) is refused: 413 RequestEntityTooLarge",
    fn: 'echo',
    request: {
      headers: { 'content-type': 'application/octet-stream' },
      body: () => Buffer.alloc(MIB + 1, 120),
    },
    see: { status: 413, statusReason: 'RequestEntityTooLarge' },
  },
  {
    title: 'a function that raised KUBELESS_BODY_LIMIT takes a body over 1 MiB',
    fn: 'big',
    request: {
      headers: { 'content-type': 'application/octet-stream' },
      body: () => Buffer.alloc(2 * MIB, 120),
    },
    see: { status: 200, json: { bytes: 2 * MIB } },
  },
  {
    title: 'past spec.timeout the runtime gives up: 408 Timeout',
    fn: 'slow',
    request: { method: 'GET' },
    see: { status: 408, statusReason: 'Timeout', atLeastSeconds: 1 },
  },
  {
    title: 'a handler that throws: 500 InternalError',
    fn: 'throws',
    request: { method: 'GET' },
    see: { status: 500, statusReason: 'InternalError' },
  },
  {
    title: 'a function that never answers: 504 Timeout once spec.timeout plus 5 s have passed',
    fn: 'stall',
    request: { method: 'GET' },
    see: { status: 504, statusReason: 'Timeout', atLeastSeconds: 6 },
    cannotRunOn: {
      // Seen on the real node: the call answered 200 at once. The proxy's 504 is lib/invoke's, the
      // same code on both platforms; a way to stall PID 1 is still to be found.
      'real-node': "the runtime is its container's PID 1, which ignores the SIGSTOP it sends itself",
    },
  },
  {
    title: 'a Function that does not exist: 404 NotFound',
    fn: MISSING,
    request: { method: 'GET' },
    see: { status: 404, statusReason: 'NotFound' },
  },
  {
    title: 'a Function that cannot start: 503 ServiceUnavailable',
    fn: 'broken',
    request: { method: 'GET' },
    see: { status: 503, statusReason: 'ServiceUnavailable' },
  },
];

export interface ReadyCase {
  fn: string;
  status: 'True' | 'False';
  reason: string;
  /** The condition's message contains this (what the user reads to act). */
  message?: RegExp;
  differs?: Partial<Record<PlatformName, { reason: string; message?: RegExp; why: string }>>;
}

export const READY_CASES: readonly ReadyCase[] = [
  ...['echo', 'echo-py', 'big', 'slow', 'stall', 'throws'].map((fn): ReadyCase => ({
    fn,
    status: 'True',
    reason: 'DeploymentAvailable',
    differs: { local: { reason: 'Ready', why: 'until one set of condition reasons lands (issue 19)' } },
  })),
  {
    fn: 'broken',
    status: 'False',
    reason: 'CrashLoopBackOff',
    differs: {
      local: {
        reason: 'LoadError',
        message: /contract-load-failure/,
        why: 'until one set of condition reasons lands (issue 19)',
      },
    },
  },
];

export interface LogCase {
  title: string;
  fn: string;
  /** The call that makes the function print; its x-log header's value is the marker. */
  print: boolean;
  query: string;
  see: { status: number; statusReason?: string; line?: string };
}

export const LOG_CASES: readonly LogCase[] = [
  {
    title: 'a line a Node.js function printed is a line of its log',
    fn: 'echo',
    print: true,
    query: 'tailLines=100',
    see: { status: 200, line: 'contract-log {marker}' },
  },
  {
    title: 'a line a Python function printed is a line of its log',
    fn: 'echo-py',
    print: true,
    query: 'tailLines=100',
    see: { status: 200, line: 'contract-log {marker}' },
  },
  {
    title: 'the log of a Function that does not exist: 404 NotFound',
    fn: MISSING,
    print: false,
    query: 'tailLines=10',
    see: { status: 404, statusReason: 'NotFound' },
  },
  {
    title: 'a malformed log query: 400 BadRequest',
    fn: 'echo',
    print: false,
    query: 'tailLines=-1',
    see: { status: 400, statusReason: 'BadRequest' },
  },
];

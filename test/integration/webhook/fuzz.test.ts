// 10,000 malformed or random AdmissionReview bodies against the real webhook process: it must never
// crash and must always answer a well-formed AdmissionReview or a 400/413 Status.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admissionReview, functionRequest, issue, request, validSpec } from './helpers.js';
import { startWebhookProcess, type WebhookProcess } from './process.js';
import { seededRandom as rng } from '../../helpers/seeded-random.js';

const CASES = Number(process.env.WEBHOOK_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.WEBHOOK_FUZZ_SEED ?? Date.now() % 1_000_000);

const rand = rng(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

function randomString(max = 20): string {
  const alphabet = 'abcXYZ019 ."\\/{}[]:,\u0000\u00e9\u4e2d\ud83d\ude00-_';
  return Array.from({ length: int(max) }, () => alphabet[int(alphabet.length)]).join('');
}

function randomJson(depth = 0): unknown {
  const kinds = depth > 3 ? 5 : 7;
  switch (int(kinds)) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick([0, -1, 1e308, -0.5, Number.MAX_SAFE_INTEGER, 42]);
    case 3:
      return randomString();
    case 4:
      return pick(['CREATE', 'DELETE', 'AdmissionReview', 'admission.k8s.io/v1', '', 'kubeless.io']);
    case 5:
      return Array.from({ length: int(4) }, () => randomJson(depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(5) }, () => [
          pick(['uid', 'kind', 'request', 'object', 'spec', 'metadata', randomString(6)]),
          randomJson(depth + 1),
        ]),
      );
  }
}

const WRONG = [null, 0, 7, true, 'x', [], [1, 'a'], {}, { nested: { deep: [null] } }, -1.5, ''];

// Replace one value somewhere in a valid review with a value of the wrong type.
function corrupt(obj: unknown): unknown {
  if (obj === null || typeof obj !== 'object') return pick(WRONG);
  const o = obj as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 0 || rand() < 0.25) return pick(WRONG);
  const k = pick(keys);
  const copy: Record<string, unknown> = Array.isArray(o)
    ? ([...o] as unknown as Record<string, unknown>)
    : { ...o };
  copy[k] = rand() < 0.5 ? corrupt(o[k]) : pick(WRONG);
  return copy;
}

function validReview(): Record<string, unknown> {
  const kinds = ['Function', 'HTTPTrigger', 'KafkaTrigger', 'CronJobTrigger', 'Pod'];
  const req = functionRequest(
    `uid-${int(1e9)}`,
    { ...validSpec, timeout: pick(['30', 30, '-1', 'abc', undefined]) },
    {
      operation: pick(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
      kind: { group: pick(['kubeless.io', 'apps', '']), version: 'v1beta1', kind: pick(kinds) },
      dryRun: rand() < 0.3,
    },
  );
  return JSON.parse(admissionReview(req)) as Record<string, unknown>;
}

interface Case {
  label: string;
  body: Buffer;
  uid?: string;
}

function makeCase(): Case {
  const base = validReview();
  const uid = (base.request as { uid: string }).uid;
  // Huge bodies are a few percent of cases: enough to exercise the limit, cheap enough for npm test.
  const roll = int(100);
  const kind = roll < 3 ? 3 : [0, 1, 2, 4, 5, 6, 7][roll % 7]!;
  switch (kind) {
    case 0:
      return { label: 'random JSON', body: Buffer.from(JSON.stringify(randomJson()) ?? 'null') };
    case 1: {
      const text = JSON.stringify(base);
      return { label: 'truncated', body: Buffer.from(text.slice(0, int(text.length))) };
    }
    case 2:
      return { label: 'wrong types', body: Buffer.from(JSON.stringify(corrupt(base))) };
    case 3: {
      // Mostly large-but-allowed fields; now and then one over the 3 MiB limit.
      const size = rand() < 0.15 ? 3.5 * 1024 * 1024 : int(256 * 1024);
      const spec = { ...validSpec, function: 'a'.repeat(size), [randomString(8)]: randomString(200) };
      return {
        label: 'huge field',
        uid,
        body: Buffer.from(
          admissionReview({ ...(base.request as object), object: { metadata: { name: 'f' }, spec } }),
        ),
      };
    }
    case 4: {
      const bytes = Buffer.alloc(int(2048));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return { label: 'random bytes', body: bytes };
    }
    case 5:
      return { label: 'deep nesting', body: Buffer.from('['.repeat(5000 + int(50000)) + ']'.repeat(int(3))) };
    default:
      return { label: 'valid shape', uid, body: Buffer.from(JSON.stringify(base)) };
  }
}

let dir: string;
let proc: WebhookProcess;
const pair = issue();
let agent: https.Agent;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webhook-fuzz-'));
  writeFileSync(join(dir, 'tls.crt'), pair.tlsCert);
  writeFileSync(join(dir, 'tls.key'), pair.tlsKey);
  writeFileSync(join(dir, 'ca.crt'), pair.caBundle);
  proc = await startWebhookProcess([
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--cert-mode',
    'files',
    '--cert-dir',
    dir,
    '--no-cluster-checks',
    '--catalog-configmap',
    '',
  ]);
  agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: pair.caBundle });
}, 90_000);

afterAll(async () => {
  agent?.destroy();
  await proc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function check(c: Case, status: number, body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `status ${status} with a body that is not JSON: ${body.slice(0, 200)}`;
  }
  const p = parsed as {
    kind?: string;
    apiVersion?: string;
    code?: number;
    response?: { uid?: unknown; allowed?: unknown; patch?: unknown };
  };
  if (status === 400 || status === 413) {
    return p.kind === 'Status' && p.code === status
      ? undefined
      : `status ${status} without a matching Status: ${body.slice(0, 200)}`;
  }
  if (status !== 200) return `unexpected status ${status}: ${body.slice(0, 200)}`;
  if (p.apiVersion !== 'admission.k8s.io/v1' || p.kind !== 'AdmissionReview')
    return `200 that is not an AdmissionReview: ${body.slice(0, 200)}`;
  const r = p.response;
  if (!r || typeof r.uid !== 'string' || r.uid === '' || typeof r.allowed !== 'boolean')
    return `malformed response: ${body.slice(0, 200)}`;
  if (c.uid && c.label === 'valid shape' && r.uid !== c.uid)
    return `uid ${String(r.uid)} does not echo ${c.uid}`;
  if (r.patch !== undefined && !Array.isArray(JSON.parse(Buffer.from(String(r.patch), 'base64').toString())))
    return 'patch is not a JSON Patch array';
  return undefined;
}

test(`${CASES} random and malformed reviews never crash the webhook (seed via WEBHOOK_FUZZ_SEED)`, async () => {
  const failures: string[] = [];
  const tally: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < CASES) {
      next++;
      const c = makeCase();
      const path = rand() < 0.5 ? '/mutate' : '/validate';
      const res = await request(proc.port, path, { ca: pair.caBundle, agent, body: c.body }).catch(
        (err: Error) => ({ status: -1, body: err.message }),
      );
      const key = `${c.label} → ${res.status}`;
      tally[key] = (tally[key] ?? 0) + 1;
      const problem = check(c, res.status, res.body);
      if (problem && failures.length < 20) failures.push(`[${c.label} ${path}] ${problem}`);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `webhook fuzz: ${CASES} cases in ${seconds.toFixed(1)} s (seed ${SEED})\n${JSON.stringify(tally, null, 1)}\n`,
  );
  expect(failures).toEqual([]);
  expect(proc.child.exitCode).toBeNull();
  expect((await request(proc.port, '/healthz', { ca: pair.caBundle })).status).toBe(200);
}, 300_000);

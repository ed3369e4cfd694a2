// The chaos suite's bookkeeping decides what counts as lost: if it were wrong, test:chaos would
// report a clean table over lost writes. Pure functions, checked here on made-up answers.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countListWatch, repeatedLists, type AuditEvent } from '../../chaos/lib/audit.js';
import { classifyCall } from '../../chaos/lib/calls.js';
import { acceptableStates, judgeChurn, writeOutcome, type WriteRecord } from '../../chaos/lib/churn-model.js';
import { parseKafkaFigures } from '../../chaos/lib/kafka-figures.js';
import { doubleStartResult } from '../../chaos/double-start.js';
import { formatTable, readResults } from '../../chaos/results.js';

const w = (name: string, op: WriteRecord['op'], version: number, status: number): WriteRecord => ({
  name,
  op,
  version,
  status,
  startedAt: 0,
  endedAt: 0,
});

describe('acceptableStates', () => {
  test('an acknowledged write fixes the state; an unanswered one allows both', () => {
    const s = acceptableStates([w('a', 'create', 1, 201), w('a', 'update', 2, 0), w('b', 'create', 1, 201)]);
    expect([...(s.get('a') ?? [])].sort()).toEqual([1, 2]);
    expect([...(s.get('b') ?? [])]).toEqual([1]);
  });

  test('a 4xx refusal leaves the state as it was; a 404 on delete says absent', () => {
    const s = acceptableStates([
      w('a', 'create', 1, 201),
      w('a', 'update', 2, 500),
      w('a', 'update', 3, 422),
      w('b', 'create', 1, 0),
      w('b', 'delete', 0, 404),
    ]);
    expect([...(s.get('a') ?? [])].sort()).toEqual([1, 2]);
    expect([...(s.get('b') ?? [])]).toEqual(['absent']);
  });
});

test('a refused connection is a clear failure that changed nothing; a reset is unknown (scenario 4: 121 writes counted lost)', () => {
  const refused = { ...w('a', 'update', 2, 0), error: 'ECONNREFUSED' };
  const reset = { ...w('b', 'update', 2, 0), error: 'ECONNRESET' };
  expect(writeOutcome(refused)).toBe('clear');
  expect(writeOutcome(reset)).toBe('unknown');
  const s = acceptableStates([w('a', 'create', 1, 201), refused, w('b', 'create', 1, 201), reset]);
  expect([...(s.get('a') ?? [])]).toEqual([1]);
  expect([...(s.get('b') ?? [])].sort()).toEqual([1, 2]);
});

describe('judgeChurn', () => {
  const fn = { name: 'a', uid: 'u1', version: 2, generation: 2, observedGeneration: 2, ready: undefined };
  const owned = (kind: 'ConfigMap' | 'Deployment' | 'Service', ownerUid: string, version?: number) => ({
    kind,
    name: 'a',
    fn: 'a',
    ownerUid,
    version,
    deleting: false,
  });

  test('an acknowledged update the cluster does not show is lost', () => {
    const v = judgeChurn(
      acceptableStates([w('a', 'create', 1, 201), w('a', 'update', 2, 200)]),
      [{ ...fn, version: 1 }],
      [],
    );
    expect(v.lost).toEqual(['a: is 1, answers allow 2']);
  });

  test('objects of a deleted Function are orphans; two Deployments of one are duplicates', () => {
    const acceptable = acceptableStates([w('a', 'create', 2, 201)]);
    const v = judgeChurn(
      acceptable,
      [fn],
      [
        owned('ConfigMap', 'u1', 2),
        owned('Deployment', 'u1'),
        owned('Deployment', 'u1'),
        owned('Service', 'u1'),
        owned('Service', 'old-uid'),
      ],
    );
    expect(v).toEqual({
      lost: [],
      notConverged: [],
      orphans: ['Service a'],
      duplicates: ['a: 2 Deployments', 'a: 2 Services'],
    });
  });

  test('a ConfigMap with older code is not converged yet', () => {
    const v = judgeChurn(
      acceptableStates([w('a', 'create', 2, 201)]),
      [fn],
      [owned('ConfigMap', 'u1', 1), owned('Deployment', 'u1'), owned('Service', 'u1')],
    );
    expect(v.notConverged).toEqual(['a: ConfigMap has v1, spec v2']);
  });
});

describe('classifyCall', () => {
  test('only the answer to this very call is ok', () => {
    expect(classifyCall(3, { status: 200, body: '{"n":3}' }).outcome).toBe('ok');
    expect(classifyCall(3, { status: 200, body: '{"n":4}' }).outcome).toBe('lost');
  });

  test('a Status with a message and a refused connection are clear; a reset or a bare 502 is lost', () => {
    const status = JSON.stringify({ kind: 'Status', message: 'function chaos/echo has no ready pod' });
    expect(classifyCall(1, { status: 503, body: status }).outcome).toBe('clear');
    expect(classifyCall(1, { status: 0, body: '', error: 'ECONNREFUSED' }).outcome).toBe('clear');
    expect(classifyCall(1, { status: 0, body: '', error: 'ECONNRESET' }).outcome).toBe('lost');
    expect(classifyCall(1, { status: 502, body: '' }).outcome).toBe('lost');
  });
});

describe('countListWatch', () => {
  const ev = (
    verb: string,
    uri: string,
    stage = 'ResponseComplete',
    user = 'kubeless-controller',
  ): AuditEvent => ({
    stage,
    verb,
    requestURI: uri,
    user: { username: `system:serviceaccount:kubeless:${user}` },
    objectRef: { resource: 'functions' },
    stageTimestamp: '2026-01-01T00:00:10Z',
  });

  test('lists without a resourceVersion are full relists; a list from the watch cache is not', () => {
    const c = countListWatch(
      [
        ev('list', '/apis/kubeless.io/v1beta1/functions?limit=500'),
        ev('list', '/apis/kubeless.io/v1beta1/functions?resourceVersion=0'),
        ev('watch', '/apis/kubeless.io/v1beta1/functions?watch=1&resourceVersion=12', 'ResponseStarted'),
        { ...ev('list', '/api/v1/pods'), user: { username: 'system:kube-scheduler' } },
        { ...ev('list', '/api/v1/pods'), stageTimestamp: '2026-01-01T00:00:01Z' },
      ],
      Date.parse('2026-01-01T00:00:05Z'),
    );
    expect(c).toEqual({
      fullLists: { 'kubeless-controller /apis/kubeless.io/v1beta1/functions': 1 },
      watches: { 'kubeless-controller': 1 },
      gone: 0,
    });
    const twice = countListWatch(
      [
        ev('list', '/api/v1/configmaps'),
        ev('list', '/api/v1/configmaps'),
        ev('list', '/api/v1/namespaces/kubeless/configmaps'),
      ],
      0,
    );
    expect(repeatedLists(twice)).toEqual(['kubeless-controller /api/v1/configmaps: 2']);
  });
});

describe('the table', () => {
  test('the Kafka figures line is read back', () => {
    const line =
      'kafka e2e (partition): 10000 records, 9700 delivered, 300 dead-lettered, 300 dead-letter records, 12 duplicate deliveries, 14000 calls in all';
    expect(parseKafkaFigures(`noise\n${line}\n`, 'partition')).toEqual({
      records: 10000,
      delivered: 9700,
      deadLettered: 300,
      duplicates: 12,
      calls: 14000,
    });
    expect(parseKafkaFigures(line, 'key')).toBeUndefined();
  });

  test("the results directory's other files (jest's report) are not read as rows", () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaos-results-'));
    try {
      const row = { id: 2, scenario: 's', tallies: [], recoverySeconds: 1, notes: '', outcome: 'passed' };
      writeFileSync(join(dir, '02-s.json'), JSON.stringify(row));
      writeFileSync(join(dir, 'jest.json'), JSON.stringify({ testResults: [] }));
      expect(readResults(dir)).toEqual([row]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failed double-start case is a failed row, and the table shows each unit', () => {
    const row = doubleStartResult([
      {
        name: '/x/test/integration/local/data-dir-lock.test.ts',
        status: 'failed',
        assertionResults: [{ title: 'refuses a second start while the first runs', status: 'failed' }],
      },
    ]);
    expect(row?.outcome).toBe('failed');
    expect(row?.tallies).toEqual([{ unit: 'starts', made: 1, lost: 1, failedClearly: 0 }]);
    const table = formatTable([
      {
        id: 3,
        scenario: 'webhook',
        tallies: [
          { unit: 'writes', made: 10, lost: 0, failedClearly: 7 },
          { unit: 'calls', made: 50, lost: 1, failedClearly: 2 },
        ],
        recoverySeconds: 4.2,
        notes: '',
        outcome: 'failed',
      },
    ]);
    expect(table).toContain('| 3 | webhook  | 10 writes, 50 calls | 0 writes, 1 calls | 7 writes, 2 calls');
    expect(table).toContain('4.2 s');
  });
});

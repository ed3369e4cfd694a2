import { describe, expect, it } from '@jest/globals';
import { statusChanged } from '../../../lib/k8s/conditions.js';
import { functionStatus, loadErrorOf, restartDelay } from '../../../local/controller/decide.js';
import { selectLines, type LogLine } from '../../../local/controller/logs.js';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { mergeKubeconfig, writeKubeconfig } from '../../../local/kubeconfig.js';

describe('restart backoff', () => {
  it('doubles from 500 ms and stops at one minute', () => {
    expect([0, 1, 2, 3].map(restartDelay)).toEqual([500, 1000, 2000, 4000]);
    expect(restartDelay(20)).toBe(60_000);
  });
});

describe('function status', () => {
  it('reports Ready with observedGeneration and one ready replica', () => {
    const s = functionStatus(undefined, { state: 'Ready' }, 3, 't1');
    expect(s).toMatchObject({ observedGeneration: 3, readyReplicas: 1 });
    expect(s.conditions).toEqual([
      {
        type: 'Ready',
        status: 'True',
        observedGeneration: 3,
        reason: 'Ready',
        message: 'the function serves requests',
        lastTransitionTime: 't1',
      },
    ]);
  });
  it('carries the reason and message of a failure and keeps the transition time while the status holds', () => {
    const first = functionStatus(undefined, { state: 'Progressing', message: 'starting' }, 1, 't1');
    const failed = functionStatus(first, { state: 'Failed', reason: 'LoadError', message: 'boom' }, 1, 't2');
    expect(failed.conditions![0]).toMatchObject({
      status: 'False',
      reason: 'LoadError',
      message: 'boom',
      lastTransitionTime: 't1',
    });
    expect(statusChanged(first, failed)).toBe(true);
    expect(
      statusChanged(
        failed,
        functionStatus(failed, { state: 'Failed', reason: 'LoadError', message: 'boom' }, 1, 't3'),
      ),
    ).toBe(false);
  });
  it('reads the load error line of the runtime contract', () => {
    expect(loadErrorOf('{"level":"error","msg":"function failed to load","error":"SyntaxError: x"}')).toBe(
      'SyntaxError: x',
    );
    expect(loadErrorOf('plain text')).toBeUndefined();
  });
});

describe('log selection', () => {
  const now = new Date('2026-01-01T00:01:00Z');
  const lines: LogLine[] = [
    { time: new Date('2026-01-01T00:00:00Z'), stream: 'stdout', text: 'one' },
    { time: new Date('2026-01-01T00:00:50Z'), stream: 'stderr', text: 'two' },
    { time: new Date('2026-01-01T00:00:59Z'), stream: 'stdout', text: 'three' },
  ];
  it('applies tailLines, sinceSeconds, timestamps and limitBytes', () => {
    expect(selectLines(lines, {}, now)).toBe('one\ntwo\nthree\n');
    expect(selectLines(lines, { tailLines: 1 }, now)).toBe('three\n');
    expect(selectLines(lines, { sinceSeconds: 15 }, now)).toBe('two\nthree\n');
    expect(selectLines(lines, { tailLines: 1, timestamps: true }, now)).toBe(
      '2026-01-01T00:00:59.000Z three\n',
    );
    expect(selectLines(lines, { limitBytes: 5 }, now)).toBe('one\nt');
  });
});

describe('kubeconfig merge', () => {
  it('adds the kubeless-local entries and keeps the user current context', () => {
    const merged = mergeKubeconfig(
      {
        'current-context': 'prod',
        contexts: [{ name: 'prod' }, { name: 'kubeless-local', context: { cluster: 'old' } }],
      },
      'http://127.0.0.1:9000',
    );
    expect(merged['current-context']).toBe('prod');
    expect(merged.contexts!.filter((c) => c.name === 'kubeless-local')).toHaveLength(1);
    expect(merged.clusters).toEqual([
      { name: 'kubeless-local', cluster: { server: 'http://127.0.0.1:9000' } },
    ]);
  });
  it('makes kubeless-local current in a kubeconfig without one', () => {
    expect(mergeKubeconfig({}, 'http://127.0.0.1:1')['current-context']).toBe('kubeless-local');
  });
});

describe('kubeconfig file', () => {
  it('merges into an existing file, keeps its entries, and writes it private (0600)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kl-kcfg-'));
    try {
      const file = path.join(dir, 'config');
      writeFileSync(
        file,
        YAML.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'prod',
          contexts: [{ name: 'prod', context: { cluster: 'prod' } }],
        }),
      );
      expect(writeKubeconfig(file, 'http://127.0.0.1:8080')).toEqual({ current: false });
      const written = YAML.parse(readFileSync(file, 'utf8')) as {
        contexts: Array<{ name: string }>;
        'current-context': string;
      };
      expect(written.contexts.map((c) => c.name)).toEqual(['prod', 'kubeless-local']);
      expect(written['current-context']).toBe('prod');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      writeFileSync(file, 'a: [');
      expect(() => writeKubeconfig(file, 'http://127.0.0.1:8080')).toThrow(
        /not valid YAML[\s\S]*--write-kubeconfig/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('the local status names the runtime that runs the function, and a change of it is a change', () => {
  const a = functionStatus(undefined, { state: 'Ready' }, 1, 't1', 'python3.11');
  expect(a.runtime).toBe('python3.11');
  expect(statusChanged(a, functionStatus(a, { state: 'Ready' }, 1, 't2', 'python3.12'))).toBe(true);
  expect(statusChanged(a, functionStatus(a, { state: 'Ready' }, 1, 't2', 'python3.11'))).toBe(false);
});

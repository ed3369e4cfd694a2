// The local API refuses labels and env names that kube-apiserver refuses, with the same kind of
// 422 Status, on every way an object is written (create, update, merge patch), and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import { call, FN_PATH, nodeFunction, tmpDataDir } from './helpers.js';

interface StatusBody {
  kind: string;
  reason: string;
  code: number;
  message: string;
  details: { causes: Array<{ field: string; reason: string; message: string }> };
}

let platform: Platform;
let base = '';
let dataDir = '';

beforeAll(async () => {
  dataDir = tmpDataDir();
  platform = await startPlatform({ port: 0, dataDir, logger: pino({ level: 'silent' }), poolSize: 0 });
  base = platform.url;
});
afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const TRIGGERS = `${FN_PATH}/labels/cronjobtriggers`;

function cron(labels: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'CronJobTrigger',
    metadata: { name: 'tick', labels },
    spec: { 'function-name': 'nobody', schedule: '0 0 1 1 *' },
  };
}

function expectInvalid(res: { status: number; body: StatusBody }, field: string, text: string): void {
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
  const cause = res.body.details.causes.find((c) => c.field === field);
  expect(cause).toMatchObject({ reason: 'FieldValueInvalid' });
  expect(cause?.message).toContain(text);
}

describe('labels and env names the way kube-apiserver checks them', () => {
  it('refuses a Function created with a label key a cluster refuses, and stores nothing', async () => {
    const fn = nodeFunction('badlabel', 'module.exports.handler = () => 1');
    (fn.metadata as Record<string, unknown>).labels = { 'foo:bar,bar': 'foo,foobar' };
    const res = await call<StatusBody>(base, 'POST', `${FN_PATH}/labels/functions`, fn);
    expectInvalid(res, 'metadata.labels', '"foo:bar,bar"');
    expect(res.body.message).toContain('"foo,foobar"');
    expect((await call(base, 'GET', `${FN_PATH}/labels/functions/badlabel`)).status).toBe(404);
  });

  it('refuses a Function whose env name a Deployment could not hold', async () => {
    const fn = nodeFunction('badenv', 'module.exports.handler = () => 1', {
      deployment: {
        spec: { template: { spec: { containers: [{ env: [{ name: 'foo:bar', value: 'x' }] }] } } },
      },
    });
    const res = await call<StatusBody>(base, 'POST', `${FN_PATH}/labels/functions`, fn);
    expectInvalid(res, 'spec.deployment.spec.template.spec.containers[0].env[0].name', '"foo:bar"');
  });

  it('refuses a bad label added by update or merge patch, keeping the stored object', async () => {
    const created = await call<Record<string, unknown>>(base, 'POST', TRIGGERS, cron({ team: 'a' }));
    expect(created.status).toBe(201);

    const patched = await call<StatusBody>(
      base,
      'PATCH',
      `${TRIGGERS}/tick`,
      { metadata: { labels: { team: 'has space' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expectInvalid(patched, 'metadata.labels', '"has space"');

    const current = await call<{ metadata: Record<string, unknown> }>(base, 'GET', `${TRIGGERS}/tick`);
    const replaced = await call<StatusBody>(base, 'PUT', `${TRIGGERS}/tick`, {
      ...current.body,
      metadata: { ...current.body.metadata, labels: { '-team': 'a' } },
    });
    expectInvalid(replaced, 'metadata.labels', '"-team"');

    const after = await call<{ metadata: { labels: Record<string, string> } }>(
      base,
      'GET',
      `${TRIGGERS}/tick`,
    );
    expect(after.body.metadata.labels).toEqual({ team: 'a' });
  });
});

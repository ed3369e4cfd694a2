// Issue 18, item 1: the namespace and name of a route reached the file system. Started inside a
// folder, the local platform accepted POST .../namespaces/..%2F../functions, wrote the code next
// to the data dir, and on DELETE removed the folder it was started in. Every route now refuses
// what kube-apiserver refuses, with a Status, and nothing outside the data dir is touched.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  deployReady,
  FN_PATH,
  nodeFunction,
  startTestPlatform,
  SUB_PATH,
  tmpDataDir,
} from '../integration/local/helpers.js';
import { raw } from './helpers.js';

let parent = '';
let project = '';
let local: Awaited<ReturnType<typeof startTestPlatform>>;
let base = '';

const CODE = 'module.exports.handler = () => "ok";';
const body = (name: string): string => JSON.stringify(nodeFunction(name, CODE));
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  parent = tmpDataDir();
  project = path.join(parent, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'keep.txt'), 'precious');
  writeFileSync(path.join(parent, 'beside.txt'), 'precious too');
  local = await startTestPlatform({
    dataDir: path.join(project, '.kubeless'),
    poolSize: 0,
    startWaitMs: 60_000,
  });
  base = local.base;
  // A real Function, so that a hostile path that reached the disk would have files to hit.
  await deployReady(base, nodeFunction('real', CODE));
}, 180_000);

afterAll(async () => {
  await local?.close();
  rmSync(parent, { recursive: true, force: true });
});

function expectNothingOutside(): void {
  expect(readdirSync(parent).sort()).toEqual(['beside.txt', 'project']);
  expect(readdirSync(project).sort()).toEqual(['.kubeless', 'keep.txt']);
  expect(readFileSync(path.join(project, 'keep.txt'), 'utf8')).toBe('precious');
  const dataDir = path.join(project, '.kubeless');
  expect(readdirSync(path.join(dataDir, 'functions'))).toEqual(['default']);
  expect(readdirSync(path.join(dataDir, 'functions', 'default'))).toEqual(['real']);
}

describe('the reproduction from the review', () => {
  it('refuses the create and the delete, and deletes nothing', async () => {
    const created = await raw(base, 'POST', `${FN_PATH}/..%2F../functions`, {
      headers: json,
      body: body('x'),
    });
    expect(created.status).toBe(404);
    expect(created.json).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    const deleted = await raw(base, 'DELETE', `${FN_PATH}/..%2F../functions/x`);
    expect(deleted.status).toBe(404);
    await new Promise((r) => setTimeout(r, 500));
    expectNothingOutside();
    const all = await raw(base, 'GET', '/apis/kubeless.io/v1beta1/functions');
    expect((all.json?.items as unknown[]).length).toBe(1);
  });
});

// What kube-apiserver v1.34 answers for a CRD (see local/api/path-params.ts), except that it
// answers `.`, `..` and `%` in a namespace with a 500, which we answer with a 400.
const NAMESPACES: Array<[string, { create: number; object: number; list: number }]> = [
  ['..%2F..', { create: 404, object: 404, list: 404 }],
  ['..%2Fstore', { create: 404, object: 404, list: 404 }],
  ['..', { create: 400, object: 400, list: 400 }],
  ['.', { create: 400, object: 400, list: 400 }],
  ['%2E%2E', { create: 400, object: 400, list: 400 }],
  ['a%25b', { create: 400, object: 400, list: 400 }],
  ['Foo', { create: 404, object: 404, list: 200 }],
  ['foo_bar', { create: 404, object: 404, list: 200 }],
  ['a'.repeat(64), { create: 404, object: 404, list: 200 }],
];

describe.each(NAMESPACES)('namespace %s', (ns, want) => {
  const objectRoutes: Array<[string, string, string | undefined]> = [
    ['GET', `${FN_PATH}/${ns}/functions/real`, undefined],
    ['PUT', `${FN_PATH}/${ns}/functions/real`, body('real')],
    ['PATCH', `${FN_PATH}/${ns}/functions/real`, '{"spec":{"timeout":"3"}}'],
    ['DELETE', `${FN_PATH}/${ns}/functions/real`, undefined],
    ['GET', `${FN_PATH}/${ns}/functions/real/status`, undefined],
    ['PUT', `${FN_PATH}/${ns}/functions/real/status`, body('real')],
    ['POST', `${SUB_PATH}/${ns}/functions/real/invoke`, 'hi'],
    ['GET', `${SUB_PATH}/${ns}/functions/real/invoke/some/path`, undefined],
    ['GET', `${SUB_PATH}/${ns}/functions/real/log`, undefined],
    ['GET', `${SUB_PATH}/${ns}/functions/real/logs`, undefined],
    ['GET', `${FN_PATH}/${ns}/httptriggers/real`, undefined],
  ];

  it(`create answers ${want.create}`, async () => {
    const r = await raw(base, 'POST', `${FN_PATH}/${ns}/functions`, { headers: json, body: body('x') });
    expect([r.status, r.json?.kind]).toEqual([want.create, 'Status']);
    if (ns === 'Foo') expect(r.json?.message).toMatch(/^namespaces "Foo" not found/);
  });

  it(`every object route answers ${want.object}`, async () => {
    for (const [method, p, b] of objectRoutes) {
      const headers = method === 'PATCH' ? { 'content-type': 'application/merge-patch+json' } : json;
      const r = await raw(base, method, p, { headers, body: b });
      expect(`${method} ${p} ${r.status} ${String(r.json?.kind)}`).toBe(
        `${method} ${p} ${want.object} Status`,
      );
    }
  });

  it(`lists, watches and deletecollection answer ${want.list}`, async () => {
    for (const [method, p] of [
      ['GET', `${FN_PATH}/${ns}/functions`],
      ['GET', `${FN_PATH}/${ns}/functions?watch=true&timeoutSeconds=1`],
      ['DELETE', `${FN_PATH}/${ns}/functions`],
    ] as const) {
      const r = await raw(base, method, p);
      expect(`${method} ${p} ${r.status}`).toBe(`${method} ${p} ${want.list}`);
      if (r.status === 200) expect(r.text).not.toContain('"real"');
    }
  });
});

describe('names', () => {
  const NAMES: Array<[string, number]> = [
    ['..', 400],
    ['.', 400],
    ['a%25b', 400],
    ['..%2F..%2Fstore', 404],
    ['Foo', 404],
  ];
  it.each(NAMES)('%s is refused on every route with %i', async (name, code) => {
    for (const [method, p, b] of [
      ['GET', `${FN_PATH}/default/functions/${name}`, undefined],
      ['DELETE', `${FN_PATH}/default/functions/${name}`, undefined],
      ['GET', `${FN_PATH}/default/functions/${name}/status`, undefined],
      ['POST', `${SUB_PATH}/default/functions/${name}/invoke`, 'hi'],
      ['GET', `${SUB_PATH}/default/functions/${name}/logs`, undefined],
    ] as const) {
      const r = await raw(base, method, p, { headers: json, body: b });
      expect(`${method} ${p} ${r.status} ${String(r.json?.kind)}`).toBe(`${method} ${p} ${code} Status`);
    }
  });

  it('a create with a hostile metadata.name is invalid (422)', async () => {
    for (const name of ['..', '../../x', 'a/b', 'Foo']) {
      const r = await raw(base, 'POST', `${FN_PATH}/default/functions`, { headers: json, body: body(name) });
      expect([name, r.status, r.json?.reason]).toEqual([name, 422, 'Invalid']);
    }
  });
});

describe('discovery paths', () => {
  it('answer 404 Status for hostile groups and versions', async () => {
    for (const p of [
      '/apis/..%2F..',
      '/apis/..',
      '/openapi/v3/apis/..%2F../v1',
      '/apis/kubeless.io/..%2Fv1beta1',
    ]) {
      const r = await raw(base, 'GET', p);
      expect(`${p} ${r.status} ${String(r.json?.kind)}`).toBe(`${p} 404 Status`);
    }
  });

  it('left nothing outside the data dir and the real Function untouched', async () => {
    expectNothingOutside();
    const r = await raw(base, 'POST', `${SUB_PATH}/default/functions/real/invoke`, { body: 'x' });
    expect([r.status, r.text]).toEqual([200, 'ok']);
  });
});

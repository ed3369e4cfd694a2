// The local platform in-process with real runtime processes: REST semantics, the controller's
// status, invoke and logs, watches, and a burst of 100 creates.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import {
  alive,
  call,
  FN_PATH,
  nodeFunction,
  pythonFunction,
  readyOf,
  SUB_PATH,
  tmpDataDir,
  waitFor,
} from './helpers.js';

let platform: Platform;
let base = '';
let dataDir = '';

beforeAll(async () => {
  dataDir = tmpDataDir();
  platform = await startPlatform({
    port: 0,
    dataDir,
    logger: pino({ level: 'silent' }),
    poolSize: 1,
    startWaitMs: 180_000,
  });
  base = platform.url;
});
afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const ECHO = `
module.exports.handler = (event) => {
  console.log('called with', JSON.stringify(event.data));
  const r = event.extensions.request;
  return { v: 1, pid: process.pid, data: event.data, path: r.path, query: r.query, eventId: event['event-id'], eventType: event['event-type'], custom: r.headers['x-custom'] };
};`;

describe('discovery', () => {
  it('answers the core group, the group list and our resources, with short names and subresources', async () => {
    expect((await call(base, 'GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await call<{ groups: Array<{ name: string }> }>(base, 'GET', '/apis', undefined, {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(groups.headers.get('content-type')).toMatch(/^application\/json/);
    expect(groups.body.groups.map((g) => g.name)).toEqual(['kubeless.io', 'subresources.kubeless.io']);
    const res = await call<{ resources: Array<{ name: string; shortNames?: string[] }> }>(
      base,
      'GET',
      '/apis/kubeless.io/v1beta1',
    );
    expect(res.body.resources.find((r) => r.name === 'functions')?.shortNames).toEqual(['fn']);
    expect(res.body.resources.map((r) => r.name)).toContain('functions/status');
    const sub = await call<{ resources: Array<{ name: string }> }>(
      base,
      'GET',
      '/apis/subresources.kubeless.io/v1',
    );
    expect(sub.body.resources.map((r) => r.name)).toEqual([
      'functions',
      'functions/invoke',
      'functions/log',
      'functions/logs',
    ]);
  });
});

describe('a Node.js function from create to delete', () => {
  const ns = 'life';
  const fnUrl = `${FN_PATH}/${ns}/functions/echo`;
  const invokeUrl = `${SUB_PATH}/${ns}/functions/echo/invoke`;

  it('is defaulted, becomes Ready, answers invokes with event headers, path and query', async () => {
    const created = await call(base, 'POST', `${FN_PATH}/${ns}/functions`, nodeFunction('echo', ECHO));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      metadata: { generation: 1, labels: { function: 'echo', 'created-by': 'kubeless' } },
      spec: { timeout: '180', 'function-content-type': 'text' },
    });
    expect((created.body.spec as { checksum: string }).checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const res = await call(base, 'POST', `${invokeUrl}/orders/7?verbose=1`, { n: 1 }, { 'x-custom': 'yes' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      v: 1,
      data: { n: 1 },
      path: '/orders/7',
      query: { verbose: '1' },
      eventType: 'application/json',
      custom: 'yes',
    });
    expect(res.body.eventId).toEqual(expect.any(String));
    const ready = await waitFor(base, ns, 'echo', (f) => readyOf(f)?.status === 'True');
    expect(ready.status).toMatchObject({ observedGeneration: 1, readyReplicas: 1 });
  });

  it('keeps an event-id the caller sent and serves the log with tailLines and timestamps', async () => {
    const res = await call(base, 'POST', invokeUrl, { marker: 'log-me' }, { 'event-id': 'mine' });
    expect(res.body.eventId).toBe('mine');
    const log = await call(base, 'GET', `${SUB_PATH}/${ns}/functions/echo/log?tailLines=50&timestamps=true`);
    expect(log.status).toBe(200);
    expect(log.text).toMatch(/^\d{4}-\d\d-\d\dT[^ ]+ .*called with {"marker":"log-me"}$/m);
    const tail = await call(base, 'GET', `${SUB_PATH}/${ns}/functions/echo/logs?tailLines=1`);
    expect(tail.text.trim().split('\n')).toHaveLength(1);
  });

  it('rolls to new code on a merge patch, bumping generation, and refuses a stale PUT with 409', async () => {
    const before = (await call(base, 'GET', fnUrl)).body;
    const patched = await call(
      base,
      'PATCH',
      fnUrl,
      { spec: { function: ECHO.replace('v: 1', 'v: 2') } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.metadata).toMatchObject({ generation: 2 });
    await waitFor(
      base,
      ns,
      'echo',
      (f) => readyOf(f)?.status === 'True' && readyOf(f)?.observedGeneration === 2,
    );
    expect((await call(base, 'POST', invokeUrl, {})).body.v).toBe(2);
    const stale = await call(base, 'PUT', fnUrl, {
      ...before,
      spec: { ...(before.spec as object), timeout: '5' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ kind: 'Status', reason: 'Conflict' });
    const labelOnly = await call(
      base,
      'PATCH',
      fnUrl,
      [{ op: 'add', path: '/metadata/labels/team', value: 'a' }],
      { 'content-type': 'application/json-patch+json' },
    );
    expect(labelOnly.body.metadata).toMatchObject({ generation: 2, labels: { team: 'a' } });
    const strategic = await call(
      base,
      'PATCH',
      fnUrl,
      { spec: {} },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(strategic.status).toBe(415);
    expect(strategic.body.message).toMatch(/merge-patch\+json/);
  });

  it('refuses an invoke body over the limit with 413 and streams a followed log', async () => {
    const big = await call(base, 'POST', invokeUrl, 'x'.repeat(1024 * 1024 + 1), {
      'content-type': 'text/plain',
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge' });
    const controller = new AbortController();
    const res = await fetch(`${base}${SUB_PATH}/${ns}/functions/echo/log?follow=true&tailLines=0`, {
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await call(base, 'POST', invokeUrl, { marker: 'followed' });
    let text = '';
    while (!text.includes('followed')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain('called with {"marker":"followed"}');
  });

  it('lets /status change the status only, without bumping generation', async () => {
    const cur = (await call(base, 'GET', fnUrl)).body;
    const res = await call(base, 'PUT', `${fnUrl}/status`, {
      ...cur,
      spec: { handler: 'ignored.x' },
      status: { readyReplicas: 7 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      spec: { handler: 'echo.handler' },
      status: { readyReplicas: 7 },
      metadata: { generation: 2 },
    });
  });

  it('stops the process on delete and then answers 404', async () => {
    const pid = (await call(base, 'POST', invokeUrl, {})).body.pid as number;
    expect(alive(pid)).toBe(true);
    expect((await call(base, 'DELETE', fnUrl)).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    const gone = await call(base, 'POST', invokeUrl, {});
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe('functions that cannot run', () => {
  it('reports a load failure as Ready=False LoadError with the error, in status and in the log, and answers 503', async () => {
    const ns = 'broken';
    await call(
      base,
      'POST',
      `${FN_PATH}/${ns}/functions`,
      nodeFunction('bad', "throw new Error('boom at load');"),
    );
    const fn = await waitFor(base, ns, 'bad', (f) => readyOf(f)?.reason === 'LoadError');
    expect(readyOf(fn)).toMatchObject({ status: 'False', observedGeneration: 1 });
    expect(readyOf(fn)?.message).toContain('boom at load');
    const log = await call(base, 'GET', `${SUB_PATH}/${ns}/functions/bad/log`);
    expect(log.text).toContain('boom at load');
    const res = await call(base, 'POST', `${SUB_PATH}/${ns}/functions/bad/invoke`, {});
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/LoadError/);
  });

  it('refuses an invalid Function with 422 naming the field, and stores nothing', async () => {
    const fn = nodeFunction('nohandler', 'x');
    delete (fn.spec as Record<string, unknown>).handler;
    const res = await call<{ details: { causes: Array<{ field: string }> } }>(
      base,
      'POST',
      `${FN_PATH}/bad/functions`,
      fn,
    );
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c) => c.field)).toContain('spec.handler');
    expect((await call(base, 'GET', `${FN_PATH}/bad/functions/nohandler`)).status).toBe(404);
  });

  it('refuses an unknown runtime with 422 on spec.runtime that lists the known ones', async () => {
    const res = await call<{ message: string; details: { causes: Array<{ field: string }> } }>(
      base,
      'POST',
      `${FN_PATH}/bad/functions`,
      nodeFunction('cobol', 'x', { runtime: 'cobol85' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c) => c.field)).toContain('spec.runtime');
    expect(res.body.message).toContain('nodejs20');
  });

  it('validates but stores nothing with dryRun=All', async () => {
    const res = await call(base, 'POST', `${FN_PATH}/dry/functions?dryRun=All`, nodeFunction('dry', ECHO));
    expect(res.status).toBe(201);
    expect((await call(base, 'GET', `${FN_PATH}/dry/functions/dry`)).status).toBe(404);
  });
});

describe('a runtime that dies', () => {
  it('is restarted and serves again', async () => {
    const ns = 'crash';
    // The runtime process the platform started: the serving process itself, or its parent when
    // the runtime runs a supervisor. Never the parent when that is this test (the platform).
    const code = 'module.exports.handler = () => ({ pid: process.pid, ppid: process.ppid });';
    await call(base, 'POST', `${FN_PATH}/${ns}/functions`, nodeFunction('phoenix', code));
    await waitFor(base, ns, 'phoenix', (f) => readyOf(f)?.status === 'True');
    const url = `${SUB_PATH}/${ns}/functions/phoenix/invoke`;
    const runtimePid = (b: Record<string, unknown>): number =>
      (b.ppid === process.pid ? b.pid : b.ppid) as number;
    const before = runtimePid((await call(base, 'GET', url)).body);
    process.kill(before, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    let after = before;
    while (after === before && Date.now() < deadline) {
      const r = await call(base, 'GET', url);
      if (r.status === 200) after = runtimePid(r.body);
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(after).not.toBe(before);
    const log = await call(base, 'GET', `${SUB_PATH}/${ns}/functions/phoenix/log`);
    expect(log.text).toMatch(/the runtime exited \(signal SIGKILL\); restart 1 in 500 ms/);
  }, 60_000);
});

describe('dependencies', () => {
  it('installs a deps file once and shares it between functions', async () => {
    const ns = 'deps';
    const deps = JSON.stringify({ name: 'fn', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } });
    const code = "const leftPad = require('left-pad'); module.exports.handler = () => leftPad('7', 3, '0');";
    await call(base, 'POST', `${FN_PATH}/${ns}/functions`, nodeFunction('pad1', code, { deps }));
    await waitFor(base, ns, 'pad1', (f) => readyOf(f)?.status === 'True', 180_000);
    await call(base, 'POST', `${FN_PATH}/${ns}/functions`, nodeFunction('pad2', code, { deps }));
    await waitFor(base, ns, 'pad2', (f) => readyOf(f)?.status === 'True', 60_000);
    expect((await call(base, 'GET', `${SUB_PATH}/${ns}/functions/pad2/invoke`)).text).toBe('007');
    expect((await call(base, 'GET', `${SUB_PATH}/${ns}/functions/pad1/log`)).text).toMatch(
      /installing dependencies/,
    );
    expect((await call(base, 'GET', `${SUB_PATH}/${ns}/functions/pad2/log`)).text).toMatch(
      /already installed; reusing them/,
    );
  }, 240_000);
});

describe('list and watch', () => {
  it('streams ADDED, MODIFIED and DELETED, and resumes from a resourceVersion', async () => {
    const ns = 'watched';
    const list = await call<{ metadata: { resourceVersion: string } }>(
      base,
      'GET',
      `${FN_PATH}/${ns}/functions`,
    );
    const controller = new AbortController();
    const res = await fetch(
      `${base}${FN_PATH}/${ns}/functions?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      { signal: controller.signal },
    );
    const events: Array<{ type: string; object: { metadata: { name: string; resourceVersion: string } } }> =
      [];
    const reading = (async () => {
      let buf = '';
      const decoder = new TextDecoder();
      for await (const chunk of res.body!) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
        if (events.some((e) => e.type === 'DELETED')) break;
      }
    })();
    await call(base, 'POST', `${FN_PATH}/${ns}/functions`, nodeFunction('w1', ECHO));
    await call(
      base,
      'PATCH',
      `${FN_PATH}/${ns}/functions/w1`,
      { metadata: { labels: { x: 'y' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    await call(base, 'DELETE', `${FN_PATH}/${ns}/functions/w1`);
    await reading;
    controller.abort();
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('ADDED');
    expect(types).toContain('MODIFIED');
    expect(types[types.length - 1]).toBe('DELETED');
    // Resuming from the first event replays only what came after it.
    const resumed = await fetch(
      `${base}${FN_PATH}/${ns}/functions?watch=1&timeoutSeconds=1&resourceVersion=${events[0]!.object.metadata.resourceVersion}`,
    );
    const lines = (await resumed.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(types.slice(1));
  });

  it('answers a Table for kubectl with the printer columns', async () => {
    const res = await call<{ columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>(
      base,
      'GET',
      `${FN_PATH}/broken/functions`,
      undefined,
      { accept: 'application/json;as=Table;g=meta.k8s.io;v=v1,application/json' },
    );
    expect(res.body.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Runtime',
      'Handler',
      'Ready',
      'Age',
    ]);
    expect(res.body.rows[0]!.cells.slice(0, 4)).toEqual(['bad', 'nodejs20', 'bad.handler', 'False']);
  });
});

describe('a burst of 100 creates', () => {
  it('stores all of them with distinct resourceVersions, runs them, and selects them by label', async () => {
    const ns = 'many';
    const code = 'def handler(event, context):\n    return context["function-name"]\n';
    const created = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(base, 'POST', `${FN_PATH}/${ns}/functions`, pythonFunction(`f${i}`, code)),
      ),
    );
    expect(created.map((c) => c.status)).toEqual(Array(100).fill(201));
    const rvs = new Set(created.map((c) => (c.body.metadata as { resourceVersion: string }).resourceVersion));
    expect(rvs.size).toBe(100);
    const listed = await call<{ items: unknown[] }>(
      base,
      'GET',
      `${FN_PATH}/${ns}/functions?labelSelector=suite%3Dmany`,
    );
    expect(listed.body.items).toHaveLength(100);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(base, 'GET', `${SUB_PATH}/${ns}/functions/f${i}/invoke`)),
    );
    expect(answers.map((a) => a.text)).toEqual(Array.from({ length: 100 }, (_, i) => `f${i}`));
    const deleted = await call<{ items: unknown[] }>(
      base,
      'DELETE',
      `${FN_PATH}/${ns}/functions?labelSelector=suite%3Dmany`,
    );
    expect(deleted.body.items).toHaveLength(100);
  }, 240_000);
});

// The runtime contract, checked the same way against both languages' real servers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import {
  call,
  ensureNodeRuntimeBuilt,
  FIXTURES,
  json,
  type Language,
  type Runtime,
  startRuntime,
} from './harness.js';

jest_setTimeout();
function jest_setTimeout(): void {
  // Processes start in well under a second each; the budget covers a loaded 2-core machine.
  (globalThis as { jest?: { setTimeout(ms: number): void } }).jest?.setTimeout(30_000);
}

/** A random (version 4, RFC 4122 variant) UUID, as the original runtime generated. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** ISO 8601 in UTC with milliseconds, as both runtimes write it. */
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe.each<Language>(['nodejs', 'python'])('%s runtime contract', (language) => {
  let rt: Runtime;
  beforeAll(async () => {
    if (language === 'nodejs') ensureNodeRuntimeBuilt();
    rt = await startRuntime(language, {
      volume: path.join(FIXTURES, language),
      mod: 'contract',
      handler: 'route',
      env: { KUBELESS_BODY_LIMIT: String(64 * 1024), FUNC_NAME: 'contract-fn' },
    });
  }, 30_000);
  afterAll(async () => {
    await rt?.stop();
  });

  it('gives the handler method, path, query, headers, event fields and context', async () => {
    const body = await json(rt, '/describe/sub?x=1&x=2&y=z', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-custom': 'yes',
        'event-id': 'id-1',
        'event-type': 'type-1',
        'event-time': '2024-01-01T00:00:00Z',
        'event-namespace': 'ns-1',
      },
      body: JSON.stringify({ hello: 'world', n: [1, 2] }),
    });
    expect(body).toMatchObject({
      data: { hello: 'world', n: [1, 2] },
      eventId: 'id-1',
      eventType: 'type-1',
      eventTime: '2024-01-01T00:00:00Z',
      eventNamespace: 'ns-1',
      method: 'POST',
      path: '/describe/sub',
      query: { x: ['1', '2'], y: 'z' },
      header: 'yes',
      context: {
        'function-name': 'contract-fn',
        timeout: '1',
        runtime: language === 'nodejs' ? 'nodejs20' : 'python3.11',
        'memory-limit': '128Mi',
      },
    });
  });

  it('generates event id, time, type and namespace when the request has none', async () => {
    const before = Date.now();
    const a = await json(rt, '/describe');
    const b = await json(rt, '/describe');
    expect(a.eventId).toMatch(UUID_V4);
    expect(a.eventId).not.toEqual(b.eventId);
    expect(a.eventTime).toMatch(ISO_MS);
    const t = Date.parse(a.eventTime as string);
    expect(t).toBeGreaterThanOrEqual(before - 1000);
    expect(t).toBeLessThanOrEqual(Date.now() + 1000);
    expect(a.eventType).toBe('http.request');
    expect(a.eventNamespace).toBe('http.kubeless.io');
    expect(a.data).toBe('');
  });

  it('maps CloudEvents binary-mode headers onto the event', async () => {
    const body = await json(rt, '/describe', {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'ce-specversion': '1.0',
        'ce-id': 'ce-42',
        'ce-type': 'com.example.created',
        'ce-source': '/orders',
        'ce-time': '2025-05-05T05:05:05Z',
      },
      body: 'plain text',
    });
    expect(body).toMatchObject({
      data: 'plain text',
      eventId: 'ce-42',
      eventType: 'com.example.created',
      eventNamespace: '/orders',
      eventTime: '2025-05-05T05:05:05Z',
      cloudevents: { specversion: '1.0', id: 'ce-42', source: '/orders', type: 'com.example.created' },
    });
  });

  it('passes binary bodies as bytes and returns bytes as application/octet-stream', async () => {
    const input = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const res = await call(rt, '/binary', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: input,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect([...res.bytes]).toEqual([...input].reverse());
  });

  it('answers 400 with the reason for a JSON body that does not parse', async () => {
    const res = await call(rt, '/describe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('not valid JSON');
  });

  it('follows the return-value rules: text, JSON, nothing, status and headers', async () => {
    const text = await call(rt, '/helper');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toBe('hello from several files');

    const head = await call(rt, '/helper', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('hello from several files'.length));
    expect(head.text).toBe('');

    const num = await call(rt, '/number');
    expect(num.headers.get('content-type')).toMatch(/^application\/json/);
    expect(num.text).toBe('42');

    const nothing = await call(rt, '/nothing');
    expect(nothing.status).toBe(200);
    expect(nothing.text).toBe('');

    const teapot = await call(rt, '/headers');
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get('x-answer')).toBe('42');
    expect(teapot.text).toBe('teapot');
    // The function's own answer: nothing marks it as the runtime's, so proxies pass it through.
    expect(teapot.headers.get('kubeless-error')).toBeNull();
  });

  it('answers 500 when the handler throws (sync or async) and keeps serving', async () => {
    const sync = await call(rt, '/throws');
    expect(sync.status).toBe(500);
    expect(sync.text).toContain('exception');
    // Made by the runtime, not the function: the invoke proxies turn it into a Status.
    expect(sync.headers.get('kubeless-error')).toBe('true');
    const rejected = await call(rt, '/rejects');
    expect(rejected.status).toBe(500);
    // A return value that cannot be serialised is the function's error too, not a hung call.
    const unserializable = await call(rt, '/unserializable');
    expect(unserializable.status).toBe(500);
    expect((await call(rt, '/helper')).status).toBe(200);
    expect(rt.logs()).toContain('boom');
  });

  it('answers 408 at FUNC_TIMEOUT for async work and keeps serving', async () => {
    const started = Date.now();
    const res = await call(rt, '/slow');
    const took = Date.now() - started;
    expect(res.status).toBe(408);
    expect(res.text).toContain('timeout');
    expect(res.headers.get('kubeless-error')).toBe('true');
    expect(took).toBeGreaterThanOrEqual(900);
    expect((await call(rt, '/helper')).status).toBe(200);
  });

  it('answers 413 beyond KUBELESS_BODY_LIMIT, declared or chunked, and keeps serving', async () => {
    // Far over the limit, so the runtime must drop the rest of the body for the client to read the 413.
    const big = Buffer.alloc(4 * 1024 * 1024, 7);
    const declared = await call(rt, '/binary', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.text).toContain('KUBELESS_BODY_LIMIT');
    expect(declared.headers.get('kubeless-error')).toBe('true');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 64; i++) controller.enqueue(new Uint8Array(64 * 1024));
        controller.close();
      },
    });
    const chunked = await call(rt, '/binary', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const under = await call(rt, '/binary', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(64 * 1024, 1),
    });
    expect(under.status).toBe(200);
    expect(under.bytes.length).toBe(64 * 1024);
  });

  it('serves /healthz and Prometheus metrics labelled by method', async () => {
    expect((await call(rt, '/healthz')).text).toBe('OK');
    await call(rt, '/helper', { method: 'DELETE' });
    await call(rt, '/throws', { method: 'DELETE' });
    const metrics = await call(rt, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE function_duration_seconds histogram');
    expect(metrics.text).toMatch(/function_calls_total\{method="DELETE"\} 2\b/);
    expect(metrics.text).toMatch(/function_failures_total\{method="DELETE"\} 1\b/);
    expect(metrics.text).toMatch(/function_duration_seconds_count\{method="DELETE"\} 2\b/);
    expect(metrics.text).toMatch(/function_duration_seconds_bucket\{le="\+Inf",method="DELETE"\} 2\b/);
  });
});

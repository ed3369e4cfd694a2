import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { invokePlan } from '../../../cli/commands/invoke-plan.js';
import { register } from '../../../cli/commands/invoke.js';

const base = {
  url: 'http://hello.team.svc:8080',
  contentType: 'application/json',
  eventType: 'cronjob',
  eventNamespace: 'cronjobtrigger.kubeless.io/team/nightly',
  timeout: '30',
};

describe('invokePlan', () => {
  it('reads the body from the named env var and sets the event headers', () => {
    const plan = invokePlan({ ...base, dataFromEnv: 'P' }, { P: '{"a":1}' }, new Date(0), () => 'id-1');
    expect(plan.body).toBe('{"a":1}');
    expect(plan.timeoutMs).toBe(30000);
    expect(plan.headers).toEqual({
      'content-type': 'application/json',
      'event-id': 'id-1',
      'event-type': 'cronjob',
      'event-time': '1970-01-01T00:00:00.000Z',
      'event-namespace': 'cronjobtrigger.kubeless.io/team/nightly',
    });
  });

  it('explains a missing env var, a bad URL and conflicting data flags', () => {
    expect(() => invokePlan({ ...base, dataFromEnv: 'NOPE' }, {})).toThrow(/NOPE: that variable is not set/);
    expect(() => invokePlan({ ...base, url: 'hello' }, {})).toThrow(/not a URL/);
    expect(() => invokePlan({ ...base, url: 'file:///etc/passwd' }, {})).toThrow(/http or https/);
    expect(() => invokePlan({ ...base, data: 'x', dataFromEnv: 'P' }, { P: 'y' })).toThrow(/not both/);
    expect(() => invokePlan({ ...base, timeout: '0' }, {})).toThrow(/--timeout "0" is too short/);
  });
});

describe('kubeless invoke over real HTTP', () => {
  let server: Server;
  let seen: { headers: IncomingHttpHeaders; body: string; method?: string } | undefined;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { headers: req.headers, body: Buffer.concat(chunks).toString(), method: req.method };
        res.statusCode = req.url === '/fail' ? 500 : 200;
        res.end('ok');
      });
    });
    server.requestTimeout = 5000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function program(): Command {
    const p = new Command('kubeless').exitOverride();
    register(p);
    return p;
  }

  it('POSTs the env payload with event headers', async () => {
    process.env.KUBELESS_TEST_PAYLOAD = '$(echo not-run)';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    try {
      await program().parseAsync(
        [
          'invoke',
          '--url',
          url,
          '--data-from-env',
          'KUBELESS_TEST_PAYLOAD',
          '--event-namespace',
          'cronjobtrigger.kubeless.io/team/nightly',
        ],
        { from: 'user' },
      );
    } finally {
      process.stdout.write = write;
      delete process.env.KUBELESS_TEST_PAYLOAD;
    }
    expect(seen?.method).toBe('POST');
    expect(seen?.body).toBe('$(echo not-run)');
    expect(seen?.headers['event-type']).toBe('cronjob');
    expect(seen?.headers['event-namespace']).toBe('cronjobtrigger.kubeless.io/team/nightly');
    expect(seen?.headers['event-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails with the status when the function answers 5xx', async () => {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    try {
      await expect(
        program().parseAsync(['invoke', '--url', `${url}/fail`, '-d', 'x'], { from: 'user' }),
      ).rejects.toThrow(/HTTP 500/);
    } finally {
      process.stdout.write = write;
    }
  });
});

// Issue 20, item 2 (Python): the original Kubeless Python runtime handed functions a bottle
// request in event['extensions']['request']; functions written for it call get_header, query,
// forms, files (with save), json and body ('Request' object has no attribute 'get_header').
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, FIXTURES, type Runtime, startRuntime } from './harness.js';

jest.setTimeout(30_000);

const volume = path.join(FIXTURES, 'python');
/** A cookie signed by bottle 0.13's response.set_cookie('account', 'alice', secret='s3cret'). */
const SIGNED =
  'account="!ZhfBJukEur6tC7+wp+d6gypHUbB6pSh6Ym8kg73n+jY=?gAWVFwAAAAAAAABdlCiMB2FjY291bnSUjAVhbGljZZRlLg=="';

function multipart(
  boundary: string,
  parts: { name: string; filename?: string; type?: string; body: string }[],
): string {
  return (
    parts
      .map(
        (p) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
          (p.filename === undefined ? '' : `; filename="${p.filename}"`) +
          '\r\n' +
          (p.type ? `Content-Type: ${p.type}\r\n` : '') +
          `\r\n${p.body}\r\n`,
      )
      .join('') + `--${boundary}--\r\n`
  );
}

const started: Runtime[] = [];
async function serve(handler: string): Promise<Runtime> {
  const rt = await startRuntime('python', { volume, mod: 'bottle_request', handler });
  started.push(rt);
  return rt;
}
afterAll(async () => {
  await Promise.all(started.map((rt) => rt.stop()));
});

describe('python runtime: the bottle request of the original Kubeless', () => {
  let describeRt: Runtime;
  beforeAll(async () => {
    describeRt = await serve('describe');
  });

  it("runs the original runtime's request example: header, URL argument, form field, uploaded file", async () => {
    const rt = await serve('greet_and_save');
    const category = `kubeless-test-${process.pid}`;
    const res = await call(rt, '/?greeting=Hola', {
      method: 'POST',
      headers: { 'say-hello-to': 'John', 'content-type': 'multipart/form-data; boundary=b0undary' },
      body: multipart('b0undary', [
        { name: 'category', body: category },
        { name: 'upload', filename: 'notes.txt', type: 'text/plain', body: 'uploaded\r\ncontent' },
      ]),
    });
    expect(res.text).toBe('Hola John');
    const saved = path.join(os.tmpdir(), category, 'notes.txt');
    expect(readFileSync(saved, 'utf8')).toBe('uploaded\r\ncontent');
    rmSync(path.dirname(saved), { recursive: true, force: true });
  });

  it('offers query, headers, cookies, url and item access as bottle does', async () => {
    const res = await call(describeRt, '/some/path?greeting=Hi&a=1&a=2&n=7', {
      headers: {
        'x-custom': 'yes',
        cookie: `c=1; ${SIGNED}`,
        authorization: 'Basic ' + Buffer.from('user:pa:ss').toString('base64'),
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      method: 'GET',
      path: '/some/path',
      url: `http://127.0.0.1:${describeRt.port}/some/path?greeting=Hi&a=1&a=2&n=7`,
      content_type: '',
      content_length: -1,
      header: 'yes',
      header_default: 'none',
      headers_any_case: ['yes', 'yes', true],
      // Item access and JSON keep the contract's shape (a list for a repeated key)...
      query: { greeting: 'Hi', a: ['1', '2'], n: '7' },
      // ...while bottle's accessors give its values.
      query_attr: 'Hi',
      query_missing_attr: '',
      query_last: '2',
      query_all: ['1', '2'],
      query_int: 7,
      cookie: '1',
      signed_cookie: 'alice',
      signed_cookie_wrong_secret: 'refused',
      item_access: ['GET', 'GET', '/some/path'],
      auth: ['user', 'pa:ss'],
      is_xhr: true,
      json: null,
      body: '',
    });
  });

  it('parses url-encoded forms, JSON and the body as a seekable file', async () => {
    const form = JSON.parse(
      (
        await call(describeRt, '/?a=q', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'f=1&f=%C3%A9&a=z',
        })
      ).text,
    );
    expect(form).toMatchObject({
      content_type: 'application/x-www-form-urlencoded',
      content_length: 16,
      forms: { f: ['1', 'é'], a: 'z' },
      forms_all: ['1', 'é'],
      params: { a: ['q', 'z'], f: ['1', 'é'] },
      body: 'f=1&f=%C3%A9&a=z',
      body_again: 'f=1&',
      body_is_bytes: true,
    });
    const json = JSON.parse(
      (
        await call(describeRt, '/', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: '{"x":[1,2]}',
        })
      ).text,
    );
    expect(json).toMatchObject({ json: { x: [1, 2] }, body: '{"x":[1,2]}', forms: {} });
  });

  it('parses multipart uploads without the cgi module, with bottle file names', async () => {
    const res = await call(describeRt, '/', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=----x' },
      body: multipart('----x', [
        { name: 'f', body: 'v1' },
        {
          name: 'up',
          filename: '../../etc/pass wd.txt',
          type: 'text/plain',
          body: 'line1\r\n--not-a-boundary\r\n',
        },
        { name: 'bin', filename: 'b.bin', body: '\u0000\u00ff' },
      ]),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      forms: { f: 'v1' },
      files: {
        up: {
          filename: 'pass-wd.txt',
          raw_filename: '../../etc/pass wd.txt',
          content_type: 'text/plain',
          content: 'line1\r\n--not-a-boundary\r\n',
        },
        bin: { filename: 'b.bin', content_type: '', content: '\u0000\u00c3\u00bf' },
      },
    });
  });

  it('saves an upload into a directory under its file name, and never overwrites unless asked', async () => {
    const rt = await serve('save_rules');
    const res = await call(rt, '/', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: multipart('zz', [{ name: 'upload', filename: 'My Report.pdf', body: 'pdf' }]),
    });
    expect(JSON.parse(res.text)).toEqual({
      saved_as: 'My-Report.pdf',
      content: 'pdf',
      refused_overwrite: true,
    });
  });

  it('answers 400 when a function reads a malformed multipart body', async () => {
    const res = await call(describeRt, '/', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\nno blank line after this header',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('multipart');
  });
});

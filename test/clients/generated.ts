// Clients generated at test time from the OpenAPI document a platform serves for
// subresources.kubeless.io/v1, the way a user in another language would make one: openapi-typescript
// (+ openapi-fetch) from the npm registry and openapi-python-client from PyPI. Nothing generated is
// kept: each run writes into a temporary directory. The Python generator is installed once into a
// virtualenv under the test cache (KUBELESS_TEST_CACHE, default ~/.cache/kubeless/test-clients).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The openapi-python-client release the tests use (issue 20 reported 0.29.1). */
export const PYTHON_GENERATOR = 'openapi-python-client==0.29.1';

export interface ClientCall {
  /** Where the Kubernetes API is (the local platform, or `kubectl proxy` to a cluster). */
  baseUrl: string;
  namespace: string;
  name: string;
  /** Sent as the JSON body of a POST to the function's invoke. */
  body: Record<string, unknown>;
}

export interface ClientResult {
  status: number;
  /** The function's answer, as text. */
  answer: string;
  /** The function's log, as text. */
  log: string;
}

export interface Workspace {
  dir: string;
  /** The served document, saved as the generators read it. */
  document: string;
  close(): void;
}

/** Saves the document served at `baseUrl` into a fresh temporary directory. */
export async function fetchServedDocument(baseUrl: string): Promise<Workspace> {
  const res = await fetch(`${baseUrl}/openapi/v3/apis/subresources.kubeless.io/v1`);
  if (!res.ok) throw new Error(`GET /openapi/v3/apis/subresources.kubeless.io/v1: HTTP ${res.status}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kl-clients-'));
  const document = path.join(dir, 'subresources.json');
  writeFileSync(document, await res.text());
  return { dir, document, close: () => rmSync(dir, { recursive: true, force: true }) };
}

const TS_CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const [baseUrl, namespace, name, body] = process.argv.slice(2) as [string, string, string, string];
const client = createClient<paths>({ baseUrl });
const params = { path: { namespace, name } };
// The body is typed by the generated schema: any JSON value for application/json.
const invoked = await client.POST('/apis/subresources.kubeless.io/v1/namespaces/{namespace}/functions/{name}/invoke', {
  params,
  body: JSON.parse(body) as Record<string, unknown>,
  parseAs: 'text',
});
const log = await client.GET('/apis/subresources.kubeless.io/v1/namespaces/{namespace}/functions/{name}/log', {
  params: { ...params, query: { tailLines: 50 } },
  parseAs: 'text',
});
console.log(JSON.stringify({ status: invoked.response.status, answer: invoked.data ?? '', log: log.data ?? '' }));
`;

/**
 * openapi-typescript turns the document into `paths` types; a strict type check proves a JSON body
 * is accepted as declared (no cast to a string of bytes), then the client runs.
 */
export async function runTypeScriptClient(ws: Workspace, call: ClientCall): Promise<ClientResult> {
  const dir = path.join(ws.dir, 'ts');
  mkdirSync(dir, { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
  await run(bin('openapi-typescript'), [ws.document, '-o', path.join(dir, 'schema.ts')], { cwd: dir });
  writeFileSync(path.join(dir, 'client.ts'), TS_CLIENT);
  await run(
    bin('tsc'),
    [
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--skipLibCheck',
      'client.ts',
    ],
    { cwd: dir },
  );
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'client.ts', call.baseUrl, call.namespace, call.name, JSON.stringify(call.body)],
    { cwd: dir, timeout: 120_000 },
  );
  return JSON.parse(stdout) as ClientResult;
}

function testCache(): string {
  return process.env.KUBELESS_TEST_CACHE ?? path.join(os.homedir(), '.cache', 'kubeless', 'test-clients');
}

/** A virtualenv with the generator (and so httpx and attrs, which the generated client needs). */
async function pythonGenerator(): Promise<string> {
  const venv = path.join(testCache(), PYTHON_GENERATOR.replace(/[^A-Za-z0-9.]+/g, '-'));
  const python = path.join(venv, 'bin', 'python');
  if (existsSync(path.join(venv, '.installed'))) return python;
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(path.dirname(venv), { recursive: true });
  await run('python3', ['-m', 'venv', venv]);
  await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', PYTHON_GENERATOR], {
    timeout: 300_000,
  });
  writeFileSync(path.join(venv, '.installed'), `${PYTHON_GENERATOR}\n`);
  return python;
}

const PY_CLIENT = `import json
import sys

from kubeless_client import Client
from kubeless_client.api.invoke import invoke_function_post
from kubeless_client.api.logs import read_function_log
from kubeless_client.models import JsonValueType0

base_url, namespace, name, body = sys.argv[1:5]
client = Client(base_url=base_url, timeout=60)
# The generated model for a JSON object body; the client sends it as application/json.
invoked = invoke_function_post.sync_detailed(namespace, name, client=client, body=JsonValueType0.from_dict(json.loads(body)))
log = read_function_log.sync_detailed(namespace, name, client=client, tail_lines=50)
print(json.dumps({'status': int(invoked.status_code), 'answer': invoked.content.decode(), 'log': log.content.decode()}))
`;

/** openapi-python-client generates a package from the document; a script imports it and calls. */
export async function runPythonClient(ws: Workspace, call: ClientCall): Promise<ClientResult> {
  const python = await pythonGenerator();
  const dir = path.join(ws.dir, 'py');
  mkdirSync(dir, { recursive: true });
  const generator = path.join(path.dirname(python), 'openapi-python-client');
  // On PATH so the generator's post-hooks (ruff) find their tools in the same virtualenv.
  const env = { ...process.env, PATH: `${path.dirname(python)}:${process.env.PATH ?? ''}` };
  await run(
    generator,
    ['generate', '--path', ws.document, '--meta', 'none', '--output-path', path.join(dir, 'kubeless_client')],
    { cwd: dir, env, timeout: 120_000 },
  );
  writeFileSync(path.join(dir, 'client.py'), PY_CLIENT);
  const { stdout } = await run(
    python,
    ['client.py', call.baseUrl, call.namespace, call.name, JSON.stringify(call.body)],
    { cwd: dir, env, timeout: 120_000 },
  );
  return JSON.parse(stdout) as ClientResult;
}

// The function's ceiling for bench/kafka.ts: the most requests/s the same function serves over
// kept-alive HTTP at the trigger's concurrency, without Kafka. Two load generators: the trigger's
// own client in a process of its own (http-load.ts), and wrk when it is installed (a C client
// that costs the shared CPUs little, so closer to what the function alone can do).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryHeaders } from '../../kafka/headers.js';
import { triggerConfig } from '../../kafka/trigger.js';
import { cpuSeconds } from './functions.js';

export interface CeilingResult {
  /** Requests served. */
  records: number;
  seconds: number;
  /** The load generator's CPU per request (undefined for wrk). */
  clientCpuUs?: number;
  functionCpuUs: number;
}

/** The trigger's client (kafka/http.ts) posting `requests` records' worth of calls. */
export function nodeClientCeiling(
  url: string,
  requests: number,
  concurrency: number,
  fnPid: number | undefined,
): Promise<CeilingResult> {
  const script = fileURLToPath(new URL('./http-load.ts', import.meta.url));
  const before = cpuSeconds(fnPid);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        script,
        '--url',
        url,
        '--requests',
        String(requests),
        '--concurrency',
        String(concurrency),
      ],
      { encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`http-load failed: ${err.message}\n${stderr}`));
        const r = JSON.parse(stdout.trim()) as { seconds: number; cpuUsPerRequest: number; failures: number };
        if (r.failures > 0) return reject(new Error(`http-load: ${r.failures} of ${requests} calls failed`));
        resolve({
          records: requests,
          seconds: r.seconds,
          clientCpuUs: r.cpuUsPerRequest,
          functionCpuUs: ((cpuSeconds(fnPid) - before) / requests) * 1e6,
        });
      },
    );
  });
}

/** wrk POSTing the same body and headers over `connections` kept-alive connections for `seconds`. */
export async function wrkCeiling(
  url: string,
  seconds: number,
  connections: number,
  fnPid: number | undefined,
): Promise<CeilingResult | undefined> {
  const installed = await new Promise<boolean>((resolve) => {
    const p = spawn('wrk', ['--version'], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('exit', () => resolve(true));
  });
  if (!installed) return undefined;
  const trigger = triggerConfig({
    metadata: { name: 't', namespace: 'bench' },
    spec: { topic: 'bench', functionSelector: { matchLabels: { app: 'fn' } } },
  });
  const value = Buffer.from('{"seq":12345}');
  const headers = deliveryHeaders(
    {
      topic: 'bench',
      partition: 3,
      offset: '12345',
      key: Buffer.from('k345'),
      value,
      timestamp: String(Date.now()),
      headers: {},
    },
    trigger,
  );
  const lua = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(value.toString())}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'kubeless-bench-wrk-'));
  try {
    writeFileSync(join(dir, 'post.lua'), `${lua}\n`);
    const before = cpuSeconds(fnPid);
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'wrk',
        ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', join(dir, 'post.lua'), url],
        { encoding: 'utf8' },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    const total = /(\d+) requests in ([\d.]+)s/.exec(out);
    if (!total) throw new Error(`could not read wrk output:\n${out}`);
    if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`wrk saw failed calls:\n${out}`);
    const requests = Number(total[1]);
    return {
      records: requests,
      seconds: Number(total[2]),
      functionCpuUs: ((cpuSeconds(fnPid) - before) / requests) * 1e6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

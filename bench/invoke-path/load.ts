// A closed-loop HTTPS load client: `concurrency` loops, each sending one request after the other
// over a keep-alive agent, for a fixed time. Node's own client, so every path is driven the same way.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent, request } from 'node:https';

export interface Target {
  label: string;
  url: string;
  /** TLS client material (kubeconfig's admin certificate, the front proxy's, or none). */
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; servername?: string };
  /** Sent with every call besides the body's (the front proxy's X-Remote-* identity). */
  headers?: Record<string, string>;
  body: string;
}

export interface Sample {
  label: string;
  latenciesMs: number[];
  failures: number;
  seconds: number;
  firstFailure?: string;
}

function once(agent: Agent | HttpAgent, t: Target): Promise<void> {
  const send = t.url.startsWith('https:') ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      t.url,
      {
        method: 'POST',
        agent: agent as Agent,
        ...t.tls,
        headers: {
          ...t.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(t.body),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(
                new Error(`HTTP ${res.statusCode ?? 0}: ${Buffer.concat(chunks).toString().slice(0, 300)}`),
              ),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', reject);
    req.end(t.body);
  });
}

export async function drive(t: Target, seconds: number, concurrency: number): Promise<Sample> {
  const options = { keepAlive: true, maxSockets: concurrency };
  const agent = t.url.startsWith('https:') ? new Agent(options) : new HttpAgent(options);
  const sample: Sample = { label: t.label, latenciesMs: [], failures: 0, seconds };
  const end = performance.now() + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await once(agent, t);
        sample.latenciesMs.push(performance.now() - t0);
      } catch (err) {
        sample.failures += 1;
        sample.firstFailure ??= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  agent.destroy();
  return sample;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Summary {
  label: string;
  requests: number;
  failures: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Merges the rounds of one path into throughput and latency percentiles. */
export function summarize(samples: Sample[]): Summary {
  const lat = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  return {
    label: samples[0]?.label ?? '',
    requests: lat.length,
    failures: samples.reduce((n, s) => n + s.failures, 0),
    perSecond: lat.length / seconds,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
  };
}

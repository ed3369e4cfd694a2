// A small closed-loop load generator for bench/kafka.ts's ceiling rows, run as its own process:
// `concurrency` loops POST the body and headers a trigger sends for one record, one after the
// other, with the trigger's own client (kafka/http.ts: kept-alive connections), and no Kafka,
// after an untimed warm-up pass.
// Prints {"seconds":…,"cpuUsPerRequest":…,"failures":…} on stdout.
//   node --import tsx bench/kafka/http-load.ts --url URL --requests N --concurrency C
import { parseArgs } from 'node:util';
import { deliveryHeaders } from '../../kafka/headers.js';
import { closeFunctionConnections, postOnce } from '../../kafka/http.js';
import { triggerConfig } from '../../kafka/trigger.js';
import type { RecordInfo } from '../../kafka/types.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
  },
});
const url = values.url ?? '';
const requests = Number(values.requests);
const trigger = triggerConfig({
  metadata: { name: 't', namespace: 'bench' },
  spec: { topic: 'bench', functionSelector: { matchLabels: { app: 'fn' } } },
});
const record = (i: number): RecordInfo => ({
  topic: 'bench',
  partition: i % 6,
  offset: String(i),
  key: Buffer.from(`k${i % 1000}`),
  value: Buffer.from(JSON.stringify({ seq: i })),
  timestamp: String(Date.now()),
  headers: {},
});

/** `count` calls, `concurrency` at a time; returns the failed ones. */
async function load(count: number): Promise<number> {
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: Number(values.concurrency) }, async () => {
      for (let i = next++; i < count; i = next++) {
        const r = record(i);
        const res = await postOnce(url, r.value ?? Buffer.alloc(0), deliveryHeaders(r, trigger), 30_000);
        if (!res.ok) failures++;
      }
    }),
  );
  return failures;
}

// An untimed pass first, as the bench gives the triggers: a cold process (JIT, pool) measured
// over twice the CPU a call in its first thousands of calls.
await load(Math.min(requests, 5000));
const cpu = process.cpuUsage();
const start = performance.now();
const failures = await load(requests);
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
closeFunctionConnections();
process.stdout.write(
  `${JSON.stringify({ seconds, cpuUsPerRequest: (used.user + used.system) / requests, failures })}\n`,
);

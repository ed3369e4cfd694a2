// A small closed-loop load generator for bench/kafka.ts's ceiling rows, run as its own process:
// `concurrency` loops POST the body and headers a trigger sends for one record, one after the
// other, with the trigger's own client (kafka/http.ts: kept-alive connections), and no Kafka.
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

let next = 0;
let failures = 0;
const cpu = process.cpuUsage();
const start = performance.now();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    for (let i = next++; i < requests; i = next++) {
      const r = record(i);
      const res = await postOnce(url, r.value ?? Buffer.alloc(0), deliveryHeaders(r, trigger), 30_000);
      if (!res.ok) failures++;
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
await closeFunctionConnections();
process.stdout.write(
  `${JSON.stringify({ seconds, cpuUsPerRequest: (used.user + used.system) / requests, failures })}\n`,
);

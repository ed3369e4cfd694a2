// Records per second Kafka triggers deliver to a trivial function, under each ordering mode,
// beside a raw kafkajs consumer reading the same topic, in one run against one real broker.
//   node --import tsx bench/kafka.ts [--messages 20000] [--partitions 6] [--keys 1000]
// The function is the real Node.js runtime (dist/runtimes/nodejs/server.js, after `npm run
// build`) with a handler that returns "ok"; without a build, a bare node:http server stands in.
// Besides the three modes at their defaults, it measures the batching knobs on `key` mode:
// commits after every record instead of once a second, and small fetches (64 KiB a partition).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { TriggerManager, type TriggerManagerOptions } from '../kafka/manager.js';
import type { Ordering } from '../kafka/types.js';
import { freePort, startBroker } from '../test/kafka/broker.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    partitions: { type: 'string', default: '6' },
    keys: { type: 'string', default: '1000' },
  },
});
const N = Number(values.messages);
const PARTITIONS = Number(values.partitions);
const KEYS = Number(values.keys);

function waitForPort(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const attempt = (): void => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`function did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function startFunction(dir: string): Promise<{ child: ChildProcess; url: string; kind: string }> {
  const port = await freePort();
  const runtime = join(process.cwd(), 'dist/runtimes/nodejs/server.js');
  let child: ChildProcess;
  let kind: string;
  if (existsSync(runtime)) {
    writeFileSync(join(dir, 'bench.js'), 'module.exports = { handler: () => "ok" };\n');
    child = spawn(process.execPath, [runtime], {
      stdio: 'ignore',
      env: {
        ...process.env,
        FUNC_HANDLER: 'handler',
        MOD_NAME: 'bench',
        FUNC_PORT: String(port),
        FUNC_TIMEOUT: '30',
        FUNC_RUNTIME: 'nodejs20',
        KUBELESS_INSTALL_VOLUME: dir,
        KUBELESS_LISTEN_HOST: '127.0.0.1',
      },
    });
    kind = 'Node.js runtime';
  } else {
    const code = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.end('ok'))}).listen(${port},'127.0.0.1')`;
    child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
    kind = 'bare node:http server (no build found)';
  }
  await waitForPort(port);
  return { child, url: `http://127.0.0.1:${port}`, kind };
}

interface Variant {
  label: string;
  ordering: Ordering;
  commitIntervalMs?: number;
  consumer?: TriggerManagerOptions['consumer'];
}

const VARIANTS: Variant[] = [
  { label: 'trigger, ordering: partition', ordering: 'partition' },
  { label: 'trigger, ordering: key', ordering: 'key' },
  { label: 'trigger, ordering: none', ordering: 'none' },
  { label: 'key, commit after every record', ordering: 'key', commitIntervalMs: 0 },
  {
    label: 'key, 64 KiB fetches per partition',
    ordering: 'key',
    consumer: { maxBytesPerPartition: 64 * 1024 },
  },
];

/** Delivers the whole topic once with a fresh consumer group; returns the seconds it took. */
async function runTrigger(kafka: Kafka, url: string, v: Variant, i: number): Promise<number> {
  const manager = new TriggerManager({
    kafka,
    resolveUrl: () => url,
    log: pino({ level: 'warn' }),
    commitIntervalMs: v.commitIntervalMs,
    consumer: v.consumer,
  });
  manager.setFunctions([{ namespace: 'bench', name: 'fn', labels: { app: 'fn' } }]);
  const start = Date.now();
  try {
    await manager.applyTrigger({
      metadata: { name: `t${i}`, namespace: 'bench' },
      spec: { topic: 'bench', functionSelector: { matchLabels: { app: 'fn' } }, ordering: v.ordering },
    });
    for (;;) {
      const total = (await manager.metrics.delivered.get()).values.reduce((n, x) => n + x.value, 0);
      if (total >= N) break;
      if (Date.now() - start > 600_000)
        throw new Error(`${v.label}: only ${total} of ${N} delivered in 10 min`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return (Date.now() - start) / 1000;
  } finally {
    await manager.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeless-bench-kafka-'));
  const broker = await startBroker({ dataDir: join(dir, 'broker') });
  let fn: ChildProcess | undefined;
  try {
    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'bench', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'bench', numPartitions: PARTITIONS }],
      waitForLeaders: true,
    });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < N; i += 1000) {
      const messages = Array.from({ length: Math.min(1000, N - i) }, (_, j) => ({
        key: `k${(i + j) % KEYS}`,
        value: JSON.stringify({ seq: i + j }),
      }));
      await producer.send({ topic: 'bench', messages });
    }
    await producer.disconnect();
    await admin.disconnect();

    // 1. Raw kafkajs: read every record, do nothing with it, commit as kafkajs does by default.
    let seen = 0;
    const raw = kafka.consumer({ groupId: 'bench-raw' });
    await raw.connect();
    await raw.subscribe({ topic: 'bench', fromBeginning: true });
    const rawStart = Date.now();
    let rawEnd = 0;
    await new Promise<void>((resolve) => {
      void raw.run({
        partitionsConsumedConcurrently: PARTITIONS,
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= N && !rawEnd) {
            rawEnd = Date.now();
            resolve();
          }
        },
      });
    });
    await raw.disconnect();
    const rawSeconds = (rawEnd - rawStart) / 1000;

    // 2. Triggers: an HTTP POST per record to the function, offsets committed after delivery.
    const started = await startFunction(dir);
    fn = started.child;
    const rows: [string, number][] = [['raw kafkajs consumer (no work)', rawSeconds]];
    for (const [i, v] of VARIANTS.entries()) {
      const seconds = await runTrigger(kafka, started.url, v, i);
      rows.push([`${v.label} -> ${started.kind}`, seconds]);
      process.stderr.write(`${v.label}: ${seconds.toFixed(2)} s\n`);
    }

    const rawRate = N / rawSeconds;
    process.stdout.write(
      `\nKafka ${broker.bootstrap}, ${N} records of ~12 bytes, ${KEYS} keys, ${PARTITIONS} partitions; maxInFlight 64\n\n`,
    );
    process.stdout.write(`| consumer | seconds | records/s | x raw |\n|---|---:|---:|---:|\n`);
    for (const [name, s] of rows) {
      const rate = N / s;
      process.stdout.write(
        `| ${name} | ${s.toFixed(2)} | ${Math.round(rate)} | ${(rate / rawRate).toFixed(2)} |\n`,
      );
    }
  } finally {
    fn?.kill('SIGTERM');
    await broker.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

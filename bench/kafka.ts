// Messages per second a Kafka trigger delivers to a trivial function, beside a raw kafkajs
// consumer reading the same topic, in one run against one real broker.
//   node --import tsx bench/kafka.ts [--messages 20000] [--partitions 6]
// The function is the real Node.js runtime (dist/runtimes/nodejs/server.js, after `npm run
// build`) with a handler that returns "ok"; without a build, a bare node:http server stands in.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { TriggerManager } from '../kafka/manager.js';
import { freePort, startBroker } from '../test/kafka/broker.js';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '20000' }, partitions: { type: 'string', default: '6' } },
});
const N = Number(values.messages);
const PARTITIONS = Number(values.partitions);

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
    kind = 'Node.js runtime (dist/runtimes/nodejs)';
  } else {
    const code = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.end('ok'))}).listen(${port},'127.0.0.1')`;
    child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
    kind = 'bare node:http server (no build found)';
  }
  await waitForPort(port);
  return { child, url: `http://127.0.0.1:${port}`, kind };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeless-bench-kafka-'));
  const broker = await startBroker({ dataDir: join(dir, 'broker') });
  let fn: ChildProcess | undefined;
  let manager: TriggerManager | undefined;
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
        key: `k${(i + j) % 100}`,
        value: JSON.stringify({ seq: i + j }),
      }));
      await producer.send({ topic: 'bench', messages });
    }
    await producer.disconnect();

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

    // 2. The trigger: HTTP POST per record to the function, commit after each delivery.
    const started = await startFunction(dir);
    fn = started.child;
    manager = new TriggerManager({ kafka, resolveUrl: () => started.url, log: pino({ level: 'warn' }) });
    manager.setFunctions([{ namespace: 'bench', name: 'fn', labels: { app: 'fn' } }]);
    const trigStart = Date.now();
    await manager.applyTrigger({
      metadata: { name: 't', namespace: 'bench' },
      spec: { topic: 'bench', functionSelector: { matchLabels: { app: 'fn' } } },
    });
    const delivered = manager.metrics.delivered;
    for (;;) {
      const total = (await delivered.get()).values.reduce((n, v) => n + v.value, 0);
      if (total >= N) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const trigEnd = Date.now();
    await admin.disconnect();

    const rawRate = N / ((rawEnd - rawStart) / 1000);
    const trigRate = N / ((trigEnd - trigStart) / 1000);
    const rows = [
      ['raw kafkajs consumer (no work)', N, (rawEnd - rawStart) / 1000, rawRate],
      [`kubeless trigger -> ${started.kind}`, N, (trigEnd - trigStart) / 1000, trigRate],
    ] as const;
    process.stdout.write(
      `\nKafka ${broker.bootstrap}, ${N} records of ~12 bytes over ${PARTITIONS} partitions\n\n`,
    );
    process.stdout.write(`| consumer | records | seconds | records/s |\n|---|---:|---:|---:|\n`);
    for (const [name, n, s, r] of rows)
      process.stdout.write(`| ${name} | ${n} | ${s.toFixed(2)} | ${Math.round(r)} |\n`);
    process.stdout.write(`\ntrigger / raw = ${(trigRate / rawRate).toFixed(3)}\n`);
  } finally {
    await manager?.stop();
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

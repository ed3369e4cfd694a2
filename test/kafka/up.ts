// `npm run kafka:up`: starts a detached broker for manual runs and suites that do not own one,
// and writes its bootstrap address to .e2e/kafka (its pid to .e2e/kafka.pid).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_VERSION, startBroker } from './broker.js';

const root = resolve(process.env.KUBELESS_E2E_DIR ?? '.e2e');
const pidFile = join(root, 'kafka.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  mkdirSync(root, { recursive: true });
  if (existsSync(pidFile) && alive(Number(readFileSync(pidFile, 'utf8')))) {
    process.stdout.write(`Kafka already running at ${readFileSync(join(root, 'kafka'), 'utf8')}\n`);
    return;
  }
  const port = process.env.KAFKA_PORT ? Number(process.env.KAFKA_PORT) : undefined;
  const broker = await startBroker({ dataDir: join(root, 'kafka-data'), port, detached: true });
  // An open port is not yet a served metadata request: ask the broker before declaring it ready.
  const admin = new Kafka({
    brokers: [broker.bootstrap],
    clientId: 'kafka-up',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.describeCluster();
  await admin.disconnect();
  writeFileSync(join(root, 'kafka'), broker.bootstrap);
  writeFileSync(pidFile, String(broker.pid()));
  process.stdout.write(`Kafka ${KAFKA_VERSION} (KRaft) ready at ${broker.bootstrap}, pid ${broker.pid()}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`kafka:up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

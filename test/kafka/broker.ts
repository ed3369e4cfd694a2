// A real single-node Apache Kafka broker in KRaft mode, run from the jars Maven Central publishes.
// Used by `npm run kafka:up`, the Kafka e2e suite (which kills and restarts it) and bench/kafka.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const here = dirname(fileURLToPath(import.meta.url));

/** Kafka version resolved by test/kafka/pom.xml (override with KUBELESS_KAFKA_VERSION). */
export const KAFKA_VERSION = process.env.KUBELESS_KAFKA_VERSION ?? '4.1.1';

export function cacheDir(): string {
  return process.env.KUBELESS_CACHE ?? join(homedir(), '.cache', 'kubeless');
}

/** Downloads the broker's runtime classpath once into the cache; returns the folder of jars. */
export function ensureJars(version = KAFKA_VERSION): string {
  const libs = join(cacheDir(), `kafka-${version}`, 'libs');
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))) return libs;
  mkdirSync(libs, { recursive: true });
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(here, 'pom.xml'),
      `-Dkafka.version=${version}`,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libs}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (mvn.status !== 0) {
    throw new Error(
      `mvn could not fetch Kafka ${version} from Maven Central (exit ${mvn.status}); check that mvn and Java 17 are installed and Maven Central is reachable`,
    );
  }
  return libs;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A KRaft cluster id is a base64url-encoded random 128-bit UUID. */
export function newClusterId(): string {
  // An id starting with '-' is read as an option by kafka-storage's argument parser (1 run in 64
  // failed that way); Kafka's own generator skips such ids for the same reason.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export interface BrokerOptions {
  dataDir: string;
  /** Address clients connect to (and the broker advertises); a test cluster's pods need the host's. */
  host?: string;
  port?: number;
  controllerPort?: number;
  /** Detach the JVM from this process (kafka:up); logs go to dataDir/broker.log. */
  detached?: boolean;
  heapMb?: number;
}

export interface Broker {
  bootstrap: string;
  port: number;
  pid(): number | undefined;
  /** SIGKILL: what a crash looks like to clients. */
  kill(): Promise<void>;
  /** SIGTERM and wait: a controlled shutdown. */
  stop(): Promise<void>;
  /** Starts the JVM again on the same port and data. */
  restart(): Promise<void>;
}

function serverProperties(dataDir: string, host: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dataDir, 'logs')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.flush.interval.messages=1',
    '',
  ].join('\n');
}

const LOG4J2 = [
  'status=warn',
  'appender.out.type=Console',
  'appender.out.name=out',
  'appender.out.layout.type=PatternLayout',
  'appender.out.layout.pattern=[%d] %p %m (%c)%n',
  'rootLogger.level=WARN',
  'rootLogger.appenderRef.out.ref=out',
  'logger.kafka.name=kafka.server.KafkaRaftServer',
  'logger.kafka.level=INFO',
  '',
].join('\n');

function waitForPort(host: string, port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const sock = connect({ host, port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`Kafka did not open ${host}:${port} in time`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/**
 * An open port is not yet a broker that answers: on a busy machine the first requests after it
 * opened were closed unanswered (a suite's createTopics failed with "Closed connection").
 */
async function waitForMetadata(bootstrap: string, deadline: number): Promise<void> {
  for (;;) {
    const admin = new Kafka({
      brokers: [bootstrap],
      clientId: 'broker-ready',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`Kafka at ${bootstrap} opened its port but serves no metadata: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** Formats the storage (first time only) and starts the broker; resolves once it serves metadata. */
export async function startBroker(opts: BrokerOptions): Promise<Broker> {
  const libs = ensureJars();
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort());
  const controllerPort = opts.controllerPort ?? (await freePort());
  mkdirSync(opts.dataDir, { recursive: true });
  const props = join(opts.dataDir, 'server.properties');
  writeFileSync(props, serverProperties(opts.dataDir, host, port, controllerPort));
  const log4j = join(opts.dataDir, 'log4j2.properties');
  writeFileSync(log4j, LOG4J2);
  const java = (mainClass: string, args: string[]): string[] => [
    `-Xmx${opts.heapMb ?? 512}m`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    join(libs, '*'),
    mainClass,
    ...args,
  ];
  if (!existsSync(join(opts.dataDir, 'logs', 'meta.properties'))) {
    const fmt = spawnSync(
      'java',
      java('kafka.tools.StorageTool', ['format', '-t', newClusterId(), '-c', props, '--ignore-formatted']),
      { encoding: 'utf8' },
    );
    if (fmt.status !== 0) throw new Error(`kafka storage format failed: ${fmt.stderr || fmt.stdout}`);
  }
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const out = openSync(join(opts.dataDir, 'broker.log'), 'a');
    child = spawn('java', java('kafka.Kafka', [props]), {
      stdio: ['ignore', out, out],
      detached: opts.detached ?? false,
    });
    if (opts.detached) child.unref();
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code) =>
        reject(
          new Error(`Kafka exited with ${code} while starting; see ${join(opts.dataDir, 'broker.log')}`),
        ),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(host, port, Date.now() + 90_000), exited]);
    await Promise.race([waitForMetadata(`${host}:${port}`, Date.now() + 60_000), exited]);
  };
  const waitExit = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const done = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await done;
  };
  await launch();
  return {
    bootstrap: `${host}:${port}`,
    port,
    pid: () => child?.pid,
    kill: () => waitExit('SIGKILL'),
    stop: () => waitExit('SIGTERM'),
    restart: launch,
  };
}

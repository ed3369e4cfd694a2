import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  /** Use TLS; with caFile/certFile/keyFile for a private CA or mutual TLS. */
  tls?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** Parses `host:port,host:port`; throws with the fix when it is empty or malformed. */
export function parseBrokers(text: string | undefined, flag = '--brokers', env = 'KAFKA_BROKERS'): string[] {
  const brokers = (text ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    throw new Error(`no Kafka brokers given: pass ${flag} host:port[,host:port] or set ${env}`);
  }
  for (const b of brokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) {
      throw new Error(
        `Kafka broker address ${JSON.stringify(b)} is not host:port (e.g. kafka.kafka.svc:9092)`,
      );
    }
  }
  return brokers;
}

/** SASL from the environment, so that passwords never sit on a command line. */
export function saslFromEnv(env: NodeJS.ProcessEnv): KafkaConnection['sasl'] {
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (!mechanism) return undefined;
  if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
    throw new Error(
      `KAFKA_SASL_MECHANISM=${mechanism} is not supported; use plain, scram-sha-256 or scram-sha-512`,
    );
  }
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if (!username || !password)
    throw new Error('KAFKA_SASL_MECHANISM is set: also set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  return { mechanism, username, password };
}

/** Routes kafkajs's own logs into our structured logger instead of its console JSON. */
function kafkaLogCreator(log: Logger) {
  return () =>
    ({
      level,
      log: entry,
    }: {
      namespace: string;
      level: logLevel;
      label: string;
      log: { message: string } & Record<string, unknown>;
    }) => {
      const { message, ...rest } = entry;
      const fields = { component: 'kafkajs', ...rest };
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.debug(fields, message);
    };
}

export function kafkaClient(conn: KafkaConnection, log: Logger): Kafka {
  const config: KafkaConfig = {
    clientId: conn.clientId ?? 'kubeless-kafka-trigger',
    brokers: conn.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(log),
    connectionTimeout: 5000,
    requestTimeout: 30_000,
  };
  if (conn.tls) {
    config.ssl = {
      ca: conn.caFile ? [readFileSync(conn.caFile, 'utf8')] : undefined,
      cert: conn.certFile ? readFileSync(conn.certFile, 'utf8') : undefined,
      key: conn.keyFile ? readFileSync(conn.keyFile, 'utf8') : undefined,
    };
  }
  if (conn.sasl) config.sasl = conn.sasl as SASLOptions;
  return new Kafka(config);
}

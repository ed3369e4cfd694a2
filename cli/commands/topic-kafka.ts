import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { CliError } from '../errors.js';

export interface KafkaFlags {
  brokers?: string;
  tls?: boolean;
  tlsCa?: string;
  /** The original's --kafka-namespace: accepted so old scripts get the fix, not "unknown option". */
  kafkaNamespace?: string;
}

/** The flags every `kubeless topic` command takes to reach the brokers. */
export function withKafkaFlags(cmd: Command): Command {
  return cmd
    .option('--brokers <list>', 'Kafka bootstrap servers host:port[,host:port] (default: $KAFKA_BROKERS)')
    .option('--tls', 'connect over TLS')
    .option('--tls-ca <file>', 'CA bundle of the brokers (PEM)')
    .addOption(
      new Option(
        '--kafka-namespace <ns>',
        "the original CLI's way to reach Kafka (exec into its pod); see --brokers",
      ).hideHelp(),
    );
}

/** Parses the broker list, saying how to give one when it is missing or malformed. */
export function brokerList(text: string | undefined): string[] {
  const brokers = (text ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    throw new CliError(
      'no Kafka brokers given: pass --brokers host:port (e.g. --brokers 127.0.0.1:9092) or set KAFKA_BROKERS',
    );
  }
  const bad = brokers.find((b) => !/^[^\s/]+:\d{1,5}$/.test(b));
  if (bad)
    throw new CliError(`--brokers: ${JSON.stringify(bad)} is not host:port (e.g. kafka.kafka.svc:9092)`);
  return brokers;
}

function saslFromEnv(): SASLOptions | undefined {
  const mechanism = process.env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (!mechanism) return undefined;
  const username = process.env.KAFKA_SASL_USERNAME ?? '';
  const password = process.env.KAFKA_SASL_PASSWORD ?? '';
  if (mechanism === 'plain') return { mechanism, username, password };
  if (mechanism === 'scram-sha-256') return { mechanism, username, password };
  if (mechanism === 'scram-sha-512') return { mechanism, username, password };
  throw new CliError(
    `KAFKA_SASL_MECHANISM=${mechanism} is not supported; use plain, scram-sha-256 or scram-sha-512`,
  );
}

export function kafkaFor(flags: KafkaFlags): Kafka {
  if (flags.kafkaNamespace !== undefined && !(flags.brokers ?? process.env.KAFKA_BROKERS)) {
    throw new CliError(
      `--kafka-namespace: this CLI does not exec into the broker's pod as the original did; it speaks to the brokers: pass --brokers host:port (e.g. kafka.${flags.kafkaNamespace}:9092, or 127.0.0.1:9092 through \`kubectl port-forward\`) or set KAFKA_BROKERS`,
    );
  }
  const config: KafkaConfig = {
    clientId: 'kubeless-cli',
    brokers: brokerList(flags.brokers ?? process.env.KAFKA_BROKERS),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    retry: { retries: 3 },
  };
  if (flags.tls) config.ssl = flags.tlsCa ? { ca: [readFileSync(flags.tlsCa, 'utf8')] } : true;
  const sasl = saslFromEnv();
  if (sasl) config.sasl = sasl;
  return new Kafka(config);
}

/** kafkajs errors name the protocol error; add where the brokers were and what to check. */
export function kafkaError(err: unknown, brokers: string | undefined): CliError {
  if (err instanceof CliError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const where = brokers ?? process.env.KAFKA_BROKERS ?? '';
  if (/ECONNREFUSED|Connection timeout|ENOTFOUND|Closed connection/i.test(msg)) {
    return new CliError(
      `cannot reach Kafka at ${where}: ${msg}; check --brokers (or KAFKA_BROKERS) and that the brokers are up`,
    );
  }
  return new CliError(`Kafka (${where}): ${msg}`);
}

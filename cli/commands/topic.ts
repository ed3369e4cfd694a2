import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import { CliError } from '../errors.js';
import { renderTable } from '../render/table.js';
import { collect, out } from './options.js';
import { kafkaError, kafkaFor, withKafkaFlags, type KafkaFlags } from './topic-kafka.js';

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} must be a whole number of 1 or more, got ${JSON.stringify(value)}`);
  return n;
}

/** `--header k=v` pairs into Kafka record headers; a missing `=` is a usage error. */
export function parseHeaders(pairs: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new CliError(`--header ${JSON.stringify(pair)} must be name=value`);
    headers[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return headers;
}

async function withAdmin<T>(flags: KafkaFlags, fn: (kafka: Kafka) => Promise<T>): Promise<T> {
  try {
    return await fn(kafkaFor(flags));
  } catch (err) {
    throw kafkaError(err, flags.brokers);
  }
}

/** `kubeless topic create|delete|list|publish`, through the Kafka admin and producer APIs. */
export function register(program: Command): void {
  const topic = program
    .command('topic')
    .description('manage Kafka topics and publish messages (speaks to the brokers directly)');

  withKafkaFlags(topic.command('create <name>').description('create a topic'))
    .option('--partitions <n>', 'number of partitions', '1')
    .option('--replication-factor <n>', 'copies of each partition', '1')
    .action(async (name: string, flags: KafkaFlags & { partitions: string; replicationFactor: string }) => {
      const numPartitions = positiveInt(flags.partitions, '--partitions');
      const replicationFactor = positiveInt(flags.replicationFactor, '--replication-factor');
      await withAdmin(flags, async (kafka) => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const created = await admin.createTopics({
            topics: [{ topic: name, numPartitions, replicationFactor }],
            waitForLeaders: true,
          });
          if (!created)
            throw new CliError(`topic ${name} already exists; delete it first or pick another name`);
        } finally {
          await admin.disconnect();
        }
      });
      out(`topic ${name} created (${numPartitions} partitions)\n`);
    });

  withKafkaFlags(topic.command('delete <name>').description('delete a topic and its messages')).action(
    async (name: string, flags: KafkaFlags) => {
      await withAdmin(flags, async (kafka) => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          if (!(await admin.listTopics()).includes(name))
            throw new CliError(`topic ${name} not found; see kubeless topic list`);
          await admin.deleteTopics({ topics: [name] });
        } finally {
          await admin.disconnect();
        }
      });
      out(`topic ${name} deleted\n`);
    },
  );

  withKafkaFlags(topic.command('list').alias('ls').description('list topics with their partition counts'))
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (flags: KafkaFlags & { output: string }) => {
      if (flags.output !== 'table' && flags.output !== 'json')
        throw new CliError(`invalid -o "${flags.output}": choose table or json`);
      const topics = await withAdmin(flags, async (kafka) => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
          if (names.length === 0) return [];
          const meta = await admin.fetchTopicMetadata({ topics: names });
          return meta.topics
            .map((t) => ({ name: t.name, partitions: t.partitions.length }))
            .sort((a, b) => a.name.localeCompare(b.name));
        } finally {
          await admin.disconnect();
        }
      });
      if (flags.output === 'json') out(`${JSON.stringify(topics, null, 2)}\n`);
      else if (topics.length > 0)
        out(
          renderTable(
            ['NAME', 'PARTITIONS'],
            topics.map((t) => [t.name, String(t.partitions)]),
          ),
        );
      else process.stderr.write('no topics\n');
    });

  withKafkaFlags(topic.command('publish').description('publish one message to a topic'))
    .requiredOption('--topic <name>', 'topic to publish to')
    .option('--data <text>', 'message value')
    .option('--file <path>', 'read the message value from a file')
    .option('--key <key>', 'message key (picks the partition, so equal keys keep their order)')
    .option('--header <name=value>', 'record header (repeatable)', collect)
    .action(
      async (
        flags: KafkaFlags & { topic: string; data?: string; file?: string; key?: string; header?: string[] },
      ) => {
        if ((flags.data === undefined) === (flags.file === undefined))
          throw new CliError('give the message with exactly one of --data or --file');
        const value =
          flags.file !== undefined ? readFileSync(flags.file) : Buffer.from(flags.data ?? '', 'utf8');
        const headers = parseHeaders(flags.header ?? []);
        const [meta] = await withAdmin(flags, async (kafka) => {
          const producer = kafka.producer({ allowAutoTopicCreation: false });
          await producer.connect();
          try {
            return await producer.send({
              topic: flags.topic,
              acks: -1,
              messages: [{ key: flags.key ?? null, value, headers }],
            });
          } finally {
            await producer.disconnect();
          }
        });
        out(
          `published to ${flags.topic} partition ${meta?.partition ?? '?'} offset ${meta?.baseOffset ?? '?'}\n`,
        );
      },
    );
}

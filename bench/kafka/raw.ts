// The raw kafkajs consumer bench/kafka.ts compares triggers with: it reads every record of the
// topic and does nothing with it, with kafkajs's defaults (1 MiB fetches a partition, commits as
// kafkajs does by default), either a batch at a time or a message at a time.
import type { Kafka } from 'kafkajs';

export type RawMode = 'eachBatch' | 'eachMessage';

let groups = 0;

/** Reads `records` records of `topic` with a fresh consumer group; seconds from run() to the last record. */
export async function rawConsumer(
  kafka: Kafka,
  topic: string,
  partitions: number,
  records: number,
  mode: RawMode,
): Promise<number> {
  let seen = 0;
  const consumer = kafka.consumer({ groupId: `bench-raw-${mode}-${groups++}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const start = Date.now();
  let end = 0;
  await new Promise<void>((resolve) => {
    const count = (n: number): void => {
      seen += n;
      if (seen >= records && !end) {
        end = Date.now();
        resolve();
      }
    };
    void consumer.run(
      mode === 'eachBatch'
        ? {
            partitionsConsumedConcurrently: partitions,
            eachBatch: async ({ batch }) => count(batch.messages.length),
          }
        : { partitionsConsumedConcurrently: partitions, eachMessage: async () => count(1) },
    );
  });
  await consumer.disconnect();
  return (end - start) / 1000;
}

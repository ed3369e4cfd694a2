import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { processBatch } from './batch.js';
import { deliverRecord, type DeadLetterRecord } from './delivery.js';
import { PartitionLanes } from './lanes.js';
import type { KafkaMetrics } from './metrics.js';
import { Semaphore } from './semaphore.js';
import type { FunctionRef, TriggerConfig, UrlResolver } from './types.js';

export type ConsumerPhase = 'Starting' | 'Consuming' | 'Rebalancing' | 'Failed' | 'Stopped';

export interface ConsumerState {
  phase: ConsumerPhase;
  message: string;
  waitingForFunctions: boolean;
  assignedPartitions: number;
}

export interface ConsumerOptions {
  kafka: Kafka;
  trigger: TriggerConfig;
  targets(): FunctionRef[];
  resolveUrl: UrlResolver;
  metrics: KafkaMetrics;
  log: Logger;
  onState?(state: ConsumerState): void;
  /** A record slower than this pauses its partition (default 1000 ms). */
  slowMs?: number;
  /** How often offsets are committed inside a long batch (default 1000 ms). */
  commitIntervalMs?: number;
}

/** How many partitions kafkajs hands to eachBatch at once; more only adds idle workers. */
const MAX_CONCURRENT_PARTITIONS = 32;

/**
 * The consumer group of one trigger: fetches the topic, delivers each record through the engine,
 * commits after delivery or dead-lettering, and restarts itself after failures until stopped.
 */
export class TriggerConsumer {
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly lanes = new PartitionLanes();
  private readonly limiter: Semaphore;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private state: ConsumerState = {
    phase: 'Starting',
    message: 'connecting to Kafka',
    waitingForFunctions: false,
    assignedPartitions: 0,
  };

  constructor(private readonly opts: ConsumerOptions) {
    this.limiter = new Semaphore(opts.trigger.maxInFlight);
  }

  get trigger(): TriggerConfig {
    return this.opts.trigger;
  }

  current(): ConsumerState {
    return { ...this.state };
  }

  private setState(patch: Partial<ConsumerState>): void {
    this.state = { ...this.state, ...patch };
    this.opts.onState?.(this.current());
  }

  /** Starts in the background; failures show in the state and are retried, never thrown. */
  start(): void {
    void this.startOnce(1);
  }

  private async startOnce(attempt: number): Promise<void> {
    if (this.stopped) return;
    const { trigger, log } = this.opts;
    try {
      await this.ensureDeadLetterTopic();
      await this.connect();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error({ err: message, attempt }, 'could not start the trigger consumer; retrying');
      this.setState({ phase: 'Failed', message: `${message} (retrying; attempt ${attempt})` });
      await this.disconnect();
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5));
      this.restartTimer = setTimeout(() => void this.startOnce(attempt + 1), delay);
      return;
    }
    log.info({ topic: trigger.topic, groupId: trigger.groupId }, 'trigger consumer started');
  }

  private async ensureDeadLetterTopic(): Promise<void> {
    const { kafka, trigger } = this.opts;
    const admin: Admin = kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(trigger.topic)) {
        throw new Error(
          `topic ${trigger.topic} does not exist; create it with: kubeless topic create ${trigger.topic}`,
        );
      }
      if (!topics.includes(trigger.deadLetterTopic)) {
        const meta = await admin.fetchTopicMetadata({ topics: [trigger.topic] });
        const partitions = meta.topics[0]?.partitions.length ?? 1;
        await admin.createTopics({
          topics: [{ topic: trigger.deadLetterTopic, numPartitions: partitions }],
          waitForLeaders: true,
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async connect(): Promise<void> {
    const { kafka, trigger, log, metrics } = this.opts;
    // Not idempotent on purpose: kafkajs 2.2.4 keeps a partition's sequence number unchanged
    // after a failed send, so after a broker crash the next *different* dead letter to that
    // partition reused the number, the broker answered DUPLICATE_SEQUENCE, kafkajs reported
    // success and the dead letter was silently dropped (seen in the e2e suite). Plain acks=all
    // retries may duplicate a dead letter, never lose one.
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    this.producer = producer;
    await producer.connect();
    const consumer = kafka.consumer({
      groupId: trigger.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      // A crashed member holds its partitions until this expires: keep fail-over short.
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      // Restart after any failure (broker gone, coordinator moved): the trigger must keep going.
      retry: { retries: 8, restartOnFailure: async () => !this.stopped },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const owned = new Set((e.payload.memberAssignment[trigger.topic] ?? []).map(String));
      const dropped = this.lanes.abandon((topic, p) => topic === trigger.topic && owned.has(String(p)));
      if (dropped > 0)
        log.info({ dropped }, 'abandoned deliveries of revoked partitions; their offsets stay uncommitted');
      this.setState({
        phase: 'Consuming',
        message: `consuming ${owned.size} partition(s) of ${trigger.topic}`,
        assignedPartitions: owned.size,
      });
    });
    consumer.on(consumer.events.REBALANCING, () =>
      this.setState({ phase: 'Rebalancing', message: 'consumer group is rebalancing' }),
    );
    consumer.on(consumer.events.CRASH, (e) => {
      log.error({ err: e.payload.error.message, restart: e.payload.restart }, 'consumer crashed');
      this.lanes.abandon(undefined, 'consumer crashed');
      this.setState({
        phase: 'Failed',
        message: `consumer crashed: ${e.payload.error.message}${e.payload.restart ? ' (restarting)' : ''}`,
      });
      if (!e.payload.restart && !this.stopped) this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topic: trigger.topic, fromBeginning: true });
    const deliveryCtx = {
      trigger,
      targets: () => this.opts.targets(),
      resolveUrl: this.opts.resolveUrl,
      limiter: this.limiter,
      metrics,
      log,
      deadLetter: (r: DeadLetterRecord) => this.produceDeadLetter(r),
      onNoTargets: (waiting: boolean) => this.setState({ waitingForFunctions: waiting }),
    };
    const paused = metrics.pausedPartitions.labels(trigger.namespace, trigger.name);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(trigger.maxInFlight, MAX_CONCURRENT_PARTITIONS),
      eachBatch: (payload) =>
        processBatch(payload, {
          lanes: this.lanes,
          deliver: async (record, signal) => {
            await deliverRecord(deliveryCtx, record, signal);
          },
          slowMs: this.opts.slowMs ?? 1000,
          commitIntervalMs: this.opts.commitIntervalMs ?? 1000,
          onLag: (topic, partition, lag) =>
            metrics.lag.set(
              { namespace: trigger.namespace, trigger: trigger.name, topic, partition: String(partition) },
              lag,
            ),
          onPaused: (d) => paused.inc(d),
          trace: (event, fields) => log.debug(fields, event),
        }),
    });
  }

  private async produceDeadLetter(r: DeadLetterRecord): Promise<void> {
    if (!this.producer) throw new Error('dead-letter producer is not connected');
    await this.producer.send({ topic: this.opts.trigger.deadLetterTopic, acks: -1, messages: [r] });
  }

  private scheduleRestart(): void {
    this.restartTimer = setTimeout(() => {
      void this.disconnect().then(() => this.startOnce(1));
    }, 2000);
  }

  private async disconnect(): Promise<void> {
    const consumer = this.consumer;
    const producer = this.producer;
    this.consumer = undefined;
    this.producer = undefined;
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  /** Abandons in-flight deliveries (their offsets stay uncommitted) and leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.lanes.abandon(undefined, 'consumer stopping');
    await this.disconnect();
    this.setState({ phase: 'Stopped', message: 'stopped', assignedPartitions: 0 });
  }
}

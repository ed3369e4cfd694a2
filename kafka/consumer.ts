import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { FunctionConnections } from '../lib/invoke/connections.js';
import { sleep } from './backoff.js';
import { takeBatch } from './batch.js';
import { OffsetBook, type CommitFn } from './commits.js';
import { deliverRecord, type DeadLetterRecord } from './delivery.js';
import { Dispatcher } from './dispatcher.js';
import type { KafkaMetrics } from './metrics.js';
import { Semaphore } from './semaphore.js';
import type { FunctionTarget, RecordInfo, TriggerConfig, UrlResolver } from './types.js';

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
  targets(): FunctionTarget[];
  resolveUrl: UrlResolver;
  /** Kept connections to functions, shared with the process's other callers; absent: Kafka's own. */
  connections?: FunctionConnections;
  metrics: KafkaMetrics;
  log: Logger;
  onState?(state: ConsumerState): void;
  /** How often finished offsets are committed (default 1000 ms; 0 = after every record). */
  commitIntervalMs?: number;
  /** Per partition: records and bytes taken but not finished before the partition pauses. */
  maxBufferedRecords?: number;
  maxBufferedBytes?: number;
  /** kafkajs fetch sizes (bytes), for the bench's batching measurements. */
  maxBytesPerPartition?: number;
}

/** How many partitions kafkajs hands to eachBatch at once; taking a batch is quick. */
const MAX_CONCURRENT_PARTITIONS = 32;

/**
 * The consumer group of one trigger. Fetching and delivering are decoupled: each fetched batch
 * is taken into the dispatcher at once (bounded per partition), deliveries run as the trigger's
 * ordering allows, and the offset book commits, per partition, the lowest offset not yet
 * delivered or dead-lettered. Restarts itself after failures until stopped.
 */
export class TriggerConsumer {
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly limiter: Semaphore;
  private readonly dispatcher: Dispatcher;
  private readonly book: OffsetBook;
  private readonly paused = new Set<number>();
  private commitFn?: CommitFn;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private state: ConsumerState = {
    phase: 'Starting',
    message: 'connecting to Kafka',
    waitingForFunctions: false,
    assignedPartitions: 0,
  };

  constructor(private readonly opts: ConsumerOptions) {
    const { trigger, metrics, log } = opts;
    this.limiter = new Semaphore(trigger.maxInFlight);
    const labels = { namespace: trigger.namespace, trigger: trigger.name };
    const pendingGauge = metrics.pending.labels(labels);
    const deliveryCtx = {
      trigger,
      targets: () => this.opts.targets(),
      resolveUrl: opts.resolveUrl,
      connections: opts.connections,
      limiter: this.limiter,
      metrics,
      log,
      deadLetter: (r: DeadLetterRecord) => this.produceDeadLetter(r),
      onNoTargets: (waiting: boolean) => this.setState({ waitingForFunctions: waiting }),
    };
    this.dispatcher = new Dispatcher({
      ordering: trigger.ordering,
      run: (record, signal) => this.deliverUntilSettled(deliveryCtx, record, signal),
      onFinished: (record) => {
        this.book.finished(record.partition, BigInt(record.offset));
        pendingGauge.set(this.dispatcher.pending);
        this.maybeResume(record.partition);
      },
    });
    this.book = new OffsetBook({
      topic: trigger.topic,
      intervalMs: opts.commitIntervalMs ?? 1000,
      commit: () => this.commitFn,
      onLag: (partition, lag) =>
        metrics.lag.set({ ...labels, topic: trigger.topic, partition: String(partition) }, lag),
      onError: (err) =>
        log.debug(
          { err: err instanceof Error ? err.message : String(err) },
          'offset commit failed; retrying',
        ),
    });
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
    this.book.start();
    void this.startOnce(1);
  }

  /**
   * deliverRecord rejects only when the signal aborts. Anything else is a bug in this process,
   * not the record's fault: log it and try the record again rather than finish it unsent.
   */
  private async deliverUntilSettled(
    ctx: Parameters<typeof deliverRecord>[0],
    record: RecordInfo,
    signal: AbortSignal,
  ): Promise<void> {
    for (;;) {
      try {
        await deliverRecord(ctx, record, signal);
        return;
      } catch (err) {
        if (signal.aborted) throw err;
        this.opts.log.error(
          {
            partition: record.partition,
            offset: record.offset,
            err: err instanceof Error ? err.stack : String(err),
          },
          'delivery failed unexpectedly; retrying the record',
        );
        await sleep(1000, signal);
      }
    }
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
    log.info(
      { topic: trigger.topic, groupId: trigger.groupId, ordering: trigger.ordering },
      'trigger consumer started',
    );
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

  /** Drops everything of the partitions `keep` rejects (all without it): they are someone else's now. */
  private abandon(keep: ((partition: number) => boolean) | undefined, reason: string): number {
    const { trigger, metrics } = this.opts;
    const dropped = this.dispatcher.abandon(keep ? (_t, p) => keep(p) : undefined, reason).length;
    for (const p of this.book.partitions()) {
      if (keep?.(p)) continue;
      this.book.drop(p);
      metrics.lag.remove({
        namespace: trigger.namespace,
        trigger: trigger.name,
        topic: trigger.topic,
        partition: String(p),
      });
    }
    for (const p of [...this.paused]) if (!keep?.(p)) this.resume(p);
    metrics.pending.set({ namespace: trigger.namespace, trigger: trigger.name }, this.dispatcher.pending);
    return dropped;
  }

  private pause(partition: number): void {
    if (this.paused.has(partition)) return;
    this.paused.add(partition);
    this.kafkajsPause('pause', partition);
    this.opts.metrics.pausedPartitions.inc({
      namespace: this.opts.trigger.namespace,
      trigger: this.opts.trigger.name,
    });
  }

  private resume(partition: number): void {
    if (!this.paused.delete(partition)) return;
    this.kafkajsPause('resume', partition);
    this.opts.metrics.pausedPartitions.dec({
      namespace: this.opts.trigger.namespace,
      trigger: this.opts.trigger.name,
    });
  }

  /** kafkajs throws when its group is gone (a crash): then there is nothing to pause or resume. */
  private kafkajsPause(what: 'pause' | 'resume', partition: number): void {
    try {
      this.consumer?.[what]([{ topic: this.opts.trigger.topic, partitions: [partition] }]);
    } catch {
      // The next consumer group starts unpaused.
    }
  }

  /** A paused partition fetches again once its buffer is half empty. */
  private maybeResume(partition: number): void {
    if (!this.paused.has(partition)) return;
    const held = this.dispatcher.buffered(this.opts.trigger.topic, partition);
    if (held.count <= this.maxRecords() / 2 && held.bytes <= this.maxBytes() / 2) this.resume(partition);
  }

  private maxRecords(): number {
    // Also bounds what a crash re-delivers beyond what was unfinished: records finished above
    // the commit point are redone by the successor.
    return this.opts.maxBufferedRecords ?? 2000;
  }

  private maxBytes(): number {
    return this.opts.maxBufferedBytes ?? 4 * 1024 * 1024;
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
      // Smaller than kafkajs's 1 MiB, to suit the 2,000-record buffer: a refetch after a pause
      // then decodes little that is not taken (bench/kafka.ts measures both).
      maxBytesPerPartition: this.opts.maxBytesPerPartition ?? 64 * 1024,
      // A crashed member holds its partitions until this expires: keep fail-over short.
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      // Restart after any failure (broker gone, coordinator moved): the trigger must keep going.
      retry: { retries: 8, restartOnFailure: async () => !this.stopped },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const owned = new Set((e.payload.memberAssignment[trigger.topic] ?? []).map(Number));
      const dropped = this.abandon((p) => owned.has(p), 'partition revoked');
      if (dropped > 0)
        log.info({ dropped }, 'abandoned deliveries of revoked partitions; their offsets stay uncommitted');
      this.setState({
        phase: 'Consuming',
        message: `consuming ${owned.size} partition(s) of ${trigger.topic} (ordering: ${trigger.ordering})`,
        assignedPartitions: owned.size,
      });
    });
    consumer.on(consumer.events.REBALANCING, () =>
      this.setState({ phase: 'Rebalancing', message: 'consumer group is rebalancing' }),
    );
    consumer.on(consumer.events.CRASH, (e) => {
      log.error({ err: e.payload.error.message, restart: e.payload.restart }, 'consumer crashed');
      // kafkajs restarts the consumer, which rejoins and refetches from the committed offsets.
      // Deliveries go on meanwhile (the function is not the one that failed) and the book is
      // kept: the next GROUP_JOIN drops what is not ours any more, what stays is committed as it
      // finishes, and the refetch skips what was taken. Starting afresh instead re-delivered
      // every record finished during a broker outage (it could not be committed then).
      this.commitFn = undefined;
      for (const p of [...this.paused]) this.resume(p);
      this.setState({
        phase: 'Failed',
        message: `consumer crashed: ${e.payload.error.message}${e.payload.restart ? ' (restarting)' : ''}`,
      });
      if (!e.payload.restart && !this.stopped) this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topic: trigger.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: MAX_CONCURRENT_PARTITIONS,
      eachBatch: async (payload) => {
        // Commits go through the running generation without kafkajs's retrier, so a commit that
        // races a rebalance fails (and is redone for what is still ours) instead of being
        // replayed for a partition another member owns now.
        this.commitFn = payload.commitOffsetsIfNecessary as CommitFn;
        takeBatch(payload, {
          offsets: (_topic, partition) => this.book.offsets(partition),
          dispatch: (record) => this.dispatcher.push(record),
          buffered: (topic, partition) => this.dispatcher.buffered(topic, partition),
          maxBufferedRecords: this.maxRecords(),
          maxBufferedBytes: this.maxBytes(),
          pause: (_topic, partition) => this.pause(partition),
          onHighWatermark: (_topic, partition, hw) => this.book.setHighWatermark(partition, hw),
        });
        metrics.pending.set({ namespace: trigger.namespace, trigger: trigger.name }, this.dispatcher.pending);
      },
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
    this.commitFn = undefined;
    this.paused.clear();
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  /**
   * Abandons in-flight deliveries (their offsets stay uncommitted), commits what finished, and
   * leaves the group.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.book.stop();
    this.dispatcher.abandon(undefined, 'consumer stopping');
    await this.book.flush().catch(() => undefined);
    this.abandon(undefined, 'consumer stopping');
    await this.disconnect();
    this.setState({ phase: 'Stopped', message: 'stopped', assignedPartitions: 0 });
  }
}

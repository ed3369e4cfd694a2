import { Counter, Gauge, Registry } from 'prom-client';

/** The component's Prometheus metrics, labelled by trigger (namespace/name) and function. */
export class KafkaMetrics {
  readonly delivered: Counter<'namespace' | 'trigger' | 'function'>;
  readonly failed: Counter<'namespace' | 'trigger' | 'function'>;
  readonly retried: Counter<'namespace' | 'trigger' | 'function'>;
  readonly deadLettered: Counter<'namespace' | 'trigger' | 'function'>;
  readonly lag: Gauge<'namespace' | 'trigger' | 'topic' | 'partition'>;
  readonly inFlight: Gauge<'namespace' | 'trigger'>;
  readonly pausedPartitions: Gauge<'namespace' | 'trigger'>;
  readonly pending: Gauge<'namespace' | 'trigger'>;
  readonly backpressure: Counter<'namespace' | 'trigger' | 'function'>;

  constructor(readonly registry: Registry = new Registry()) {
    const fnLabels = ['namespace', 'trigger', 'function'] as const;
    this.delivered = new Counter({
      name: 'kubeless_kafka_messages_delivered_total',
      help: 'Messages a function answered with 2xx',
      labelNames: fnLabels,
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'kubeless_kafka_delivery_failures_total',
      help: 'Delivery attempts that failed (non-2xx, timeout, connection error)',
      labelNames: fnLabels,
      registers: [registry],
    });
    this.retried = new Counter({
      name: 'kubeless_kafka_delivery_retries_total',
      help: 'Attempts made after a failed one',
      labelNames: fnLabels,
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'kubeless_kafka_messages_dead_lettered_total',
      help: 'Messages written to the dead-letter topic after their last failed attempt',
      labelNames: fnLabels,
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'kubeless_kafka_consumer_lag',
      help: 'Records from the first one not yet delivered or dead-lettered to the partition high watermark',
      labelNames: ['namespace', 'trigger', 'topic', 'partition'],
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'kubeless_kafka_requests_in_flight',
      help: 'HTTP requests to functions currently open',
      labelNames: ['namespace', 'trigger'],
      registers: [registry],
    });
    this.pausedPartitions = new Gauge({
      name: 'kubeless_kafka_paused_partitions',
      help: 'Partitions paused because the records taken from them and not finished fill their buffer',
      labelNames: ['namespace', 'trigger'],
      registers: [registry],
    });
    this.pending = new Gauge({
      name: 'kubeless_kafka_records_pending',
      help: 'Records fetched and not yet delivered or dead-lettered (queued in their lane or in flight)',
      labelNames: ['namespace', 'trigger'],
      registers: [registry],
    });
    this.backpressure = new Counter({
      name: 'kubeless_kafka_backpressure_total',
      help: 'Answers that asked the trigger to slow down (429, 503, nothing listening); retried without using an attempt',
      labelNames: fnLabels,
      registers: [registry],
    });
  }
}

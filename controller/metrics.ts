import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ControllerMetrics {
  registry: Registry;
  reconciles: Counter<'kind' | 'result'>;
  duration: Histogram<'kind'>;
  queueDepth: Gauge;
  errors: Counter<'kind' | 'reason'>;
  leader: Gauge;
}

export function makeMetrics(): ControllerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    reconciles: new Counter({
      name: 'kubeless_controller_reconcile_total',
      help: 'Reconciles by kind and result (success, error, requeue)',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'kubeless_controller_reconcile_duration_seconds',
      help: 'Time spent in one reconcile',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'kubeless_controller_queue_depth',
      help: 'Keys waiting in the work queue',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'kubeless_controller_errors_total',
      help: 'Reconcile failures by kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'kubeless_controller_is_leader',
      help: '1 while this instance holds the leader Lease',
      registers: [registry],
    }),
  };
}

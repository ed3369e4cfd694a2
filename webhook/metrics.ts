import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WebhookMetrics {
  registry: Registry;
  admissions: Counter<'endpoint' | 'kind' | 'operation' | 'allowed' | 'dry_run'>;
  duration: Histogram<'endpoint'>;
  badRequests: Counter<'endpoint' | 'reason'>;
  certExpiry: Gauge;
  certReloads: Counter;
}

/** A registry per server, so tests and several servers in one process do not share counters. */
export function createMetrics(withDefaults = true): WebhookMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    admissions: new Counter({
      name: 'kubeless_webhook_admissions_total',
      help: 'Admission reviews answered, by endpoint, kind, operation and decision',
      labelNames: ['endpoint', 'kind', 'operation', 'allowed', 'dry_run'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'kubeless_webhook_admission_duration_seconds',
      help: 'Time to answer an admission review',
      labelNames: ['endpoint'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    badRequests: new Counter({
      name: 'kubeless_webhook_bad_requests_total',
      help: 'Requests answered 400/413 because the body was not a usable AdmissionReview',
      labelNames: ['endpoint', 'reason'],
      registers: [registry],
    }),
    certExpiry: new Gauge({
      name: 'kubeless_webhook_certificate_expiry_timestamp_seconds',
      help: 'notAfter of the serving certificate currently in use',
      registers: [registry],
    }),
    certReloads: new Counter({
      name: 'kubeless_webhook_certificate_reloads_total',
      help: 'Serving certificates loaded without a restart',
      registers: [registry],
    }),
  };
}

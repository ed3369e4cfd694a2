// Semantic rules for the trigger kinds, beyond what the schema says.
import { CronExpressionParser } from 'cron-parser';
import type {
  CronJobTriggerSpec,
  HTTPTriggerSpec,
  KafkaTriggerSpec,
  LabelSelector,
  ObjectMeta,
} from '../types.js';
import { type FieldError, child, forbidden, invalid, quote, required } from './errors.js';
import { isDns1035Label, isDns1123Subdomain } from '../k8s/names.js';
import { validateName } from './meta.js';
import { everySeconds, isEverySchedule } from './schedule.js';

/** Kafka's own rule for topic names. */
/**
 * The event-namespace header a CronJobTrigger's call carries, on a cluster and locally alike (the
 * original Kubeless's value; its event-type was the payload's content type).
 */
export const CRON_EVENT_NAMESPACE = 'cronjobtrigger.kubeless.io';

export const TOPIC_PATTERN = '^[a-zA-Z0-9._-]{1,249}$';
const TOPIC_RE = new RegExp(TOPIC_PATTERN);
// A host an Ingress accepts: DNS names, with an optional leading `*.` wildcard label.
const HOST_RE = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PATH_RE = /^\/?[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function functionName(value: string | undefined, field: string): FieldError[] {
  if (!value) return [required(field, 'name the Function (in the same namespace) this trigger calls')];
  if (!isDns1035Label(value)) {
    return [
      invalid(
        field,
        `${quote(value)} cannot be a Function name`,
        'use the metadata.name of an existing Function',
      ),
    ];
  }
  return [];
}

function secretName(value: string | undefined, field: string): FieldError[] {
  if (value === undefined || value === '') return [];
  if (!isDns1123Subdomain(value)) {
    return [
      invalid(
        field,
        `${quote(value)} is not a Secret name`,
        "use the name of a Secret in the trigger's namespace",
      ),
    ];
  }
  return [];
}

function selectorErrors(selector: LabelSelector | undefined, field: string): FieldError[] {
  const labels = Object.keys(selector?.matchLabels ?? {});
  const exprs = selector?.matchExpressions ?? [];
  if (labels.length === 0 && exprs.length === 0) {
    return [
      required(
        field,
        'set matchLabels (e.g. function: my-fn) or matchExpressions; an empty selector would send every message to every function',
        'must select at least one label',
      ),
    ];
  }
  const errors: FieldError[] = [];
  exprs.forEach((req, i) => {
    const at = child(child(field, 'matchExpressions'), i);
    const values = req.values ?? [];
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      errors.push(required(`${at}.values`, `list at least one value for operator ${req.operator}`));
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      errors.push(
        forbidden(
          `${at}.values`,
          `must be empty for operator ${req.operator}`,
          'remove values, or use In/NotIn',
        ),
      );
    }
  });
  return errors;
}

export function kafkaTriggerRules(meta: ObjectMeta | undefined, spec: KafkaTriggerSpec): FieldError[] {
  const errors = [...validateName(meta, 'KafkaTrigger', 'it names the consumer group')];
  if (!spec.topic) errors.push(required('spec.topic', 'name the Kafka topic to consume'));
  else if (!TOPIC_RE.test(spec.topic)) {
    errors.push(
      invalid(
        'spec.topic',
        `${quote(spec.topic)} is not a Kafka topic name`,
        'use 1-249 characters of [a-zA-Z0-9._-]',
      ),
    );
  }
  errors.push(...selectorErrors(spec.functionSelector, 'spec.functionSelector'));
  const dlq = spec.deadLetterTopic;
  if (dlq !== undefined) {
    if (!TOPIC_RE.test(dlq)) {
      errors.push(
        invalid(
          'spec.deadLetterTopic',
          `${quote(dlq)} is not a Kafka topic name`,
          'use 1-249 characters of [a-zA-Z0-9._-]',
        ),
      );
    } else if (dlq === spec.topic) {
      errors.push(
        invalid(
          'spec.deadLetterTopic',
          'is the same topic as spec.topic, so failed messages would be consumed again forever',
          `use another topic, e.g. ${spec.topic}.dlq (the default)`,
        ),
      );
    }
  }
  if (
    spec.initialBackoffMs !== undefined &&
    spec.maxBackoffMs !== undefined &&
    spec.maxBackoffMs < spec.initialBackoffMs
  ) {
    errors.push(
      invalid(
        'spec.maxBackoffMs',
        `${spec.maxBackoffMs} is below spec.initialBackoffMs (${spec.initialBackoffMs})`,
        'make maxBackoffMs at least initialBackoffMs',
      ),
    );
  }
  return errors;
}

export function httpTriggerRules(meta: ObjectMeta | undefined, spec: HTTPTriggerSpec): FieldError[] {
  const errors = [
    ...validateName(meta, 'HTTPTrigger', 'it names the Ingress'),
    ...functionName(spec['function-name'], 'spec.function-name'),
  ];
  const host = spec['host-name'];
  if (host !== undefined && host !== '' && (host.length > 253 || !HOST_RE.test(host))) {
    errors.push(
      invalid(
        'spec.host-name',
        `${quote(host)} is not a DNS host name`,
        'use a lower-case DNS name such as fn.example.com',
      ),
    );
  }
  const path = spec.path;
  if (path !== undefined && !PATH_RE.test(path)) {
    errors.push(
      invalid(
        'spec.path',
        `${quote(path)} is not a URL path`,
        'use a path such as /echo, with no spaces or query string',
      ),
    );
  }
  errors.push(...secretName(spec['tls-secret'], 'spec.tls-secret'));
  errors.push(...secretName(spec['basic-auth-secret'], 'spec.basic-auth-secret'));
  if (spec.tls && spec['tls-secret']) {
    errors.push(
      forbidden(
        'spec.tls-secret',
        'cannot be combined with spec.tls (a certificate issued by ACME)',
        'keep one: tls: true for an ACME certificate, or tls-secret for your own',
      ),
    );
  }
  if ((spec.tls || spec['tls-secret']) && !host) {
    errors.push(required('spec.host-name', 'TLS needs the host name the certificate is for'));
  }
  return errors;
}

function scheduleErrors(schedule: string | undefined, timeZone: string | undefined): FieldError[] {
  const field = 'spec.schedule';
  if (!schedule || schedule.trim() === '') {
    return [required(field, 'write a cron schedule such as "*/5 * * * *" (every five minutes)')];
  }
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) {
    return [
      forbidden(
        field,
        'must not set a time zone itself',
        'move the zone to spec.timeZone, e.g. timeZone: Europe/Berlin',
      ),
    ];
  }
  if (s.startsWith('@')) {
    if (CRON_MACROS.includes(s)) return [];
    // `@every <duration>` is robfig/cron's (so a CronJob accepts it) and the only sub-minute form.
    if (isEverySchedule(s)) {
      if (everySeconds(s) !== undefined) return [];
      return [
        invalid(
          field,
          `${quote(s)} has no valid duration`,
          'write a Go duration of at least 1s, e.g. "@every 1s", "@every 5m" or "@every 1h30m"',
        ),
      ];
    }
    return [
      invalid(
        field,
        `${quote(s)} is not a known macro`,
        `use five cron fields, "@every <duration>", or one of ${CRON_MACROS.join(', ')}`,
      ),
    ];
  }
  const fields = s.split(/\s+/).length;
  if (fields !== 5) {
    return [
      invalid(
        field,
        `${quote(s)} does not have five fields`,
        fields === 6
          ? 'a Kubernetes CronJob has no seconds field; for seconds write "@every 1s" (or "@every 10s")'
          : 'write minute hour day-of-month month day-of-week, e.g. "0 * * * *"',
      ),
    ];
  }
  try {
    CronExpressionParser.parse(s, timeZone ? { tz: timeZone } : {});
  } catch (err) {
    return [
      invalid(
        field,
        `${quote(s)} is not a valid cron schedule (${(err as Error).message})`,
        'write minute hour day-of-month month day-of-week, e.g. "30 2 * * 1-5"',
      ),
    ];
  }
  return [];
}

function timeZoneErrors(timeZone: string | undefined): FieldError[] {
  if (timeZone === undefined) return [];
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return [];
  } catch {
    return [
      invalid(
        'spec.timeZone',
        `${quote(timeZone)} is not a known time zone`,
        'use an IANA name such as Etc/UTC or Europe/Berlin',
      ),
    ];
  }
}

export function cronJobTriggerRules(meta: ObjectMeta | undefined, spec: CronJobTriggerSpec): FieldError[] {
  const tzErrors = timeZoneErrors(spec.timeZone);
  return [
    ...validateName(meta, 'CronJobTrigger', 'it names the CronJob'),
    ...functionName(spec['function-name'], 'spec.function-name'),
    ...scheduleErrors(spec.schedule, tzErrors.length === 0 ? spec.timeZone : undefined),
    ...tzErrors,
  ];
}

// The Kubeless event headers: what the runtimes read into event['event-id'], event-type,
// event-time and event-namespace. Every caller of a function (invoke, the CLI, CronJob and
// Kafka triggers) builds them here, so the names and their meaning are written once.

/** `event-namespace` of a record a KafkaTrigger (or a pubsub Function's topic) delivers. */
export const KAFKA_EVENT_NAMESPACE = 'kafkatriggers.kubeless.io';

/**
 * Go's time.Time.String() of a UTC time, as the original Kafka trigger sent it
 * ("2009-11-10 23:00:00.123 +0000 UTC"): fractional seconds without trailing zeros, none at all on
 * a whole second. Milliseconds are all a Date holds; Go printed up to nanoseconds.
 */
export function goUtcTimeString(at: Date): string {
  const iso = at.toISOString(); // 2009-11-10T23:00:00.123Z
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}

/**
 * The `event-time` a source sends, in the form the original Kubeless's source of that kind sent,
 * because functions written for it parse (and its Makefiles grep) exactly that: its Kafka trigger
 * (and NATS, Kinesis) sent Go's time.String() ("2009-11-10 23:00:00 +0000 UTC", the form its
 * docs show); its CLI's `function call` sent RFC 3339 ("2009-11-10T23:00:00Z") since v1.0.0.
 * Every other source of ours (the invoke subresource, CronJobTriggers, `kubeless invoke`) sends
 * RFC 3339 too, in UTC with milliseconds. A source is known by its event-namespace.
 */
export function eventTimeFor(namespace: string, at: Date): string {
  return namespace === KAFKA_EVENT_NAMESPACE ? goUtcTimeString(at) : at.toISOString();
}

export interface KubelessEvent {
  /** Stable per event where the source has an identity (a Kafka record), random otherwise. */
  id: string;
  /** The payload's media type, without parameters (the original runtimes' event-type). */
  type: string;
  /** When the event happened; sent in its source's form (eventTimeFor). */
  time: Date;
  /** Which kind of source sent it, e.g. kafkatriggers.kubeless.io. */
  namespace: string;
}

export function kubelessEventHeaders(e: KubelessEvent): Record<string, string> {
  return {
    'event-id': e.id,
    'event-type': e.type,
    'event-time': eventTimeFor(e.namespace, e.time),
    'event-namespace': e.namespace,
  };
}

// The Kubeless event headers: what the runtimes read into event['event-id'], event-type,
// event-time and event-namespace. Every caller of a function (invoke, the CLI, CronJob and
// Kafka triggers) builds them here, so the names and their meaning are written once.

/** `event-namespace` of a record a KafkaTrigger (or a pubsub Function's topic) delivers. */
export const KAFKA_EVENT_NAMESPACE = 'kafkatriggers.kubeless.io';

export interface KubelessEvent {
  /** Stable per event where the source has an identity (a Kafka record), random otherwise. */
  id: string;
  /** The payload's media type, without parameters (the original runtimes' event-type). */
  type: string;
  /** ISO 8601. */
  time: string;
  /** Which kind of source sent it, e.g. kafkatriggers.kubeless.io. */
  namespace: string;
}

export function kubelessEventHeaders(e: KubelessEvent): Record<string, string> {
  return {
    'event-id': e.id,
    'event-type': e.type,
    'event-time': e.time,
    'event-namespace': e.namespace,
  };
}

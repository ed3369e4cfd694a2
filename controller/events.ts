import { randomBytes } from 'node:crypto';
import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import { describeError } from './kube.js';
import type { Logger } from '../lib/server/log.js';

/** What an Event can be about: a Function or a trigger. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export type EventType = 'Normal' | 'Warning';

export function buildEvent(
  fn: EventSubject,
  type: EventType,
  reason: string,
  message: string,
  now: Date,
  host: string,
): CoreV1Event {
  const name = fn.metadata.name ?? fn.kind.toLowerCase();
  return {
    metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace: fn.metadata.namespace },
    involvedObject: {
      apiVersion: fn.apiVersion,
      kind: fn.kind,
      name,
      namespace: fn.metadata.namespace,
      uid: fn.metadata.uid,
      resourceVersion: fn.metadata.resourceVersion,
    },
    type,
    reason,
    message: message.slice(0, 1024),
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    source: { component: 'kubeless-controller', host },
    reportingComponent: 'kubeless-controller',
    reportingInstance: host,
  };
}

/**
 * Records Events on Functions and triggers. The same reason and message for the same object is recorded
 * once until it changes, so a failing object retried with backoff does not flood the namespace.
 */
export class EventRecorder {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  /**
   * Returns false when the same Event was already recorded for this Function. `topic` keeps one
   * last Event per kind of news, so a container restart reported between two reconcile problems
   * does not make the same problem count as new.
   */
  async record(
    fn: EventSubject,
    type: EventType,
    reason: string,
    message: string,
    topic = 'reconcile',
  ): Promise<boolean> {
    const key = `${fn.metadata.namespace}/${fn.metadata.name}/${fn.metadata.uid}/${topic}`;
    const fingerprint = `${type}/${reason}/${message}`;
    if (this.last.get(key) === fingerprint) return false;
    this.last.set(key, fingerprint);
    const event = buildEvent(fn, type, reason, message, new Date(), this.host);
    try {
      await this.core.createNamespacedEvent({ namespace: fn.metadata.namespace ?? 'default', body: event });
    } catch (err) {
      // An Event is a courtesy; failing to write one must not fail the reconcile.
      this.log.warn(
        { namespace: fn.metadata.namespace, name: fn.metadata.name, reason, error: describeError(err) },
        'could not record event',
      );
    }
    return true;
  }

  forget(namespace: string, name: string): void {
    for (const key of this.last.keys()) if (key.startsWith(`${namespace}/${name}/`)) this.last.delete(key);
  }
}

import type { KafkaTriggerSpec, LabelSelector, LabelSelectorRequirement, ObjectMeta } from '../lib/types.js';

export type { LabelSelector, LabelSelectorRequirement };

// The delivery engine's own vocabulary. It knows nothing of Kubernetes: the k8s mode, the
// standalone file mode and the local platform all translate their objects into these.

export interface FunctionRef {
  namespace: string;
  name: string;
}

/** The parts of a `kubeless.io/v1beta1` KafkaTrigger this component reads. */
export interface KafkaTriggerObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  // Partial: objects from a file (standalone mode) are read before any validation ran.
  spec?: Partial<KafkaTriggerSpec>;
  status?: unknown;
}

/** A function as a delivery needs it: where it is and which port of its Service takes calls. */
export interface FunctionTarget extends FunctionRef {
  /**
   * The Function's Service port (lib/function/ports.ts, from spec.service.ports); absent where the
   * caller does not go through the Service (the local platform, a --function-url template).
   */
  servicePort?: number;
}

/** A function as the engine needs it for selection: where it is and what labels it carries. */
export interface FunctionInfo extends FunctionTarget {
  labels: Record<string, string>;
  /** A seed-era pubsub Function's topic (`spec.type: pubsub`): it gets an implicit trigger. */
  pubsubTopic?: string;
}

/**
 * What order records reach the functions in: one at a time per partition, per key (within a
 * partition), or not at all. Commits are safe under each: see kafka/offsets.ts.
 */
export type Ordering = 'partition' | 'key' | 'none';

/** A validated, defaulted trigger: everything the consumer needs, nothing it has to guess. */
export interface TriggerConfig {
  namespace: string;
  name: string;
  generation: number;
  topic: string;
  groupId: string;
  functionSelector: LabelSelector;
  deadLetterTopic: string;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  /** Upper bound of HTTP requests this trigger has open at once, over all partitions. */
  maxInFlight: number;
  ordering: Ordering;
  /** Set for the implicit trigger of a pubsub Function: that Function's name (no KafkaTrigger exists). */
  pubsubFunction?: string;
}

/** One Kafka record, as delivered and as dead-lettered. */
export interface RecordInfo {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/**
 * Maps a function to the URL the POST goes to (its Service on a cluster, a port locally). Throws
 * (or rejects with) FunctionNotReady while the function cannot take calls yet: the record waits
 * without using up an attempt.
 */
export type UrlResolver = (fn: FunctionTarget) => string | Promise<string>;

export class FunctionNotReady extends Error {}

// The operator's policy: what Functions may ask the controller to create, and which Kafka topics
// each namespace's triggers may use. One JSON/YAML document (the chart renders it from its
// `functionPolicy` and `kafka.topicPolicy` values into the ConfigMap `kubeless-policy`), read by
// the webhook, the controller and the Kafka trigger with `--policy-file`. Pure parsing here.
import YAML from 'yaml';
import type { PodSecurityLevel } from './pod-security.js';
import { SERVICE_TYPES, type ServiceType } from './service.js';

export interface FunctionPolicy {
  /** Pod Security Standard the function pods must meet. */
  podSecurity: PodSecurityLevel;
  /** Service accounts a Function may run as besides `default`: `name` (any namespace) or `namespace/name`. */
  allowedServiceAccounts: string[];
  /** Volume types allowed beyond the profile's, e.g. `hostPath`, `nfs`. */
  allowedVolumeTypes: string[];
  /** Capabilities a container may add beyond the profile's. */
  allowedCapabilities: string[];
  /** Service types a Function's Service may have (ClusterIP is the default type). */
  allowedServiceTypes: ServiceType[];
  allowExternalIPs: boolean;
  /** Code from plain http:// URLs (no integrity, anyone on the path can replace it). */
  allowHttpSources: boolean;
}

export interface KafkaTopicPolicy {
  /**
   * Topics a KafkaTrigger of a namespace without its own entry may read and dead-letter into:
   * exact names, `prefix*`, or `*`; `{namespace}` stands for the trigger's namespace.
   */
  default: string[];
  /** Per-namespace patterns, replacing `default` for that namespace. */
  namespaces: Record<string, string[]>;
}

export interface PlatformPolicy {
  functions: FunctionPolicy;
  kafkaTopics: KafkaTopicPolicy;
}

/**
 * Without a policy file: function pods meet `restricted` and stay inside the cluster (nothing a
 * single tenant loses), while every Kafka topic is allowed (one tenant; the chart's default for a
 * shared cluster is `{namespace}.*`).
 */
export const DEFAULT_POLICY: PlatformPolicy = {
  functions: {
    podSecurity: 'restricted',
    allowedServiceAccounts: [],
    allowedVolumeTypes: [],
    allowedCapabilities: [],
    allowedServiceTypes: ['ClusterIP'],
    allowExternalIPs: false,
    allowHttpSources: false,
  },
  kafkaTopics: { default: ['*'], namespaces: {} },
};

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(where: string, value: unknown, fallback: string[]): string[] {
  if (value === undefined || value === null) return [...fallback];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && s !== '')) {
    throw new PolicyError(`${where} must be a list of non-empty strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function bool(where: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw new PolicyError(`${where} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function keysOnly(where: string, o: Obj, allowed: string[]): void {
  const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new PolicyError(`${where}: unknown key(s) ${unknown.join(', ')}; known: ${allowed.join(', ')}`);
  }
}

function functionPolicy(value: unknown): FunctionPolicy {
  const d = DEFAULT_POLICY.functions;
  if (value === undefined || value === null) return structuredClone(d);
  if (!isObj(value)) throw new PolicyError('functions must be a mapping');
  keysOnly('functions', value, Object.keys(d));
  const level = value.podSecurity ?? d.podSecurity;
  if (level !== 'restricted' && level !== 'baseline' && level !== 'privileged') {
    throw new PolicyError(
      `functions.podSecurity must be restricted, baseline or privileged, got ${JSON.stringify(level)}`,
    );
  }
  const types = strings('functions.allowedServiceTypes', value.allowedServiceTypes, d.allowedServiceTypes);
  const badType = types.find((t) => !(SERVICE_TYPES as readonly string[]).includes(t));
  if (badType !== undefined) {
    throw new PolicyError(
      `functions.allowedServiceTypes: ${JSON.stringify(badType)} is not a Service type; use ${SERVICE_TYPES.join(', ')}`,
    );
  }
  return {
    podSecurity: level,
    allowedServiceAccounts: strings('functions.allowedServiceAccounts', value.allowedServiceAccounts, []),
    allowedVolumeTypes: strings('functions.allowedVolumeTypes', value.allowedVolumeTypes, []),
    allowedCapabilities: strings('functions.allowedCapabilities', value.allowedCapabilities, []),
    allowedServiceTypes: types as ServiceType[],
    allowExternalIPs: bool('functions.allowExternalIPs', value.allowExternalIPs, d.allowExternalIPs),
    allowHttpSources: bool('functions.allowHttpSources', value.allowHttpSources, d.allowHttpSources),
  };
}

function kafkaTopicPolicy(value: unknown): KafkaTopicPolicy {
  const d = DEFAULT_POLICY.kafkaTopics;
  if (value === undefined || value === null) return structuredClone(d);
  if (!isObj(value)) throw new PolicyError('kafkaTopics must be a mapping');
  keysOnly('kafkaTopics', value, ['default', 'namespaces']);
  const namespaces: Record<string, string[]> = {};
  const given = value.namespaces ?? {};
  if (!isObj(given))
    throw new PolicyError('kafkaTopics.namespaces must map namespace names to lists of topic patterns');
  for (const [ns, patterns] of Object.entries(given)) {
    namespaces[ns] = strings(`kafkaTopics.namespaces.${ns}`, patterns, []);
  }
  return { default: strings('kafkaTopics.default', value.default, d.default), namespaces };
}

/** Parses a policy document (JSON or YAML); missing keys take DEFAULT_POLICY's values. */
export function parsePolicy(text: string, source = 'policy'): PlatformPolicy {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new PolicyError(`${source}: not valid JSON or YAML (${(err as Error).message})`);
  }
  if (doc === null || doc === undefined) return structuredClone(DEFAULT_POLICY);
  try {
    if (!isObj(doc)) throw new PolicyError('expected a mapping with functions and kafkaTopics');
    keysOnly('policy', doc, ['functions', 'kafkaTopics']);
    return { functions: functionPolicy(doc.functions), kafkaTopics: kafkaTopicPolicy(doc.kafkaTopics) };
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(`${source}: ${err.message}`);
    throw err;
  }
}

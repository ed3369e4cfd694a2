import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

// client-node 1.4 builds a new https.Agent for every API call and every watch
// (kubernetes-client/javascript#2893), so each request pays a TCP connect, a TLS handshake and a
// fresh OpenSSL context that only goes away when V8 gets round to collecting its small JS
// wrapper. At 1,000 Functions that is ~8,000 handshakes, hundreds of MiB of native memory that
// the V8 heap never sees, and several milliseconds per request. These keep one keep-alive agent
// per distinct TLS identity instead.

type AnyAgent = http.Agent | https.Agent;

/** The TLS options that make two agents interchangeable; anything else (timeouts) is per request. */
const IDENTITY_FIELDS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
] as const;

function fingerprintValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(fingerprintValue).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A key for an agent's TLS identity: equal keys mean the same server trust and client credentials.
 * Returns undefined for agents that must not be pooled (proxies, anything but plain http/https agents).
 */
export function agentKey(agent: AnyAgent): string | undefined {
  const proto = Object.getPrototypeOf(agent) as object;
  if (proto !== https.Agent.prototype && proto !== http.Agent.prototype) return undefined;
  const scheme = proto === https.Agent.prototype ? 'https' : 'http';
  const options = (agent as { options?: Record<string, unknown> }).options ?? {};
  const hash = createHash('sha256');
  for (const field of IDENTITY_FIELDS) hash.update(`${field}=${fingerprintValue(options[field])}\n`);
  return `${scheme}:${hash.digest('hex')}`;
}

export interface AgentPoolOptions {
  /** Distinct identities kept; more only happens when credentials rotate. */
  maxAgents?: number;
  /** How long a replaced agent keeps serving the requests (watches) already on it. */
  retireAfterMs?: number;
}

/** One keep-alive agent per TLS identity, shared by every request that presents it. */
export class AgentPool {
  private readonly agents = new Map<string, AnyAgent>();
  private readonly maxAgents: number;
  private readonly retireAfterMs: number;

  constructor(options: AgentPoolOptions = {}) {
    this.maxAgents = options.maxAgents ?? 4;
    this.retireAfterMs = options.retireAfterMs ?? 60_000;
  }

  get size(): number {
    return this.agents.size;
  }

  /** The pooled agent equivalent to `fresh` (created from its options on first sight), or `fresh` itself when it cannot be pooled. */
  reuse(fresh: AnyAgent): AnyAgent {
    const key = agentKey(fresh);
    if (key === undefined) return fresh;
    const known = this.agents.get(key);
    if (known) return known;
    const options = { ...(fresh as { options?: https.AgentOptions }).options, keepAlive: true };
    const pooled = fresh instanceof https.Agent ? new https.Agent(options) : new http.Agent(options);
    this.agents.set(key, pooled);
    if (this.agents.size > this.maxAgents) {
      const [oldestKey, oldest] = this.agents.entries().next().value as [string, AnyAgent];
      this.agents.delete(oldestKey);
      this.retire(oldest);
    }
    return pooled;
  }

  /** Closes every pooled connection, watches included. */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  // Credentials rotated: idle sockets go now; requests and watches in flight get a grace period,
  // after which the informers reconnect through the agent that carries the new credentials.
  private retire(agent: AnyAgent): void {
    for (const sockets of Object.values(agent.freeSockets)) for (const s of sockets ?? []) s.destroy();
    setTimeout(() => agent.destroy(), this.retireAfterMs).unref();
  }
}

/**
 * A KubeConfig whose API clients and watches share pooled keep-alive connections. Credentials
 * are still read per request (token files, exec plugins), so rotation keeps working.
 */
export class PooledKubeConfig extends KubeConfig {
  readonly agents = new AgentPool();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const agent = context.getAgent();
    if (agent) context.setAgent(this.agents.reuse(agent));
  }

  override async applyToFetchOptions(
    opts: https.RequestOptions,
  ): ReturnType<KubeConfig['applyToFetchOptions']> {
    const init = await super.applyToFetchOptions(opts);
    if (init.agent instanceof http.Agent) init.agent = this.agents.reuse(init.agent);
    return init;
  }
}

// Pure bookkeeping of Function churn: which final state each Function may be in given the answers
// its writes got, and what the cluster shows against that (lost writes, orphans, duplicates).

export type ChurnOp = 'create' | 'update' | 'delete';

export interface WriteRecord {
  name: string;
  op: ChurnOp;
  /** The code version a create or update writes. */
  version: number;
  status: number;
  /** Transport error when no answer came. */
  error?: string;
  /** The Status message of a refusal. */
  message?: string;
  startedAt: number;
  endedAt: number;
}

/** A Function's state as far as the churn goes: absent, or present with a code version. */
export type FnState = 'absent' | number;

/**
 * Final states each name may be in. An acknowledged write (2xx) fixes the state; a refusal with a
 * 4xx status left it as it was (a 404 says it is absent, a 409 on create that it is present);
 * anything else (5xx, no answer) may or may not have been applied. The writes of one name are made
 * one after another, so their order is the order of the records.
 */
export function acceptableStates(writes: readonly WriteRecord[]): Map<string, Set<FnState>> {
  const states = new Map<string, Set<FnState>>();
  for (const w of writes) {
    const before = states.get(w.name) ?? new Set<FnState>(['absent']);
    const after: FnState = w.op === 'delete' ? 'absent' : w.version;
    if (w.status >= 200 && w.status < 300) states.set(w.name, new Set([after]));
    else if (w.status === 404 && w.op !== 'create') states.set(w.name, new Set<FnState>(['absent']));
    else if (w.status === 409 && w.op === 'create' && before.size > 1) {
      states.set(w.name, new Set([...before].filter((s) => s !== 'absent')));
    } else if ((w.status >= 400 && w.status < 500) || (w.status === 0 && w.error === 'ECONNREFUSED'))
      states.set(w.name, before);
    else states.set(w.name, new Set([...before, after]));
  }
  return states;
}

/**
 * ok: acknowledged; clear: refused with a Status message, or the connection was refused (nothing
 * reached the server: the client knows it was not applied, as for calls); unknown: no answer after
 * the request may have arrived (reset, timeout) or an error without a message.
 */
export function writeOutcome(w: WriteRecord): 'ok' | 'clear' | 'unknown' {
  if (w.status >= 200 && w.status < 300) return 'ok';
  if (w.status >= 400 && w.message) return 'clear';
  if (w.status === 0 && w.error === 'ECONNREFUSED') return 'clear';
  return 'unknown';
}

/** What the cluster holds for the churned namespace, reduced to what the checks need. */
export interface ObservedFunction {
  name: string;
  uid: string;
  version: number | undefined;
  generation: number;
  observedGeneration: number | undefined;
  ready: { status: string; reason: string } | undefined;
}

export interface ObservedOwned {
  kind: 'ConfigMap' | 'Deployment' | 'Service';
  name: string;
  /** The `function` label. */
  fn: string | undefined;
  /** uid of the controller owner reference. */
  ownerUid: string | undefined;
  /** The code version the object carries (ConfigMap: in its code; others: undefined). */
  version: number | undefined;
  deleting: boolean;
}

export interface ChurnVerdict {
  /** Names whose state is not one the answers allow: an acknowledged write that did not stick. */
  lost: string[];
  /** Present Functions whose objects do not show their spec yet. */
  notConverged: string[];
  /** Controller-made objects whose Function is gone (or is another one of the same name). */
  orphans: string[];
  /** Functions with more than one object of a kind. */
  duplicates: string[];
}

const KINDS: ObservedOwned['kind'][] = ['ConfigMap', 'Deployment', 'Service'];

export function judgeChurn(
  acceptable: ReadonlyMap<string, ReadonlySet<FnState>>,
  functions: readonly ObservedFunction[],
  owned: readonly ObservedOwned[],
): ChurnVerdict {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const lost: string[] = [];
  for (const [name, allowed] of acceptable) {
    const fn = byName.get(name);
    const state: FnState = fn ? (fn.version ?? -1) : 'absent';
    if (!allowed.has(state)) lost.push(`${name}: is ${state}, answers allow ${[...allowed].join(' or ')}`);
  }
  const notConverged: string[] = [];
  for (const fn of functions) {
    if (!acceptable.has(fn.name)) continue;
    const mine = owned.filter((o) => o.ownerUid === fn.uid && !o.deleting);
    const missing = KINDS.filter((k) => !mine.some((o) => o.kind === k));
    const cm = mine.find((o) => o.kind === 'ConfigMap');
    const why: string[] = [];
    if (missing.length > 0) why.push(`no ${missing.join('/')}`);
    if (cm && cm.version !== fn.version)
      why.push(`ConfigMap has v${cm.version ?? '?'}, spec v${fn.version ?? '?'}`);
    if (fn.observedGeneration !== fn.generation)
      why.push(`status.observedGeneration ${fn.observedGeneration ?? '-'} of ${fn.generation}`);
    if (why.length > 0) notConverged.push(`${fn.name}: ${why.join(', ')}`);
  }
  const uids = new Set(functions.map((f) => f.uid));
  const orphans = owned
    .filter((o) => !o.deleting && (!o.ownerUid || !uids.has(o.ownerUid)))
    .map((o) => `${o.kind} ${o.name}`);
  const duplicates: string[] = [];
  for (const fn of functions) {
    for (const kind of KINDS) {
      const n = owned.filter((o) => o.kind === kind && o.fn === fn.name && !o.deleting).length;
      if (n > 1) duplicates.push(`${fn.name}: ${n} ${kind}s`);
    }
  }
  return { lost, notConverged, orphans, duplicates };
}

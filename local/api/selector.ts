// Label selectors as the `labelSelector` query parameter spells them (`a=b,c!=d,e in (f,g),!h`).
// Pure; a malformed selector is a 400 with the offending term.

export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas that are not inside a `( ... )` value set. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

function checkKey(key: string, term: string): string {
  if (!KEY.test(key))
    throw new SelectorError(
      `label selector term ${JSON.stringify(term)}: ${JSON.stringify(key)} is not a valid label key`,
    );
  return key;
}

export function parseSelector(selector: string): Requirement[] {
  return terms(selector).map((term) => {
    let m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key: checkKey(m[1]!, term), op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) return { key: checkKey(m[1]!, term), op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]! };
    m = /^!\s*(\S+)$/.exec(term);
    if (m) return { key: checkKey(m[1]!, term), op: 'notexists' };
    if (/^\S+$/.test(term)) return { key: checkKey(term, term), op: 'exists' };
    throw new SelectorError(
      `label selector term ${JSON.stringify(term)} is not understood; use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`,
    );
  });
}

export function matches(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

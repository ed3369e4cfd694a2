// The original Kubeless CLI's list flags (`--env`, `--label`, `--node-selectors`): each occurrence
// is a comma-separated list, each item `KEY=VALUE`, `KEY:VALUE` or a bare `KEY` (empty value).
// We add `KEY-` to remove a key on update, as `kubectl label` and `kubectl set env` do.
import { envNameProblem, labelKeyProblem, labelValueProblem } from '../../lib/function/labels.js';
import { CliError } from '../errors.js';

export interface KeyValueChange {
  set: Record<string, string>;
  remove: string[];
}

/**
 * Splits one flag value on commas as the original's string-slice flags did (CSV: a field in
 * double quotes may hold commas, `""` is a quote inside it). Empty items are dropped.
 */
export function splitList(value: string, flag: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i <= value.length) {
    let item = '';
    if (value[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= value.length)
          throw new CliError(`invalid ${flag} ${JSON.stringify(value)}: a quote is not closed`);
        if (value[i] === '"' && value[i + 1] === '"') {
          item += '"';
          i += 2;
        } else if (value[i] === '"') {
          i += 1;
          break;
        } else {
          item += value[i];
          i += 1;
        }
      }
      if (i < value.length && value[i] !== ',') {
        throw new CliError(`invalid ${flag} ${JSON.stringify(value)}: put a comma after a quoted item`);
      }
    } else {
      const comma = value.indexOf(',', i);
      const end = comma < 0 ? value.length : comma;
      item = value.slice(i, end);
      i = end;
    }
    if (item !== '') items.push(item);
    i += 1;
  }
  return items;
}

/** `KEY=VALUE` or `KEY:VALUE` (whichever separator comes first), `KEY-` to remove, bare `KEY` = empty. */
export function parseKeyValues(occurrences: string[] | undefined, flag: string): KeyValueChange {
  const change: KeyValueChange = { set: {}, remove: [] };
  for (const item of (occurrences ?? []).flatMap((v) => splitList(v, flag))) {
    const sep = item.search(/[=:]/);
    if (sep === 0) {
      throw new CliError(`invalid ${flag} "${item}": it has no key; write KEY=VALUE (or KEY:VALUE)`);
    }
    if (sep > 0) {
      change.set[item.slice(0, sep)] = item.slice(sep + 1);
    } else if (item.endsWith('-') && item.length > 1) {
      change.remove.push(item.slice(0, -1));
    } else {
      change.set[item] = '';
    }
  }
  return change;
}

/** Refuses, before anything is sent, the labels (or node selectors) a cluster would refuse. */
export function checkLabels(change: KeyValueChange, flag: string): void {
  const example = `separate several with commas, e.g. ${flag} app=web,tier:backend`;
  for (const [key, value] of Object.entries(change.set)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) throw new CliError(`invalid ${flag} key "${key}": ${keyProblem}; ${example}`);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) {
      throw new CliError(`invalid ${flag} value "${value}" (of "${key}"): ${valueProblem}; ${example}`);
    }
  }
}

export function checkEnvNames(change: KeyValueChange, flag: string): void {
  for (const name of Object.keys(change.set)) {
    const problem = envNameProblem(name);
    if (problem) {
      throw new CliError(
        `invalid ${flag} name "${name}": ${problem}; separate several with commas, e.g. ${flag} FOO=bar,BAR:foo`,
      );
    }
  }
}

/** A map with `change` applied: removals first, then the values set. */
export function applyToMap(
  current: Record<string, string> | undefined,
  change: KeyValueChange,
): Record<string, string> {
  const next = { ...(current ?? {}) };
  for (const key of change.remove) delete next[key];
  return { ...next, ...change.set };
}

export function isEmptyChange(change: KeyValueChange): boolean {
  return Object.keys(change.set).length === 0 && change.remove.length === 0;
}

import { CliError } from '../errors.js';
import { readyCondition } from '../function/readiness.js';
import type { FunctionObject, KubeEvent } from '../kube/types.js';
import { formatAge, oneLine, renderTable } from './table.js';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

export function parseOutputFormat(value: string | undefined, allowed: OutputFormat[]): OutputFormat {
  const format = (value ?? 'table') as OutputFormat;
  if (!allowed.includes(format)) {
    const names = allowed.filter((f) => f !== 'table');
    throw new CliError(`invalid -o "${value}": choose one of ${names.join(', ')}`);
  }
  return format;
}

/** JSON or YAML rendering, with the YAML library loaded only when it is asked for. */
export async function renderObject(obj: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return `${JSON.stringify(obj, null, 2)}\n`;
  return (await import('./object.js')).renderObject(obj, format);
}

/** spec.runtime, and what runs it when that is an alias (status.runtime, written by the controller). */
function runtimeShown(fn: FunctionObject): string {
  const written = fn.spec.runtime ?? '';
  const runs = fn.status?.runtime;
  return typeof runs === 'string' && runs !== '' && runs !== written
    ? `${written} (runs on ${runs})`
    : written;
}

export function renderFunctionList(items: FunctionObject[], wide: boolean, now: Date): string {
  if (items.length === 0) return '';
  const headers = ['NAME', 'NAMESPACE', 'RUNTIME', 'HANDLER', 'READY', 'AGE'];
  if (wide) headers.push('REASON', 'TIMEOUT', 'CONTENT-TYPE', 'DEPENDENCIES');
  const rows = items.map((fn) => {
    const ready = readyCondition(fn);
    const row = [
      fn.metadata.name ?? '',
      fn.metadata.namespace ?? '',
      runtimeShown(fn),
      fn.spec.handler ?? '',
      ready?.status ?? 'Unknown',
      formatAge(fn.metadata.creationTimestamp, now),
    ];
    if (wide) {
      row.push(
        ready?.reason ?? '',
        fn.spec.timeout ?? '',
        fn.spec['function-content-type'] ?? '',
        oneLine(fn.spec.deps, 60),
      );
    }
    return row;
  });
  return renderTable(headers, rows);
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => (l ? prefix + l : l))
    .join('\n');
}

function kv(map: Record<string, string> | undefined): string {
  const entries = Object.entries(map ?? {});
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

function eventTime(e: KubeEvent): string | undefined {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
}

/** `kubeless function describe`: spec summary, conditions, then recent events (null when the server has none to offer). */
export function renderDescribe(fn: FunctionObject, events: KubeEvent[] | null, now: Date): string {
  const container = fn.spec.deployment?.spec?.template?.spec?.containers?.[0];
  const env = (container?.env ?? []).map((e) => `${e.name}=${e.value ?? '<from source>'}`);
  const limits = container?.resources?.limits ?? {};
  const content = fn.spec['function-content-type'] ?? 'text';
  const lines = [
    `Name:          ${fn.metadata.name ?? ''}`,
    `Namespace:     ${fn.metadata.namespace ?? ''}`,
    `Labels:        ${kv(fn.metadata.labels)}`,
    `Created:       ${fn.metadata.creationTimestamp ?? '<unknown>'} (${formatAge(fn.metadata.creationTimestamp, now)} ago)`,
    `Generation:    ${fn.metadata.generation ?? '<unknown>'} (observed ${fn.status?.observedGeneration ?? '<none>'})`,
    `Runtime:       ${runtimeShown(fn)}`,
    `Handler:       ${fn.spec.handler ?? ''}`,
    `Timeout:       ${fn.spec.timeout ? `${fn.spec.timeout}s` : '<default>'}`,
    `Content type:  ${content}`,
    content.startsWith('url')
      ? `Source:        ${fn.spec.function ?? ''}`
      : `Source size:   ${(fn.spec.function ?? '').length} characters`,
    `Checksum:      ${fn.spec.checksum ?? '<none>'}`,
    `Memory:        ${limits.memory ?? '<default>'}`,
    `CPU:           ${limits.cpu ?? '<default>'}`,
    `Environment:   ${env.length ? env.join(', ') : '<none>'}`,
    `Dependencies:  ${fn.spec.deps?.trim() ? '' : '<none>'}`,
  ];
  if (fn.spec.deps?.trim()) lines.push(indent(fn.spec.deps.trimEnd(), '  '));
  lines.push('Conditions:');
  const conditions = fn.status?.conditions ?? [];
  if (conditions.length === 0) {
    lines.push('  <none>');
  } else {
    lines.push(
      indent(
        renderTable(
          ['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'],
          conditions.map((c) => [
            c.type,
            c.status,
            c.reason ?? '',
            formatAge(c.lastTransitionTime, now),
            oneLine(c.message, 200),
          ]),
        ).trimEnd(),
        '  ',
      ),
    );
  }
  lines.push('Events:');
  if (events === null) {
    lines.push('  <not available from this server>');
  } else if (events.length === 0) {
    lines.push('  <none>');
  } else {
    const recent = [...events]
      .sort((a, b) => Date.parse(eventTime(a) ?? '') - Date.parse(eventTime(b) ?? ''))
      .slice(-10);
    lines.push(
      indent(
        renderTable(
          ['TYPE', 'REASON', 'AGE', 'FROM', 'MESSAGE'],
          recent.map((e) => [
            e.type ?? '',
            e.reason ?? '',
            formatAge(eventTime(e), now) + (e.count && e.count > 1 ? ` (x${e.count})` : ''),
            e.source?.component ?? '',
            oneLine(e.message, 200),
          ]),
        ).trimEnd(),
        '  ',
      ),
    );
  }
  return lines.join('\n') + '\n';
}

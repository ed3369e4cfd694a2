// `kubeless function top`: the runtime's Prometheus counters of one function, per HTTP method,
// in the rows and field names of the original CLI (`total_calls`, `avg_duration_seconds` ...). Pure.

export interface FunctionMetric {
  function: string;
  namespace: string;
  method?: string;
  message?: string;
  total_calls?: number;
  total_failures?: number;
  total_duration_seconds?: number;
  avg_duration_seconds?: number;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Samples of the Prometheus text format (comments and malformed lines are skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) {
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    }
    const value = Number(m[3]);
    if (!Number.isNaN(value)) samples.push({ name: m[1]!, labels, value });
  }
  return samples;
}

/**
 * One row per method the function was called with; a function never called gets one row with
 * no figures, so it still shows up (as in the original).
 */
export function functionMetrics(namespace: string, name: string, text: string): FunctionMetric[] {
  const byMethod = new Map<string, FunctionMetric>();
  const row = (method: string): FunctionMetric => {
    let r = byMethod.get(method);
    if (!r) {
      r = { function: name, namespace, method };
      byMethod.set(method, r);
    }
    return r;
  };
  for (const s of parsePrometheus(text)) {
    const method = s.labels.method;
    if (method === undefined) continue;
    if (s.name === 'function_calls_total') row(method).total_calls = s.value;
    else if (s.name === 'function_failures_total') row(method).total_failures = s.value;
    else if (s.name === 'function_duration_seconds_sum') row(method).total_duration_seconds = s.value;
  }
  const rows = [...byMethod.values()].sort((a, b) => (a.method ?? '').localeCompare(b.method ?? ''));
  for (const r of rows) {
    if (r.total_calls && r.total_duration_seconds !== undefined) {
      r.avg_duration_seconds = r.total_duration_seconds / r.total_calls;
    }
  }
  return rows.length > 0 ? rows : [{ function: name, namespace }];
}

/** The original printed zero figures as absent (`omitempty`); so do -o json and -o yaml. */
export function withoutEmpty(metric: FunctionMetric): Partial<FunctionMetric> {
  return Object.fromEntries(Object.entries(metric).filter(([, v]) => v !== undefined && v !== 0 && v !== ''));
}

// Parsing and checking `kubeless webhook` options: pure, so bad input gets a clear message early.

export type CertMode = 'self' | 'cert-manager' | 'files';

export interface WebhookOptions {
  host: string;
  port: number;
  certMode: CertMode;
  certDir: string;
  namespace: string;
  service: string;
  secret: string;
  certHosts: string[];
  mutatingConfigs: string[];
  validatingConfigs: string[];
  apiServices: string[];
  certLifetimeMs: number;
  rotateAt: number;
  checkIntervalMs: number;
  propagationDelayMs: number;
  bodyLimitBytes: number;
  lookupTimeoutMs: number;
  requestTimeoutMs: number;
  clusterChecks: boolean;
  /** Runtime catalog ConfigMap in `namespace` (key `runtimes`); empty for the built-in catalog. */
  catalogConfigMap: string;
  catalogRefreshMs: number;
  /** The operator's policy file (lib/policy); empty for the default policy. */
  policyFile?: string;
  kubeconfig?: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `10m`, `2160h`, `90d` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m)
    throw new Error(
      `${flag} "${text}" is not a duration; write a number and a unit, e.g. 30s, 10m, 2160h or 90d`,
    );
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  kb: 1000,
  mb: 1000 ** 2,
};

/** `3MiB`, `512KiB`, `1048576` → bytes. */
export function parseSize(text: string, flag: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new Error(`${flag} "${text}" is not a size; write e.g. 3MiB, 512KiB or a number of bytes`);
  return Number(m[1]) * unit;
}

export function parsePort(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${flag} "${text}" is not a port; use 0-65535 (0 picks a free one)`);
  return n;
}

export function parseFraction(text: string, flag: string): number {
  const n = Number(text);
  if (!(n > 0 && n < 1)) throw new Error(`${flag} "${text}" must be a fraction between 0 and 1, e.g. 0.667`);
  return n;
}

export function parseCertMode(text: string): CertMode {
  if (text === 'self' || text === 'cert-manager' || text === 'files') return text;
  throw new Error(`--cert-mode "${text}" is not supported; use self, cert-manager or files`);
}

/** Cross-option rules that commander cannot express. */
export function checkOptions(o: WebhookOptions): void {
  if (o.certMode === 'self' && o.checkIntervalMs * 4 > o.certLifetimeMs * (1 - o.rotateAt)) {
    throw new Error(
      `--cert-check-interval is too long for --cert-lifetime and --rotate-at: a rotation could be noticed after expiry; ` +
        'check at least four times within the overlap (lifetime × (1 − rotate-at))',
    );
  }
  if (o.lookupTimeoutMs >= o.requestTimeoutMs) {
    throw new Error(
      '--lookup-timeout must be shorter than --request-timeout so a slow lookup still gets an answer',
    );
  }
}

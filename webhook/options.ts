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

import { describe, expect, test } from '@jest/globals';
import { toOptions } from '../../../webhook/command.js';

const raw = {
  host: '127.0.0.1',
  port: '0',
  certMode: 'self',
  certDir: '/tmp',
  namespace: 'kubeless',
  service: 'kubeless-webhook',
  secret: 's',
  certHost: [],
  mutatingConfig: [],
  validatingConfig: [],
  apiService: [],
  certLifetime: '2160h',
  rotateAt: '0.667',
  certCheckInterval: '1m',
  propagationDelay: '5s',
  bodyLimit: '3MiB',
  lookupTimeout: '3s',
  requestTimeout: '10s',
  clusterChecks: true,
  catalogConfigmap: 'kubeless-runtimes',
  catalogRefresh: '10s',
  logLevel: 'info',
};

describe('webhook options', () => {
  test('defaults parse into numbers', () => {
    const o = toOptions(raw);
    expect(o).toMatchObject({
      port: 0,
      certMode: 'self',
      bodyLimitBytes: 3 * 1024 * 1024,
      lookupTimeoutMs: 3000,
    });
    expect(o.certLifetimeMs).toBe(90 * 24 * 3600 * 1000);
  });

  test.each([
    [{ certMode: 'vault' }, /use self, cert-manager or files/],
    [{ port: '70000' }, /not a port/],
    [{ certLifetime: '90 days' }, /e\.g\. 30s/],
    [{ rotateAt: '1.5' }, /between 0 and 1/],
    [{ bodyLimit: '3 parsecs' }, /3MiB/],
    [{ certLifetime: '1h', certCheckInterval: '30m' }, /cert-check-interval is too long/],
    [{ lookupTimeout: '20s' }, /lookup-timeout must be shorter/],
  ])('%j is refused with the fix', (over, message) => {
    expect(() => toOptions({ ...raw, ...over })).toThrow(message);
  });
});

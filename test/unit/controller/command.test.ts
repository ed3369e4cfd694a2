import { describe, expect, test } from '@jest/globals';
import { parseListen, toOptions } from '../../../controller/command.js';

const FLAGS = {
  namespace: 'kubeless',
  catalogConfigmap: 'kubeless-runtimes',
  workers: '4',
  resync: '600',
  leaseName: 'kubeless-controller',
  identity: 'me',
  leaseDuration: '15',
  renewDeadline: '10',
  retryPeriod: '2',
  listen: '127.0.0.1:0',
  image: 'kubeless/kubeless:1',
  imagePullPolicy: 'IfNotPresent' as const,
};

describe('controller flags', () => {
  test('turn into manager options', () => {
    const o = toOptions(FLAGS);
    expect(o).toMatchObject({
      metricsHost: '127.0.0.1',
      metricsPort: 0,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2000,
      workers: 4,
    });
    expect(o.config.image).toBe('kubeless/kubeless:1');
  });

  test('bad values are refused with the fix', () => {
    expect(() => parseListen('8081')).toThrow(/host:port, like 0.0.0.0:8081/);
    expect(() => toOptions({ ...FLAGS, workers: 'many' })).toThrow(/--workers must be a positive number/);
    expect(() => toOptions({ ...FLAGS, renewDeadline: '20' })).toThrow(/shorter than --lease-duration/);
    expect(() => toOptions({ ...FLAGS, resync: '10 minutes' })).toThrow(
      /--resync "10 minutes" is not a duration; .*10m/,
    );
    expect(() => toOptions({ ...FLAGS, leaseDuration: '1500ms' })).toThrow(
      /--lease-duration .* whole seconds, e\.g\. 2s/,
    );
  });

  test('durations take units; a bare number is still seconds, as before units', () => {
    const units = toOptions({
      ...FLAGS,
      resync: '10m',
      leaseDuration: '1m',
      renewDeadline: '45s',
      retryPeriod: '500ms',
    });
    const bare = toOptions({
      ...FLAGS,
      resync: '600',
      leaseDuration: '60',
      renewDeadline: '45',
      retryPeriod: '0.5',
    });
    for (const o of [units, bare]) {
      expect(o).toMatchObject({
        resyncSeconds: 600,
        leaseDurationSeconds: 60,
        renewDeadlineMs: 45_000,
        retryPeriodMs: 500,
      });
    }
  });
});

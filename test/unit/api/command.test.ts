import { describe, expect, test } from '@jest/globals';
import { toRunOptions } from '../../../api/command.js';

const RAW = {
  host: '0.0.0.0',
  port: '8443',
  serviceAddress: 'dns',
  bodyLimit: '10MiB',
  frontProxyRefresh: '30s',
  certRefresh: '10s',
};

describe('kubeless api flags', () => {
  test('durations and sizes take units', () => {
    expect(toRunOptions(RAW)).toMatchObject({
      bodyLimitBytes: 10 * 1024 * 1024,
      frontProxyRefreshMs: 30_000,
      certRefreshMs: 10_000,
    });
  });

  test('the bare numbers accepted before units keep their meaning (milliseconds, bytes)', () => {
    const o = toRunOptions({ ...RAW, bodyLimit: '1048576', frontProxyRefresh: '30000', certRefresh: '500' });
    expect(o).toMatchObject({ bodyLimitBytes: 1_048_576, frontProxyRefreshMs: 30_000, certRefreshMs: 500 });
  });

  test('bad values are refused naming the flag and the form', () => {
    expect(() => toRunOptions({ ...RAW, certRefresh: '10 s' })).toThrow(
      /--cert-refresh "10 s" is not a duration/,
    );
    expect(() => toRunOptions({ ...RAW, frontProxyRefresh: '100ms' })).toThrow(/at least 1s/);
  });
});

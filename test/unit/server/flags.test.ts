import { describe, expect, test } from '@jest/globals';
import { parseDuration, parsePort, parseSize } from '../../../lib/server/flags.js';
import { durationMs, formatDurationMs } from '../../../lib/format/duration.js';

describe('duration flags', () => {
  test.each([
    ['500ms', 500],
    ['1.5s', 1500],
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['2160h', 2160 * 3_600_000],
    ['90d', 90 * 86_400_000],
    ['0', 0],
  ])('%s is %d ms on every command', (text, ms) => {
    expect(parseDuration(text, '--x')).toBe(ms);
    expect(parseDuration(text, '--x', { bare: 's' })).toBe(ms);
    expect(parseDuration(text, '--x', { bare: 'ms' })).toBe(ms);
  });

  test('a bare number keeps the unit the flag read it in before units', () => {
    expect(parseDuration('600', '--resync', { bare: 's' })).toBe(600_000);
    expect(parseDuration('0.5', '--retry-period', { bare: 's' })).toBe(500);
    expect(parseDuration('10000', '--cert-refresh', { bare: 'ms' })).toBe(10_000);
  });

  test('a flag that never took a bare number refuses one, naming the form to write', () => {
    expect(() => parseDuration('10', '--lookup-timeout')).toThrow(
      '--lookup-timeout "10" is not a duration; write a number and a unit, e.g. 30s, 10m, 1h30m, 2160h or 90d',
    );
  });

  test('bad text is refused with the flag, the value and the fix', () => {
    expect(() => parseDuration('5 minutes', '--since', { bare: 's' })).toThrow(
      /--since "5 minutes" is not a duration; .* \(a bare number is seconds\)/,
    );
    expect(() => parseDuration('5m3', '--since', { bare: 's' })).toThrow(/not a duration/);
    expect(() => parseDuration('-1s', '--x')).toThrow(/not a duration/);
    expect(() => parseDuration('50ms', '--cert-refresh', { bare: 'ms', minMs: 100 })).toThrow(
      '--cert-refresh "50ms" is too short; give at least 100ms',
    );
    expect(() => parseDuration('1500ms', '--lease-duration', { wholeSeconds: true })).toThrow(
      '--lease-duration "1500ms" must be whole seconds, e.g. 2s',
    );
  });

  test('schedules keep Go syntax: no days, so a CronJob reads the same text', () => {
    expect(durationMs('1d')).toBeUndefined();
    expect(durationMs('1d', { days: true })).toBe(86_400_000);
    expect(durationMs('1µs')).toBe(0.001);
  });

  test('messages print durations the way they are written', () => {
    expect(formatDurationMs(90_000)).toBe('1m30s');
    expect(formatDurationMs(3_600_500)).toBe('1h500ms');
    expect(formatDurationMs(0)).toBe('0s');
  });
});

describe('size and port flags', () => {
  test('sizes take units; a bare number is bytes', () => {
    expect(parseSize('512KiB', '--body-limit')).toBe(524_288);
    expect(parseSize('10MiB', '--body-limit')).toBe(10 * 1024 * 1024);
    expect(parseSize('100', '--body-limit')).toBe(100);
    expect(() => parseSize('3 parsecs', '--body-limit')).toThrow(/3MiB/);
    expect(() => parseSize('0', '--body-limit', 1)).toThrow(/at least 1 bytes/);
  });

  test('ports', () => {
    expect(parsePort('0', '--port')).toBe(0);
    expect(() => parsePort('', '--port')).toThrow(/not a port/);
    expect(() => parsePort('70000', '--port')).toThrow(/0-65535/);
  });
});

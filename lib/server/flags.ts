// Flag values with units, one reading for every command (api, webhook, controller, kafka-trigger,
// local and the CLI), so "10s" means the same everywhere. Pure: each throws an Error whose message
// names the flag, the value and the form to write; callers wrap it in their own error type.
import { durationMs, formatDurationMs } from '../format/duration.js';

export interface DurationRule {
  /**
   * The unit a bare number is read in. Flags that took a raw number before units were accepted
   * keep accepting it in the unit they always meant; flags that never did refuse it, naming the
   * form to write instead.
   */
  bare?: 'ms' | 's';
  /** Smallest value accepted, in milliseconds. */
  minMs?: number;
  /** Only whole seconds (a value that ends up in an integer seconds field of Kubernetes). */
  wholeSeconds?: boolean;
}

const BARE_MS: Record<'ms' | 's', number> = { ms: 1, s: 1000 };

/** `500ms`, `30s`, `1h30m`, `2160h`, `90d` (and a bare number when the rule allows) → milliseconds. */
export function parseDuration(text: string, flag: string, rule: DurationRule = {}): number {
  const value = text.trim();
  const bare = rule.bare && /^\d+(\.\d+)?$/.test(value) ? Number(value) * BARE_MS[rule.bare] : undefined;
  const ms = bare ?? durationMs(value, { days: true });
  if (ms === undefined) {
    const number =
      rule.bare === undefined ? '' : ` (a bare number is ${rule.bare === 's' ? 'seconds' : 'milliseconds'})`;
    throw new Error(
      `${flag} "${text}" is not a duration; write a number and a unit, e.g. 30s, 10m, 1h30m, 2160h or 90d${number}`,
    );
  }
  if (rule.minMs !== undefined && ms < rule.minMs) {
    throw new Error(`${flag} "${text}" is too short; give at least ${formatDurationMs(rule.minMs)}`);
  }
  if (rule.wholeSeconds && ms % 1000 !== 0) {
    throw new Error(
      `${flag} "${text}" must be whole seconds, e.g. ${formatDurationMs(Math.ceil(ms / 1000) * 1000)}`,
    );
  }
  return Math.round(ms);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
};

/** `3MiB`, `512KiB`, `1048576` → bytes. */
export function parseSize(text: string, flag: string, minBytes = 0): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new Error(`${flag} "${text}" is not a size; write e.g. 3MiB, 512KiB or a number of bytes`);
  const bytes = Number(m[1]) * unit;
  if (bytes < minBytes) throw new Error(`${flag} "${text}" is too small; give at least ${minBytes} bytes`);
  return bytes;
}

export function parsePort(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${flag} "${text}" is not a port; use 0-65535 (0 picks a free one)`);
  return n;
}

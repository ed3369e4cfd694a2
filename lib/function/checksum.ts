import { createHash } from 'node:crypto';

/** `sha256:` and 64 lower-case hex digits: the form the original Kubeless stored. */
export const CHECKSUM_PATTERN = '^sha256:[0-9a-f]{64}$';
const CHECKSUM_RE = new RegExp(CHECKSUM_PATTERN);

/** The checksum of the code's bytes (decoded, for base64 content), as `spec.checksum` holds it. */
export function sha256Checksum(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isChecksum(value: string): boolean {
  return CHECKSUM_RE.test(value);
}

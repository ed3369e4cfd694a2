import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertMaterial } from './bundle.js';
import { SECRET_KEYS } from './secret.js';

/**
 * Reads `tls.crt`, `tls.key` and optional `ca.crt` from a directory (a mounted Secret, e.g. one
 * cert-manager maintains). Throws with the path and a remedy when the pair is missing.
 */
export async function readCertDir(dir: string): Promise<CertMaterial> {
  const read = (k: string): Promise<string> => readFile(join(dir, k), 'utf8');
  let tlsCert: string;
  let tlsKey: string;
  try {
    [tlsCert, tlsKey] = await Promise.all([read(SECRET_KEYS.tlsCert), read(SECRET_KEYS.tlsKey)]);
  } catch (err) {
    throw new Error(
      `cannot read ${SECRET_KEYS.tlsCert}/${SECRET_KEYS.tlsKey} in ${dir}: ${String(err)}; ` +
        'mount the certificate Secret there or pass --cert-dir',
      { cause: err },
    );
  }
  const caBundle = await read(SECRET_KEYS.caBundle).catch(() => '');
  return { tlsCert, tlsKey, caBundle };
}

/**
 * Polls the directory and reports changed material. Polling (not fs.watch) because the kubelet
 * updates mounted Secrets by swapping a symlink, which fs.watch reports unreliably across platforms.
 */
export function watchCertDir(
  dir: string,
  intervalMs: number,
  initial: CertMaterial,
  onChange: (m: CertMaterial) => void,
  onError: (err: unknown) => void,
): () => void {
  let last = initial;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    readCertDir(dir)
      .then((m) => {
        if (m.tlsCert !== last.tlsCert || m.tlsKey !== last.tlsKey || m.caBundle !== last.caBundle) {
          last = m;
          onChange(m);
        }
      })
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

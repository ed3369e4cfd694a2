// Turns a kubeconfig context's cluster and user into what one request needs: an https Agent
// holding the TLS material, and the headers (bearer token, basic auth, impersonation).
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { CliError } from '../errors.js';
import type { SelectedContext } from './kubeconfig.js';

export type RequestHeaders = Record<string, string | string[]>;

export interface Connection {
  agent?: Agent;
  headers: RequestHeaders;
}

function readPem(file: string | undefined, data: string | undefined, what: string): Buffer | undefined {
  if (data !== undefined) return Buffer.from(data, 'base64');
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new CliError(
      `cannot read the ${what} ${file} named in your kubeconfig: ${(err as NodeJS.ErrnoException).code ?? String(err)}; fix the path or use the -data form`,
    );
  }
}

/** Headers of the user: a token (a tokenFile is re-read each time: it may be rotated), basic auth, impersonation. */
export function userHeaders(
  user: SelectedContext['user'],
  readToken = (f: string) => readFileSync(f, 'utf8'),
): RequestHeaders {
  const headers: RequestHeaders = {};
  let token = user.token;
  if (token === undefined && user.tokenFile !== undefined) {
    try {
      token = readToken(user.tokenFile).trim();
    } catch (err) {
      throw new CliError(
        `cannot read the tokenFile ${user.tokenFile} named in your kubeconfig: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (user.username !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  }
  if (user.as !== undefined) headers['Impersonate-User'] = user.as;
  if (user.asUid !== undefined) headers['Impersonate-Uid'] = user.asUid;
  if (user.asGroups?.length) headers['Impersonate-Group'] = user.asGroups;
  for (const [key, values] of Object.entries(user.asUserExtra ?? {})) {
    headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = values;
  }
  return headers;
}

/** The per-request connection of a context; the TLS agent is built once, on first use. */
export function connectionFor(selected: SelectedContext): () => Promise<Connection> {
  const { cluster, user } = selected;
  let agent: Agent | undefined;
  return async () => {
    if (cluster.server.startsWith('https:') && agent === undefined) {
      // node:https (and TLS) is loaded only for an https server: the local platform's http://
      // API spares every command the cost at start-up.
      const https = await import('node:https');
      agent = new https.Agent({
        ca: readPem(cluster.certificateAuthority, cluster.certificateAuthorityData, 'certificate-authority'),
        cert: readPem(user.clientCertificate, user.clientCertificateData, 'client-certificate'),
        key: readPem(user.clientKey, user.clientKeyData, 'client-key'),
        rejectUnauthorized: !cluster.insecureSkipTlsVerify,
        ...(cluster.tlsServerName !== undefined ? { servername: cluster.tlsServerName } : {}),
      });
    }
    return { agent, headers: userHeaders(user) };
  };
}

// A function stand-in for the Kafka suites: a real node:http server on 127.0.0.1 that records
// every call with the Kafka coordinates the trigger sent, and fails a chosen share of them.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  partition: number;
  offset: bigint;
  body: string;
  /** Request path: which function the trigger meant (the URL template puts ns/name there). */
  path: string;
  ok: boolean;
  phase: number;
  headers: IncomingHttpHeaders;
}

export interface FunctionServer {
  url: string;
  receipts: Receipt[];
  /** Tags later receipts, e.g. to tell a restarted consumer's calls from the first one's. */
  phase: number;
  failRate: number;
  delayMs: number;
  close(): Promise<void>;
}

export async function startFunctionServer(
  failRate: number,
  random: () => number = Math.random,
): Promise<FunctionServer> {
  const state: FunctionServer = {
    url: '',
    receipts: [],
    phase: 0,
    failRate,
    delayMs: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok = random() >= state.failRate;
      const answer = (): void => {
        state.receipts.push({
          partition: Number(req.headers['x-kafka-partition']),
          offset: BigInt(String(req.headers['x-kafka-offset'])),
          body: Buffer.concat(chunks).toString('utf8'),
          path: req.url ?? '',
          ok,
          phase: state.phase,
          headers: req.headers,
        });
        res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'injected failure');
      };
      if (state.delayMs > 0) setTimeout(answer, state.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

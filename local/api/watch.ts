// Watch streams: one JSON event per line, as kube-apiserver streams them, from a resourceVersion
// (history replay) or from "now" after a synthetic ADDED for every current object.
import type { Request, Response } from 'express';
import { statusFailure } from '../../lib/k8s/status.js';
import { HistoryExpired, type Store, type StoredObject } from '../store/store.js';
import { sendStatus } from './http.js';

export interface WatchOptions {
  store: Store;
  prefix: string;
  keep: (o: StoredObject) => boolean;
  render: (o: StoredObject) => unknown;
  sinceRv: string | undefined;
  timeoutSeconds: number;
}

// Long enough for kubectl get -w, short enough that a forgotten client does not hold a socket forever.
const MAX_WATCH_SECONDS = 1800;

export function serveWatch(req: Request, res: Response, opts: WatchOptions): void {
  const { store } = opts;
  const fromNow = opts.sinceRv === undefined || opts.sinceRv === '' || opts.sinceRv === '0';
  const since = fromNow ? Number(store.resourceVersion) : Number(opts.sinceRv);
  if (!Number.isInteger(since) || since < 0) {
    sendStatus(
      res,
      statusFailure(
        400,
        'BadRequest',
        `resourceVersion ${JSON.stringify(opts.sinceRv)} is not a number; use the metadata.resourceVersion of a list`,
      ),
    );
    return;
  }
  const send = (type: string, o: StoredObject): void => {
    res.write(JSON.stringify({ type, object: opts.render(o) }) + '\n');
  };
  const queued: Array<[string, StoredObject]> = [];
  let ready = false;
  let unsubscribe: () => void;
  try {
    unsubscribe = store.watch(since, (ev) => {
      if (!ev.key.startsWith(opts.prefix) || !opts.keep(ev.object)) return;
      if (ready) send(ev.type, ev.object);
      else queued.push([ev.type, ev.object]);
    });
  } catch (err) {
    if (err instanceof HistoryExpired) {
      sendStatus(
        res,
        statusFailure(
          410,
          'Expired',
          `too old resource version: ${err.message}; list again and watch from the list's resourceVersion`,
        ),
      );
      return;
    }
    throw err;
  }
  res.status(200).set({ 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  if (fromNow) for (const o of store.list(opts.prefix).filter(opts.keep)) send('ADDED', o);
  for (const [t, o] of queued) send(t, o);
  ready = true;
  const seconds =
    opts.timeoutSeconds > 0 ? Math.min(opts.timeoutSeconds, MAX_WATCH_SECONDS) : MAX_WATCH_SECONDS;
  const timer = setTimeout(() => res.end(), seconds * 1000);
  const stop = (): void => {
    clearTimeout(timer);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}

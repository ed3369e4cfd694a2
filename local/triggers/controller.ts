// The local platform's trigger controller: keeps the gateway's route table and the cron timers
// level with the stored HTTPTriggers and CronJobTriggers, and writes each trigger's Ready
// condition with the cluster controller's own status decision (controller/triggers/status.ts).
import type { Logger } from 'pino';
import { statusChanged } from '../../lib/k8s/conditions.js';
import { triggerStatus, type TriggerOutcome } from '../../controller/triggers/status.js';
import { parseSchedule, type Schedule } from '../../lib/function/schedule.js';
import type { CronJobTrigger, HTTPTrigger } from '../../lib/types.js';
import { prepareStatusUpdate } from '../api/meta.js';
import type { FunctionBackend } from '../api/subresources.js';
import {
  NotFound,
  ResourceVersionConflict,
  keyFields,
  type Store,
  type StoredObject,
} from '../store/store.js';
import type { FunctionConnections } from '../../lib/invoke/connections.js';
import { CronScheduler } from './cron.js';
import { routeOf, type Route } from './routes.js';

const HTTP = 'httptriggers/';
const CRON = 'cronjobtriggers/';

export interface TriggerControllerOptions {
  store: Store;
  backend: FunctionBackend;
  /** Kept connections to the runtime processes, shared with the API and the gateway. */
  connections: FunctionConnections;
  logger: Logger;
}

type Trigger = HTTPTrigger | CronJobTrigger;

function isCron(t: Trigger): t is CronJobTrigger {
  return t.kind === 'CronJobTrigger';
}

/** What the cluster would report, reworded for what actually serves the trigger here. Pure. */
export function localOutcome(
  t: Trigger,
  functionExists: boolean,
  schedule: Schedule | Error | undefined,
  gatewayUrl: string,
): { outcome: TriggerOutcome; message?: string } {
  if (schedule instanceof Error) return { outcome: { kind: 'invalid', message: schedule.message } };
  if (!functionExists) return { outcome: { kind: 'functionNotFound' } };
  const name = t.metadata.name ?? '';
  const fn = t.spec['function-name'];
  if (isCron(t)) {
    const tz = t.spec.timeZone ? ` (${t.spec.timeZone})` : '';
    return {
      outcome: { kind: 'applied', objectKind: 'CronJob', objectName: name },
      message: `the local scheduler calls Function ${fn} on "${t.spec.schedule}"${tz}`,
    };
  }
  const r = routeOf(t);
  return {
    outcome: { kind: 'applied', objectKind: 'Ingress', objectName: name },
    message: `the local gateway ${gatewayUrl} routes host ${r.host ?? '*'} path ${r.path} to Function ${fn}`,
  };
}

export class TriggerController {
  private readonly routeTable = new Map<string, Route>();
  private readonly cron: CronScheduler;
  private unwatch: (() => void) | undefined;
  private routeList: Route[] = [];
  private gatewayUrl = '';

  constructor(private readonly opts: TriggerControllerOptions) {
    this.cron = new CronScheduler({
      backend: opts.backend,
      connections: opts.connections,
      logger: opts.logger,
    });
  }

  /** `gatewayUrl` is where HTTPTriggers are served; their Ready message says so. */
  start(gatewayUrl: string): void {
    this.gatewayUrl = gatewayUrl;
    const { store } = this.opts;
    this.unwatch = store.watch(Number(store.resourceVersion), (ev) => {
      if (ev.key.startsWith(HTTP) || ev.key.startsWith(CRON)) this.sync(ev.key);
      // A Function coming or going changes whether its triggers are Ready.
      else if (ev.key.startsWith('functions/') && ev.type !== 'MODIFIED') this.syncFunction(ev.key);
    });
    for (const prefix of [HTTP, CRON])
      for (const t of store.list(prefix)) this.sync(`${prefix}${t.metadata.namespace}/${t.metadata.name}`);
  }

  /** The gateway reads this on every request; it is rebuilt only when a trigger changes. */
  routes(): readonly Route[] {
    return this.routeList;
  }

  private syncFunction(fnKey: string): void {
    const [, ns, name] = fnKey.split('/');
    for (const prefix of [HTTP, CRON]) {
      for (const t of this.opts.store.list(`${prefix}${ns}/`)) {
        if ((t.spec as { 'function-name'?: string } | undefined)?.['function-name'] === name)
          this.sync(`${prefix}${ns}/${t.metadata.name}`);
      }
    }
  }

  private sync(key: string): void {
    const obj = this.opts.store.get(key) as Trigger | undefined;
    if (!obj) {
      this.routeTable.delete(key);
      this.cron.remove(key);
      this.routeList = [...this.routeTable.values()];
      return;
    }
    let schedule: Schedule | Error | undefined;
    if (isCron(obj)) {
      try {
        schedule = parseSchedule(obj.spec.schedule, obj.spec.timeZone);
        this.cron.set(key, obj, schedule);
      } catch (err) {
        schedule = err as Error;
        this.cron.remove(key);
      }
    } else {
      this.routeTable.set(key, routeOf(obj));
      this.routeList = [...this.routeTable.values()];
    }
    const ns = obj.metadata.namespace ?? 'default';
    const exists = this.opts.store.get(`functions/${ns}/${obj.spec['function-name']}`) !== undefined;
    void this.writeStatus(key, localOutcome(obj, exists, schedule, this.gatewayUrl)).catch((err: Error) =>
      this.opts.logger.error({ ...keyFields(key), err: err.message }, 'trigger status write failed'),
    );
  }

  private async writeStatus(key: string, o: ReturnType<typeof localOutcome>): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const cur = this.opts.store.get(key) as Trigger | undefined;
      if (!cur) return;
      const status = triggerStatus(cur, o.outcome, new Date());
      const ready = status.conditions?.[0];
      if (ready && o.message) ready.message = o.message;
      if (!statusChanged(cur.status, status)) return;
      try {
        const next = prepareStatusUpdate(
          cur as unknown as StoredObject,
          { ...cur, status } as unknown as StoredObject,
        );
        await this.opts.store.update(key, next, cur.metadata.resourceVersion);
        return;
      } catch (err) {
        if (err instanceof NotFound) return;
        if (!(err instanceof ResourceVersionConflict)) throw err;
      }
    }
  }

  stop(): void {
    this.unwatch?.();
    this.cron.close();
  }
}

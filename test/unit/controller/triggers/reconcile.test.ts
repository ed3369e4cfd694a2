// The trigger reconciler against an in-memory API (the real Applier over a fake object API):
// what it applies, what it deletes, what status it writes, and that a repeat writes nothing.
import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  ApiException,
  type CoreV1Api,
  type CustomObjectsApi,
  type KubernetesObject,
  type KubernetesObjectApi,
} from '@kubernetes/client-node';
import { pino } from 'pino';
import { Applier } from '../../../../controller/apply.js';
import { DEFAULT_CONFIG } from '../../../../controller/config.js';
import { EventRecorder } from '../../../../controller/events.js';
import type { PlannedFunction, TriggerKind } from '../../../../controller/triggers/plan.js';
import { TriggerReconciler } from '../../../../controller/triggers/reconcile.js';
import type { CronJobTrigger, HTTPTrigger, TriggerStatus } from '../../../../lib/types.js';

type Trigger = HTTPTrigger | CronJobTrigger;
const keyOf = (o: KubernetesObject) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;

/** The cluster as the reconciler sees it, with a record of every write. */
class FakeCluster {
  objects = new Map<string, KubernetesObject>();
  triggers = new Map<string, Trigger>();
  functions = new Map<string, PlannedFunction>();
  writes: string[] = [];

  readonly objectApi = {
    read: async (h: KubernetesObject) => {
      const o = this.objects.get(keyOf(h));
      if (!o) throw new ApiException(404, 'not found', '{}', {});
      return o;
    },
    patch: async (o: KubernetesObject) => {
      this.writes.push(`apply ${keyOf(o)}`);
      this.objects.set(keyOf(o), structuredClone(o));
      return o;
    },
    delete: async (h: KubernetesObject) => {
      this.writes.push(`delete ${keyOf(h)}`);
      if (!this.objects.delete(keyOf(h))) throw new ApiException(404, 'not found', '{}', {});
      return {};
    },
  } as unknown as KubernetesObjectApi;

  readonly custom = {
    patchNamespacedCustomObjectStatus: async (req: {
      namespace: string;
      name: string;
      plural: string;
      body: { status: TriggerStatus };
    }) => {
      this.writes.push(`status ${req.plural}/${req.namespace}/${req.name}`);
      const kind = req.plural === 'httptriggers' ? 'HTTPTrigger' : 'CronJobTrigger';
      const t = this.triggers.get(`${kind}/${req.namespace}/${req.name}`);
      if (t) t.status = structuredClone(req.body.status);
      return t;
    },
  } as unknown as CustomObjectsApi;

  readonly core = { createNamespacedEvent: async () => ({}) } as unknown as CoreV1Api;
}

let cluster: FakeCluster;
let reconciler: TriggerReconciler;

beforeEach(() => {
  cluster = new FakeCluster();
  const log = pino({ level: 'silent' });
  reconciler = new TriggerReconciler({
    world: {
      trigger: (kind: TriggerKind, ns, name) => cluster.triggers.get(`${kind}/${ns}/${name}`),
      fn: (ns, name) => cluster.functions.get(`${ns}/${name}`),
      owned: (kind: TriggerKind, ns, name) =>
        cluster.objects.get(`${kind === 'HTTPTrigger' ? 'Ingress' : 'CronJob'}/${ns}/${name}`),
    },
    applier: new Applier(cluster.objectApi),
    custom: cluster.custom,
    events: new EventRecorder(cluster.core, 'test', log),
    config: DEFAULT_CONFIG,
    log,
  });
  cluster.functions.set('team/hello', { metadata: {}, spec: { timeout: '30' } });
  cluster.triggers.set('CronJobTrigger/team/nightly', {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'CronJobTrigger',
    metadata: { name: 'nightly', namespace: 'team', uid: 'u-2', generation: 3 },
    spec: { 'function-name': 'hello', schedule: '@hourly' },
  });
});

const ready = () => cluster.triggers.get('CronJobTrigger/team/nightly')?.status?.conditions?.[0];

describe('TriggerReconciler', () => {
  it('applies the CronJob, writes Ready=Applied with observedGeneration, and a second run writes nothing', async () => {
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    expect(cluster.writes).toEqual(['apply CronJob/team/nightly', 'status cronjobtriggers/team/nightly']);
    expect(ready()).toMatchObject({ status: 'True', reason: 'Applied' });
    expect(cluster.triggers.get('CronJobTrigger/team/nightly')?.status?.observedGeneration).toBe(3);

    cluster.writes = [];
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    expect(cluster.writes).toEqual([]);
  });

  it('removes its CronJob and says FunctionNotFound when the Function goes; re-applies when it returns', async () => {
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    cluster.functions.delete('team/hello');
    cluster.writes = [];
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    expect(cluster.writes).toEqual(['delete CronJob/team/nightly', 'status cronjobtriggers/team/nightly']);
    expect(ready()).toMatchObject({ status: 'False', reason: 'FunctionNotFound' });
    expect(cluster.objects.size).toBe(0);

    cluster.functions.set('team/hello', { metadata: {}, spec: {} });
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    expect(cluster.objects.has('CronJob/team/nightly')).toBe(true);
    expect(ready()).toMatchObject({ status: 'True', reason: 'Applied' });
  });

  it('never deletes or takes over a same-named CronJob it did not make', async () => {
    const foreign = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'team', labels: { 'kubeless.io/trigger': 'nightly' } },
    };
    cluster.objects.set('CronJob/team/nightly', foreign);
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    expect(ready()).toMatchObject({ status: 'False', reason: 'ResourceConflict' });
    cluster.functions.delete('team/hello');
    await reconciler.reconcile('CronJobTrigger', 'team', 'nightly');
    expect(cluster.objects.get('CronJob/team/nightly')).toBe(foreign);
    expect(cluster.writes.filter((w) => !w.startsWith('status'))).toEqual([]);
  });

  it('does nothing for a trigger that is gone (the garbage collector removes its objects)', async () => {
    await reconciler.reconcile('HTTPTrigger', 'team', 'absent');
    expect(cluster.writes).toEqual([]);
  });
});

// A controller that loses its Lease pauses its workers and keeps its caches (chaos scenario 4):
// pause() must let the reconcile in flight finish, start nothing more, and start() must work again.
import { describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { ReconcileLoop } from '../../../controller/loop.js';
import { makeMetrics } from '../../../controller/metrics.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ReconcileLoop pause and start again', () => {
  test('in-flight work finishes, queued and new keys are dropped while paused, work resumes after start', async () => {
    const done: string[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((r) => (release = r));
    const loop = new ReconcileLoop(
      'Function',
      async (ns, name) => {
        if (name === 'a') await blocked;
        done.push(`${ns}/${name}`);
      },
      makeMetrics(),
      pino({ level: 'silent' }),
    );
    loop.start(1);
    for (const k of ['ns/a', 'ns/b', 'ns/c']) loop.enqueue(k);
    await tick();
    let paused = false;
    const pausing = loop.pause().then(() => (paused = true));
    await tick();
    expect(paused).toBe(false); // 'a' is still running
    release();
    await pausing;
    loop.enqueue('ns/d'); // while paused: dropped (the resync on start refills the queue)
    await tick();
    expect(done).toEqual(['ns/a']);
    loop.start(2);
    loop.enqueue('ns/e');
    await tick();
    expect(done).toEqual(['ns/a', 'ns/e']);
    await loop.stop();
  });
});

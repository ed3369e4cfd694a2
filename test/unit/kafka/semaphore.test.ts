import { describe, expect, test } from '@jest/globals';
import { Semaphore } from '../../../kafka/semaphore.js';

describe('Semaphore', () => {
  test('hands slots out in FIFO order and never holds more than its size, with thousands waiting', async () => {
    const s = new Semaphore(3);
    const order: number[] = [];
    let held = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5000 }, async (_, i) => {
        const release = await s.acquire();
        held++;
        most = Math.max(most, held);
        order.push(i);
        await Promise.resolve();
        held--;
        release();
        release(); // a second release changes nothing
      }),
    );
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(s.inUse).toBe(0);
    expect(s.queued).toBe(0);
  });
});

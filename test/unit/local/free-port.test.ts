import { describe, expect, it } from '@jest/globals';
import { freePort } from '../../../local/controller/launch.js';

describe('freePort', () => {
  // Two functions must never be given one port: the second runtime cannot bind it, and its
  // health check and invokes would reach the first function instead.
  it('never hands out the same port twice while the runtimes it was meant for may still be binding', async () => {
    const ports = await Promise.all(Array.from({ length: 300 }, () => freePort()));
    for (let i = 0; i < 300; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});

import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { isStatus } from '../../../lib/k8s/status.js';
import { ByteLimit, LinePrefixer, mergeLogs, parseLogQuery, streamPrefix } from '../../../api/logs.js';

describe('log subresource logic', () => {
  it('parses the pods/log options and refuses bad numbers', () => {
    expect(
      parseLogQuery(
        new URLSearchParams('follow=true&tailLines=5&sinceSeconds=60&timestamps=true&limitBytes=100'),
      ),
    ).toEqual({ follow: true, timestamps: true, tailLines: 5, sinceSeconds: 60, limitBytes: 100 });
    expect(parseLogQuery(new URLSearchParams(''))).toEqual({ follow: false, timestamps: false });
    const bad = parseLogQuery(new URLSearchParams('tailLines=-1'));
    expect(isStatus(bad) && bad.code).toBe(400);
  });
  it('prefixes lines split across chunks, and a last line without newline', async () => {
    const out = Readable.from(['one\ntw', 'o\nthree']).pipe(new LinePrefixer('[p/c] '));
    expect(await text(out)).toBe('[p/c] one\n[p/c] two\n[p/c] three\n');
  });
  it('prefixes lines only when several streams interleave: one pod logs what it printed', async () => {
    expect(streamPrefix(1, 'hello-1', 'hello')).toBe('');
    expect(streamPrefix(2, 'hello-1', 'hello')).toBe('[hello-1/hello] ');
    const one = Readable.from(['printed\n']).pipe(new LinePrefixer(streamPrefix(1, 'p', 'c')));
    expect(await text(one)).toBe('printed\n');
  });
  it('merges pods keeping each pod in order', () => {
    expect(
      mergeLogs([
        { pod: 'a', container: 'f', text: '1\n2\n' },
        { pod: 'b', container: 'f', text: '3' },
      ]),
    ).toBe('[a/f] 1\n[a/f] 2\n[b/f] 3\n');
  });
  it('caps the merged stream at limitBytes', async () => {
    expect(await text(Readable.from(['12345', '678']).pipe(new ByteLimit(6)))).toBe('123456');
  });
});

// Issue 18's case against the Python runtime: 2,000 half-sent requests that trickle a byte a
// second. Prints, for this build and (with --baseline DIR) an older one side by side: threads and
// memory idle and under the attack, whether an honest call is still answered and how fast, and
// how many attacking connections the server still holds after the header deadline.
// Run: npx tsx bench/runtime-connections.ts [-- --connections 2000 --baseline DIR]
// (DIR/python/server.py is a copy of runtimes/python taken before a change, as for bench:runtimes.)
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './runtimes/measure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    'headers-timeout': { type: 'string', default: '10' },
    baseline: { type: 'string' },
  },
});
const COUNT = Number(values.connections);
const HEADERS_TIMEOUT = Number(values['headers-timeout']);

interface Row {
  name: string;
  idleThreads: number;
  idleRss: number;
  attackThreads: number;
  attackRss: number;
  honest: string;
  heldAfterDeadline: number;
}

const status = (pid: number, key: string): number =>
  Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One honest GET on a new connection: its status and time, or what went wrong. */
function honestCall(port: number): Promise<string> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer in 10 s');
    }, 10_000);
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(`${/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 'closed'} in ${Date.now() - t0} ms`);
    });
    socket.on('error', () => undefined);
  });
}

async function measure(name: string, server: string): Promise<Row> {
  const env = {
    KUBELESS_INSTALL_VOLUME: path.join(ROOT, 'examples/python'),
    MOD_NAME: 'hello',
    FUNC_HANDLER: 'handler',
    KUBELESS_HEADERS_TIMEOUT: String(HEADERS_TIMEOUT),
  };
  const st = await startServer('python3', [server], env);
  const pid = st.proc.pid!;
  const sockets: net.Socket[] = [];
  try {
    await sleep(500);
    const row: Row = {
      name,
      idleThreads: status(pid, 'Threads'),
      idleRss: status(pid, 'VmRSS') / 1024,
      attackThreads: 0,
      attackRss: 0,
      honest: '',
      heldAfterDeadline: 0,
    };
    let open = 0;
    for (let i = 0; i < COUNT; i++) {
      const socket = net.connect(st.port, '127.0.0.1', () =>
        socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-A: '),
      );
      socket.on('error', () => undefined);
      socket.on('close', () => open--);
      open++;
      sockets.push(socket);
      if (i % 100 === 99) await sleep(20);
    }
    const trickle = setInterval(() => {
      for (const s of sockets) if (s.writable) s.write('a');
    }, 1000);
    await sleep(3000);
    row.attackThreads = status(pid, 'Threads');
    row.attackRss = status(pid, 'VmRSS') / 1024;
    row.honest = await honestCall(st.port);
    await sleep((HEADERS_TIMEOUT + 3) * 1000);
    clearInterval(trickle);
    row.heldAfterDeadline = open;
    return row;
  } finally {
    for (const s of sockets) s.destroy();
    st.proc.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const subjects: [string, string][] = [['kubeless python', path.join(ROOT, 'runtimes/python/server.py')]];
  const base = values.baseline && path.resolve(values.baseline, 'python/server.py');
  if (base && existsSync(base)) subjects.push(['kubeless python (baseline)', base]);
  const rows: Row[] = [];
  for (const [name, server] of subjects) rows.push(await measure(name, server));
  const lines = [
    `${COUNT} connections each sending a partial request head, then a byte a second; ` +
      `KUBELESS_HEADERS_TIMEOUT=${HEADERS_TIMEOUT}, other settings default`,
    '',
    '| server | threads idle | RSS idle | threads attacked | RSS attacked | honest GET while attacked | attacking connections held after the deadline + 3 s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.idleThreads} | ${r.idleRss.toFixed(1)} MiB | ${r.attackThreads} | ` +
        `${r.attackRss.toFixed(1)} MiB | ${r.honest} | ${r.heldAfterDeadline} of ${COUNT} |`,
    ),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

void main();

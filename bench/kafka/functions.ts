// The functions bench/kafka.ts delivers to: the real Node.js runtime with a handler returning
// "ok" (a bare node:http server when there is no build), and one that answers after a delay.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../test/kafka/broker.js';

export interface BenchFunction {
  child: ChildProcess;
  url: string;
  kind: string;
}

function waitForPort(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const attempt = (): void => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`function did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** A function that answers after `ms` (standing in for one that waits on a database or an API). */
export async function startSlowFunction(ms: number): Promise<BenchFunction> {
  const port = await freePort();
  const code = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>setTimeout(()=>s.end('ok'),${ms}))}).listen(${port},'127.0.0.1')`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  await waitForPort(port);
  return { child, url: `http://127.0.0.1:${port}`, kind: `function answering after ${ms} ms` };
}

/** The trivial Node.js function: the real runtime after `npm run build`, else a bare server. */
export async function startFunction(dir: string): Promise<BenchFunction> {
  const port = await freePort();
  const runtime = join(process.cwd(), 'dist/runtimes/nodejs/server.js');
  let child: ChildProcess;
  let kind: string;
  if (existsSync(runtime)) {
    writeFileSync(join(dir, 'bench.js'), 'module.exports = { handler: () => "ok" };\n');
    child = spawn(process.execPath, [runtime], {
      stdio: 'ignore',
      env: {
        ...process.env,
        FUNC_HANDLER: 'handler',
        MOD_NAME: 'bench',
        FUNC_PORT: String(port),
        FUNC_TIMEOUT: '30',
        FUNC_RUNTIME: 'nodejs20',
        KUBELESS_INSTALL_VOLUME: dir,
        KUBELESS_LISTEN_HOST: '127.0.0.1',
      },
    });
    kind = 'Node.js runtime';
  } else {
    const code = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.end('ok'))}).listen(${port},'127.0.0.1')`;
    child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
    kind = 'bare node:http server (no build found)';
  }
  await waitForPort(port);
  return { child, url: `http://127.0.0.1:${port}`, kind };
}

/** CPU seconds a process has used so far (user + system, all its threads), from /proc; 0 where there is none. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

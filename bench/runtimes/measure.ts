// Small helpers for bench/runtimes.ts: start a server, read a process tree's memory, run wrk.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Started {
  proc: ChildProcess;
  port: number;
}

export function startServer(cmd: string, args: string[], env: Record<string, string>): Promise<Started> {
  const proc = spawn(cmd, args, {
    env: { ...process.env, FUNC_PORT: '0', KUBELESS_LISTEN_HOST: '127.0.0.1', ...env },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let seen = '';
  return new Promise((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m =
        /"msg": ?"function listening".*?"port": ?(\d+)|"port": ?(\d+).*?"msg": ?"function listening"/.exec(
          seen,
        );
      if (m) resolve({ proc, port: Number(m[1] ?? m[2]) });
    });
    proc.on('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${seen}`)));
  });
}

function children(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return tasks === '' ? [] : tasks.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

function field(pid: number, file: string, name: string): number {
  try {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) used so far by a process and its descendants. */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop()!;
    try {
      // Fields after the command name (which may hold spaces) start at ")"; utime/stime are 14/15.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
    queue.push(...children(p));
  }
  return ticks / 100;
}

/**
 * Memory of a process and its descendants (the Node.js runtime is two processes). `rss` sums each
 * process's resident set, counting the node binary's shared pages once per process; `anon` sums
 * the private (anonymous) pages, what each extra process really adds; `pss` splits shared pages.
 */
export function treeMemory(pid: number): { rss: number; anon: number; pss: number } {
  let rss = 0;
  let anon = 0;
  let pss = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop()!;
    rss += field(p, 'status', 'VmRSS');
    anon += field(p, 'status', 'RssAnon');
    pss += field(p, 'smaps_rollup', 'Pss');
    queue.push(...children(p));
  }
  return { rss, anon, pss };
}

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  peakRss: number;
  /** Server CPU time per request, in microseconds: steadier than req/s on a shared machine. */
  cpuUsPerRequest: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

export function parseWrk(output: string): Omit<WrkResult, 'peakRss' | 'cpuUsPerRequest'> {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s)/m.exec(output);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)/m.exec(output);
  if (!rps || !p50 || !p99) throw new Error(`could not read wrk output:\n${output}`);
  return { rps: Number(rps[1]), p50Ms: toMs(p50[1]!, p50[2]!), p99Ms: toMs(p99[1]!, p99[2]!) };
}

export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export function runWrk(url: string, seconds: number, connections: number, pid: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const wrk = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let peakRss = 0;
    const cpuBefore = treeCpuSeconds(pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, treeMemory(pid).rss);
    }, 250);
    wrk.stdout.on('data', (d: Buffer) => (out += d.toString()));
    wrk.stderr.on('data', (d: Buffer) => (out += d.toString()));
    wrk.on('exit', (code) => {
      clearInterval(sampler);
      const cpu = treeCpuSeconds(pid) - cpuBefore;
      if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${out}`));
      try {
        const parsed = parseWrk(out);
        const requests = parsed.rps * seconds;
        resolve({ ...parsed, peakRss, cpuUsPerRequest: (cpu / requests) * 1e6 });
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

// Starts the webhook as a real child process and reads its port from its JSON log.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');

export interface WebhookProcess {
  child: ChildProcess;
  port: number;
  logs: () => string[];
  stop(): Promise<number | null>;
}

export function startWebhookProcess(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<WebhookProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'cli-entry.ts'), 'webhook', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`webhook did not start in 60 s; stderr: ${stderr}; logs: ${lines.join('\n')}`));
    }, 60_000);
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const rec = JSON.parse(line) as { msg?: string; port?: number };
          if (rec.msg === 'webhook listening' && rec.port) {
            clearTimeout(timer);
            resolve({
              child,
              port: rec.port,
              logs: () => lines,
              stop: () =>
                new Promise((res) => {
                  if (child.exitCode !== null) return res(child.exitCode);
                  child.once('exit', (code) => res(code));
                  child.kill('SIGTERM');
                }),
            });
          }
        } catch {
          // not JSON: keep it for the error message
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`webhook exited ${code} before listening; stderr: ${stderr}; logs: ${lines.join('\n')}`),
      );
    });
  });
}

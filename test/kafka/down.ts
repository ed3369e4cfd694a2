// `npm run kafka:down`: stops the broker that kafka:up started and forgets its address.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.env.KUBELESS_E2E_DIR ?? '.e2e');
const pidFile = join(root, 'kafka.pid');

async function main(): Promise<void> {
  if (!existsSync(pidFile)) {
    process.stdout.write('no Kafka broker recorded in .e2e/kafka.pid\n');
    return;
  }
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 200));
    } catch {
      break;
    }
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited after SIGTERM, as it should
  }
  rmSync(pidFile, { force: true });
  rmSync(join(root, 'kafka'), { force: true });
  if (process.argv.includes('--purge')) rmSync(join(root, 'kafka-data'), { recursive: true, force: true });
  process.stdout.write(`Kafka broker ${pid} stopped\n`);
}

void main();

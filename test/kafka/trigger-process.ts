// Starts `kubeless kafka-trigger` as a child process (the way it runs in its Deployment) and
// lets a suite SIGKILL it, as a crash or an evicted pod would.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';

export interface TriggerProcess {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startTriggerProcess(
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = {},
): TriggerProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/kafka/run-trigger.ts', 'kafka-trigger', ...args],
    {
      stdio: ['ignore', out, out],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    },
  );
  return {
    child,
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    },
  };
}

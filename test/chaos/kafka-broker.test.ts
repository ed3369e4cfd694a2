// Chaos scenario 8 (issue #16): the Kafka broker killed mid-stream while the function fails 30% of
// calls. The scenario is the Kafka suite's own test (test/e2e/kafka.test.ts, ordering "partition":
// 10,000 records, a broker crash and a consumer SIGKILL, every record delivered or dead-lettered),
// run as it is and its figures reported here; its assertions decide the outcome.
import { expect, jest, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { repoRoot } from '../e2e/helpers/cluster.js';
import { parseKafkaFigures } from './lib/kafka-figures.js';
import { recordResult } from './results.js';

jest.setTimeout(900_000);

test('scenario 8: the Kafka broker killed mid-stream, 30% of calls failing: every record delivered or dead-lettered', async () => {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      'node_modules/jest/bin/jest.js',
      '-c',
      'test/kafka/jest.config.js',
      '--runInBand',
      'test/e2e/kafka.test.ts',
      '-t',
      'ordering partition',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBELESS_CHAOS_RESULTS: '' } },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const figures = parseKafkaFigures(output, 'partition');
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  recordResult({
    id: 8,
    scenario: 'Kafka broker killed mid-stream, 30% of calls failing',
    tallies: figures
      ? [
          {
            unit: 'records',
            made: figures.records,
            // The test itself fails on any record neither delivered nor dead-lettered; a record can
            // be both (delivered by a redelivery after being dead-lettered), so the figures alone
            // only bound the loss from below.
            lost: code === 0 ? 0 : Math.max(1, figures.records - figures.delivered - figures.deadLettered),
            failedClearly: figures.deadLettered,
          },
        ]
      : [],
    recoverySeconds: undefined,
    notes: figures
      ? `test/e2e/kafka.test.ts (ordering partition; broker killed and restarted, then the trigger SIGKILLed): ` +
        `${figures.delivered} delivered, ${figures.deadLettered} dead-lettered after 4 attempts (the "clear error": ` +
        `the dead letter carries it), ${figures.duplicates} duplicate deliveries, ${figures.calls} calls; ${minutes} min; ` +
        'recovery time not measured by that test'
      : `the Kafka test printed no figures (exit ${code}); its output ends: ${output.slice(-600)}`,
    outcome: code === 0 && figures ? 'passed' : 'failed',
  });
  if (code !== 0) process.stderr.write(output.slice(-4000));
  expect({ exit: code, figuresFound: figures !== undefined }).toEqual({ exit: 0, figuresFound: true });
});

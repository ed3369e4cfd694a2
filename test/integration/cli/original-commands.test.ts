// The original Kubeless CLI's other commands and spellings, with the built binary against the real
// local platform: get-server-config, trigger --dryrun/-o and the original's flag names, the NATS and
// Kinesis triggers it had, topic --kafka-namespace, autoscale list --out.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Platform } from '../../../local/platform.js';
import { assertBuilt, kubeless, startCliPlatform, type CliPlatform } from './run.js';

jest.setTimeout(120_000);

describe('original CLI commands', () => {
  let cli: CliPlatform;
  let platform: Platform;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    assertBuilt();
    cli = await startCliPlatform('compat', 'kubeless-cli-commands-');
    ({ platform, dir, env } = cli);
  });

  afterAll(async () => {
    await cli?.close();
  });

  it('get-server-config lists the runtimes the server accepts, from its catalog ConfigMap', async () => {
    const r = await kubeless(['get-server-config'], env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Current Server Config:\nSupported Runtimes are: .*nodejs22.*python3\.11/);
    const json = JSON.parse((await kubeless(['get-server-config', '-o', 'json'], env)).stdout) as {
      runtimes: { id: string; images: { runtime: string } }[];
    };
    expect(json.runtimes.map((x) => x.id)).toContain('nodejs22');
    const other = await kubeless(['get-server-config', '--kubeless-namespace', 'elsewhere'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /ConfigMap elsewhere\/kubeless-runtimes was not found: pass --kubeless-namespace/,
    );
  });

  it("prints triggers for --dryrun in the original's spellings and stores nothing", async () => {
    writeFileSync(join(dir, 'payload.json'), '{"report":"daily"}');
    const cron = await kubeless(
      ['trigger', 'cronjob', 'create', 'nightly', '--function', 'hello', '--schedule', '0 3 * * *'].concat([
        '-f',
        join(dir, 'payload.json'),
        '--dryrun',
      ]),
      env,
    );
    expect(cron).toMatchObject({ code: 0, stderr: '' });
    expect(parse(cron.stdout)).toMatchObject({
      kind: 'CronJobTrigger',
      metadata: { name: 'nightly' },
      spec: { 'function-name': 'hello', schedule: '0 3 * * *', payload: { report: 'daily' } },
    });
    const http = await kubeless(
      [
        'trigger',
        'http',
        'create',
        'web',
        '--function-name',
        'hello',
        '--enableTLSAcme',
        '--hostname',
        'a.example.com',
      ].concat(['--dryrun', '-o', 'json']),
      env,
    );
    expect(JSON.parse(http.stdout)).toMatchObject({
      kind: 'HTTPTrigger',
      spec: { tls: true, 'host-name': 'a.example.com' },
    });
    const kafka = await kubeless(
      [
        'trigger',
        'kafka',
        'create',
        'k',
        '--trigger-topic',
        't',
        '--function-selector',
        'created-by=kubeless,function=x',
        '--dryrun',
      ],
      env,
    );
    expect(parse(kafka.stdout)).toMatchObject({ kind: 'KafkaTrigger', spec: { topic: 't' } });
    const stored = await fetch(`${platform.url}/apis/kubeless.io/v1beta1/namespaces/compat/cronjobtriggers`);
    expect(((await stored.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('says NATS and Kinesis triggers are not part of this Kubeless, and what to use', async () => {
    const nats = await kubeless(
      ['trigger', 'nats', 'create', 'n', '--function-selector', 'a=b', '--trigger-topic', 't'],
      env,
    );
    expect(nats.code).toBe(1);
    expect(nats.stderr).toMatch(
      /^error: NATS triggers are not part of this Kubeless.*kubeless trigger kafka create/,
    );
    expect((await kubeless(['trigger', 'kinesis', 'list'], env)).stderr).toMatch(
      /AWS Kinesis triggers are not part/,
    );
  });

  it('explains --kafka-namespace: this CLI reaches the brokers itself', async () => {
    const r = await kubeless(['topic', 'list', '--kafka-namespace', 'kafka'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /--kafka-namespace: this CLI does not exec into the broker's pod.*--brokers host:port \(e\.g\. kafka\.kafka:9092/,
    );
  });

  it('lists autoscalers as YAML with --out', async () => {
    const r = await kubeless(['autoscale', 'list', '--out', 'yaml'], env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(parse(r.stdout)).toEqual([]);
  });
});

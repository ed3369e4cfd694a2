// `npm run images` must tag what the chart and the runtime catalog pull, stage what the
// Dockerfiles copy, and refuse a registry or tag a builder would choke on, saying how to fix it.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { defaultCatalog } from '../../../lib/catalog.js';
import { helmInstallLine, KUBELESS_CONTEXT_PATHS, planImages } from '../../../scripts/images/plan.js';
import { stageContext } from '../../../scripts/images/stage.js';
import { archiveArgs, buildArgs, chooseTool } from '../../../scripts/images/tool.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the image plan', () => {
  test('tags the image the chart pulls and every runtime image the catalog names', () => {
    const plan = planImages({ registry: 'registry.example.com/team/', tag: '0.1.0', only: [] });
    const values = YAML.parse(readFileSync(path.join(root, 'charts/kubeless/values.yaml'), 'utf8')) as {
      image: { repository: string };
    };
    expect(plan[0]?.ref).toBe(`registry.example.com/team/${values.image.repository}:0.1.0`);
    const runtimeRefs = defaultCatalog('registry.example.com/team').runtimes.map((r) => r.images.runtime);
    expect(plan.slice(1).map((b) => b.ref)).toEqual(runtimeRefs);
    expect(plan.find((b) => b.name === 'runtime-python:3.12')?.buildArgs).toEqual({ PYTHON_VERSION: '3.12' });
  });

  test('--only picks images by name and names the choices when one is unknown', () => {
    expect(
      planImages({ registry: 'localhost:5000', tag: 'dev', only: ['runtime-nodejs:22'] }).map((b) => b.ref),
    ).toEqual(['localhost:5000/runtime-nodejs:22']);
    expect(() => planImages({ registry: 'localhost:5000', tag: 'dev', only: ['runtime-cobol:85'] })).toThrow(
      /no such image \(fix: use one of kubeless, runtime-nodejs:20/,
    );
  });

  test.each(['', 'Registry.example.com/Team', 'example.com/team:1.0', 'a b', 'example.com//team'])(
    'refuses the registry %j with the form it wants',
    (registry) => {
      expect(() => planImages({ registry, tag: 'dev', only: [] })).toThrow(
        /is not a registry path \(fix: e\.g\./,
      );
    },
  );

  test('refuses a tag no builder takes', () => {
    expect(() => planImages({ registry: 'localhost:5000', tag: 'v1/../x', only: [] })).toThrow(
      /is not an image tag/,
    );
  });

  test('the helm line sets both registries, and the tag only when it is not the chart default', () => {
    expect(helmInstallLine('r.example.com/t', '0.1.0', '0.1.0')).toMatch(
      /--set image\.registry=r\.example\.com\/t --set runtimes\.registry=r\.example\.com\/t$/,
    );
    expect(helmInstallLine('r.example.com/t', 'dev', '0.1.0')).toMatch(/ --set image\.tag=dev$/);
  });
});

describe('the build contexts', () => {
  test('the Kubeless context holds every path the Dockerfile copies from it', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) =>
      m[1]!.trim().split(/\s+/).slice(0, -1),
    );
    expect(copied.length).toBeGreaterThan(5);
    const missing = copied.filter((p) => !KUBELESS_CONTEXT_PATHS.includes(p.replace(/\/.*$/, '')));
    expect(missing).toEqual([]);
  });

  test('the Python context holds the runtime and its Dockerfile, and nothing of the project', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'images-test-'));
    try {
      stageContext('python', root, dir);
      expect(readdirSync(dir)).toEqual(['runtimes']);
      const files = readdirSync(path.join(dir, 'runtimes/python'));
      expect(files).toContain('Dockerfile');
      expect(files).toContain('server.py');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the builders', () => {
  const image = planImages({ registry: 'localhost:5000', tag: 'dev', only: ['runtime-nodejs:22'] })[0]!;

  test('buildah builds with bud and writes archives with push; docker and podman save', () => {
    const buildah = { tool: 'buildah' as const, toolFlags: ['--root=/x'], buildFlags: ['--pull-never'] };
    expect(buildArgs(buildah, image, '/ctx')).toEqual([
      '--root=/x',
      'bud',
      '--pull-never',
      '-f',
      '/ctx/runtimes/nodejs/Dockerfile',
      '-t',
      'localhost:5000/runtime-nodejs:22',
      '--build-arg',
      'NODE_VERSION=22',
      '/ctx',
    ]);
    expect(archiveArgs(buildah, image.ref, '/a.tar')).toEqual([
      '--root=/x',
      'push',
      image.ref,
      `docker-archive:/a.tar:${image.ref}`,
    ]);
    expect(archiveArgs({ tool: 'docker', toolFlags: [], buildFlags: [] }, image.ref, '/a.tar')).toEqual([
      'save',
      '-o',
      '/a.tar',
      image.ref,
    ]);
    expect(buildArgs({ tool: 'podman', toolFlags: [], buildFlags: [] }, image, '/c')[0]).toBe('build');
  });

  test('the first builder on PATH is used, and a missing one is named with the fix', () => {
    expect(chooseTool(undefined, (c) => c === 'podman' || c === 'buildah')).toBe('podman');
    expect(() => chooseTool(undefined, () => false)).toThrow(
      /none of docker, podman or buildah is on PATH \(fix:/,
    );
    expect(() => chooseTool('docker', () => false)).toThrow(/docker is not on PATH/);
    expect(() => chooseTool('kaniko', () => true)).toThrow(/not one of docker, podman, buildah/);
  });
});

// `npm run images -- --registry registry.example.com/team [--push]`: builds the Kubeless image and
// every runtime image of the catalog with docker, podman or buildah, tags them for the registry,
// optionally pushes them, and prints the helm install line that uses them. The test node's image
// build (test/images/build.sh) runs this same command with buildah and --archive-dir.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { helmInstallLine, planImages, PlanError, type ImageBuild } from './images/plan.js';
import { stageContext } from './images/stage.js';
import { archiveArgs, buildArgs, chooseTool, pushArgs, type ToolOptions } from './images/tool.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const usage = `usage: npm run images -- --registry REGISTRY [--tag TAG] [--push] [--tool docker|podman|buildah]
                         [--only NAME,...] [--archive-dir DIR] [--tool-flag F]... [--build-flag F]...
  --registry     where the images go, e.g. registry.example.com/team or localhost:5000 (required)
  --tag          tag of the Kubeless image (default: the chart's appVersion)
  --push         push every image after building it
  --tool         the builder (default: the first of docker, podman, buildah on PATH)
  --only         build only these (kubeless, runtime-nodejs:22, ...)
  --archive-dir  also write each image as a docker-archive there, named by content; an image whose
                 archive exists is not rebuilt
  --archive-salt extra input of the archives' key (e.g. the base images' ids)
  --tool-flag    an option before the builder's verb (e.g. --tool-flag=--root=/var/lib/x)
  --build-flag   an option of the build verb (e.g. --build-flag=--platform=linux/arm64)`;

function appVersion(): string {
  const chart = readFileSync(path.join(repoRoot, 'charts/kubeless/Chart.yaml'), 'utf8');
  const v = (YAML.parse(chart) as { appVersion?: unknown } | null)?.appVersion;
  if (typeof v !== 'string' || v === '') throw new Error('charts/kubeless/Chart.yaml has no appVersion');
  return v;
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(path.join(d, cmd)));
}

/** A key over every staged file and the build's own inputs: same key, same image. */
function contentKey(dir: string, image: ImageBuild, salt: string): string {
  const hash = createHash('sha256').update(JSON.stringify({ ref: image.ref, args: image.buildArgs, salt }));
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(path.relative(dir, p)).update('\0').update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

/** An image has one archive: the one for its current content. */
function removeOlderArchives(archive: string): void {
  const dir = path.dirname(archive);
  const prefix = path.basename(archive).replace(/-[0-9a-f]{16}\.tar$/, '-');
  for (const f of readdirSync(dir)) {
    if (f.startsWith(prefix) && /^[0-9a-f]{16}\.tar$/.test(f.slice(prefix.length))) rmSync(path.join(dir, f));
  }
}

function run(tool: string, args: string[]): void {
  process.stderr.write(`[images] ${tool} ${args.join(' ')}\n`);
  // Builders talk on stderr: stdout carries only the archive paths, for scripts.
  execFileSync(tool, args, { stdio: ['ignore', 2, 2] });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      registry: { type: 'string' },
      tag: { type: 'string' },
      push: { type: 'boolean', default: false },
      tool: { type: 'string' },
      only: { type: 'string', default: '' },
      'archive-dir': { type: 'string' },
      'archive-salt': { type: 'string', default: '' },
      'tool-flag': { type: 'string', multiple: true, default: [] },
      'build-flag': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(usage);
  if (!values.registry) throw new PlanError(`--registry is required\n${usage}`);
  const version = appVersion();
  const tag = values.tag ?? version;
  const only = values.only.split(',').filter((s) => s !== '');
  const images = planImages({ registry: values.registry, tag, only });
  const opts: ToolOptions = {
    tool: chooseTool(values.tool, onPath),
    toolFlags: values['tool-flag'],
    buildFlags: values['build-flag'],
  };
  if (values['archive-dir']) mkdirSync(values['archive-dir'], { recursive: true });
  const stage = mkdtempSync(path.join(tmpdir(), 'kubeless-images-'));
  try {
    for (const image of images) {
      const ctx = path.join(stage, image.name.replace(/[:/]/g, '_'));
      stageContext(image.context, repoRoot, ctx);
      const archive = values['archive-dir']
        ? path.join(
            values['archive-dir'],
            `${image.name.replace(/[:/]/g, '_')}-${contentKey(ctx, image, values['archive-salt'])}.tar`,
          )
        : undefined;
      if (archive && existsSync(archive)) {
        console.log(archive);
        continue;
      }
      run(opts.tool, buildArgs(opts, image, ctx));
      if (values.push) run(opts.tool, pushArgs(opts, image.ref));
      if (archive) {
        run(opts.tool, archiveArgs(opts, image.ref, `${archive}.tmp`));
        removeOlderArchives(archive);
        renameSync(`${archive}.tmp`, archive);
        console.log(archive);
      }
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  process.stderr.write(
    `\nBuilt ${images.map((i) => i.ref).join(', ')}.\nInstall with:\n  ${helmInstallLine(values.registry, tag, version)}\n`,
  );
}

try {
  main();
} catch (err) {
  process.stderr.write(`[images] error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

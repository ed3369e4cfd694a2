// The command lines of the three image builders a user may have. They agree on `build -f -t
// --build-arg` and `push`; they differ in the build verb and in how an image becomes a file.
import type { ImageBuild } from './plan.js';

export const TOOLS = ['docker', 'podman', 'buildah'] as const;
export type Tool = (typeof TOOLS)[number];

export interface ToolOptions {
  tool: Tool;
  /** Global options placed before the verb, e.g. buildah's --root. */
  toolFlags: readonly string[];
  /** Extra options of the build verb, e.g. --pull-never or --platform linux/arm64. */
  buildFlags: readonly string[];
}

export function buildArgs(o: ToolOptions, image: ImageBuild, contextDir: string): string[] {
  const verb = o.tool === 'buildah' ? 'bud' : 'build';
  const args = Object.entries(image.buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  return [
    ...o.toolFlags,
    verb,
    ...o.buildFlags,
    '-f',
    `${contextDir}/${image.dockerfile}`,
    '-t',
    image.ref,
    ...args,
    contextDir,
  ];
}

export function pushArgs(o: ToolOptions, ref: string): string[] {
  return [...o.toolFlags, 'push', ref];
}

/** Writes the image as a docker-archive (what `ctr images import` and `docker load` take). */
export function archiveArgs(o: ToolOptions, ref: string, file: string): string[] {
  if (o.tool === 'buildah') return [...o.toolFlags, 'push', ref, `docker-archive:${file}:${ref}`];
  if (o.tool === 'podman') return [...o.toolFlags, 'save', '--format', 'docker-archive', '-o', file, ref];
  return [...o.toolFlags, 'save', '-o', file, ref];
}

/** The first of docker, podman and buildah on PATH, or the one asked for. */
export function chooseTool(asked: string | undefined, onPath: (cmd: string) => boolean): Tool {
  if (asked !== undefined) {
    const tool = TOOLS.find((t) => t === asked);
    if (!tool) throw new Error(`--tool ${asked}: not one of ${TOOLS.join(', ')}`);
    if (!onPath(tool))
      throw new Error(`--tool ${tool}: ${tool} is not on PATH (fix: install it or pick another)`);
    return tool;
  }
  const found = TOOLS.find(onPath);
  if (!found) {
    throw new Error(
      'none of docker, podman or buildah is on PATH (fix: install one, e.g. apt-get install -y buildah)',
    );
  }
  return found;
}

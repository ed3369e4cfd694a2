// The stand-in's backend: runs one Function's code in the real runtime server process and keeps
// its output for the log subresource.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSpec } from '../../../cli/kube/types.js';
import { startRuntime, type Language, type Runtime } from '../runtimes/harness.js';

export const RUNTIMES: Record<string, { language: Language; suffix: string }> = {
  nodejs20: { language: 'nodejs', suffix: '.js' },
  'python3.11': { language: 'python', suffix: '.py' },
};

export type Outcome = { ok: true; message: string } | { ok: false; message: string };

export class FunctionProcess {
  readonly lines: string[] = [];
  private readonly listeners = new Set<(text: string) => void>();
  private runtime?: Runtime;
  private dir?: string;

  get url(): string | undefined {
    return this.runtime?.url;
  }

  onOutput(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(text: string): void {
    if (!text) return;
    this.lines.push(...text.split(/(?<=\n)/));
    for (const l of this.listeners) l(text);
  }

  /** Writes the code as the pod's init step would, starts the runtime, waits until it listens. */
  async start(spec: FunctionSpec): Promise<Outcome> {
    await this.stop();
    const info = RUNTIMES[spec.runtime ?? '']!;
    const dir = mkdtempSync(join(tmpdir(), 'kubeless-standin-'));
    this.dir = dir;
    const handler = spec.handler ?? '';
    const mod = handler.slice(0, handler.lastIndexOf('.'));
    const base64 = spec['function-content-type'] === 'base64';
    writeFileSync(
      join(dir, mod + info.suffix),
      base64 ? Buffer.from(spec.function ?? '', 'base64') : (spec.function ?? ''),
    );
    const env: Record<string, string> = {
      FUNC_TIMEOUT: spec.timeout ?? '180',
      FUNC_RUNTIME: spec.runtime ?? '',
    };
    for (const e of spec.deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [])
      env[e.name] = e.value ?? '';
    try {
      const rt = await startRuntime(info.language, {
        volume: dir,
        mod,
        handler: handler.slice(mod.length + 1),
        env,
      });
      this.runtime = rt;
      let seen = 0;
      const pump = (): void => {
        const text = rt.logs();
        this.append(text.slice(seen));
        seen = text.length;
      };
      pump();
      rt.proc.stdout?.on('data', () => setImmediate(pump));
      rt.proc.stderr?.on('data', () => setImmediate(pump));
      return { ok: true, message: `${info.language} runtime on port ${rt.port}` };
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.append(text);
      return {
        ok: false,
        message: /"error": ?"([^"]*)"/.exec(text)?.[1] ?? text.split('\n')[0] ?? 'unknown',
      };
    }
  }

  async stop(): Promise<void> {
    const rt = this.runtime;
    this.runtime = undefined;
    if (rt) await rt.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

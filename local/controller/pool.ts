// Pre-started runtime servers in pool mode (KUBELESS_WAIT_FOR_CONFIG=stdin): each has loaded its
// own modules and waits for one config line, so a new Function skips the runtime's start-up.
import type { RuntimeLanguage } from '../../lib/catalog.js';
import { launch, runtimeCommand, stopGroup, type Launched, type PidFiles } from './launch.js';

const REFILL_DELAY_MS = 300;

export class RuntimePool {
  private readonly idle = new Map<RuntimeLanguage, Launched[]>();
  private closed = false;

  constructor(
    private readonly pids: PidFiles,
    private readonly cwd: string,
    private readonly size: number,
  ) {}

  /** A waiting process for `language` (refilling the pool behind it), or undefined if none is idle. */
  take(language: RuntimeLanguage): Launched | undefined {
    const list = this.idle.get(language) ?? [];
    let got: Launched | undefined;
    while (list.length > 0 && !got) {
      const candidate = list.shift()!;
      if (candidate.child.exitCode === null && candidate.child.signalCode === null) got = candidate;
    }
    // Refill a moment later: a new runtime starting now would compete for CPU with the one
    // that is loading the function someone is waiting for.
    setTimeout(() => this.fill(language), REFILL_DELAY_MS).unref();
    return got;
  }

  fill(language: RuntimeLanguage): void {
    if (this.closed || this.size <= 0) return;
    const list = this.idle.get(language) ?? [];
    this.idle.set(language, list);
    while (list.length < this.size) {
      const l = launch(
        runtimeCommand(language, 'server'),
        'runtime',
        { KUBELESS_WAIT_FOR_CONFIG: 'stdin' },
        this.cwd,
        this.pids,
      );
      // Nobody reads a pooled process's output until it is assigned; drop it so pipes never fill.
      l.child.stdout?.resume();
      l.child.stderr?.resume();
      l.child.stdin?.on('error', () => undefined);
      list.push(l);
      void l.exited.then(() => {
        const i = list.indexOf(l);
        if (i >= 0) list.splice(i, 1);
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((l) => stopGroup(l, 500)));
  }
}

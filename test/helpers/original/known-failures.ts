// Cases that fail today for a reason outside this suite, each with that reason. They still run:
// jest's test.failing passes while the case fails and fails the run the moment the case passes,
// so a fix cannot go unnoticed and the mark cannot outlive it. Their names carry the mark, and
// the suite prints the list when it starts. Empty is the goal.

export type Platform = 'local' | 'cluster';

export interface KnownFailure {
  platform: Platform;
  namespace: 'kubeless-runtimes' | 'kubeless-examples';
  id: string;
  /** What fails, why, and whose fix it waits for. */
  why: string;
}

export const knownFailures: KnownFailure[] = [];

export function knownFailure(platform: Platform, namespace: string, id: string): KnownFailure | undefined {
  return knownFailures.find((k) => k.platform === platform && k.namespace === namespace && k.id === id);
}

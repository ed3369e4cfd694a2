// The vocabulary of the original Kubeless Makefiles' deploy and verify targets, as data: what a
// case runs (our CLI, kubectl) and what it checks. How each check is carried out on the local
// platform and on a cluster is the runner's business (run-case.ts), not the data's.

/** Where a case comes from: the repository and directory of its Makefile. */
export type Source =
  'kubeless/runtimes stable/nodejs' | 'kubeless/runtimes stable/python' | 'kubeless/kubeless examples';

export type ArchiveFormat = 'zip' | 'tar.gz' | 'tgz' | 'tar.bz2' | 'tar.xz';

/**
 * A file argument. The Makefiles name files of their examples/ directory, archives they build with
 * zip/tar just before the deploy, URLs on GitHub, or temp files written with printf.
 */
export type FileRef =
  /** A file of test/fixtures/original/examples (our own equivalents of the originals). */
  | { fixture: string }
  /** An archive of fixtures, built at test time as the Makefile builds it (flat, no directories). */
  | { archive: ArchiveFormat; of: string[] }
  /** The file served over HTTP by the test, where the original pointed at GitHub (query kept). */
  | { url: FileRef; query?: string }
  /** A temp file with this text, where the Makefile wrote one with printf. */
  | { text: string; named: string };

export type Arg = string | FileRef;

export type Step =
  /** `kubeless <args>`; the case's namespace is appended with -n. `orTrue`: the Makefile's `|| true`. */
  | { kubeless: Arg[]; orTrue?: boolean }
  /** `kubectl <args>` against the platform; the namespace is appended with -n. */
  | { kubectl: Arg[]; orTrue?: boolean }
  /** `kubectl apply -f <manifest>` (the original's examples/*.yaml). */
  | { apply: FileRef };

/** A named multipart field: text, or a fixture uploaded as a file. */
export type FormField = { name: string; value: string } | { name: string; file: string };

export type Check =
  /** `kubeless function call <name> <args> | egrep <grep>`; withStderr: `2>&1 || true`. */
  | { call: Arg[]; grep: RegExp; withStderr?: boolean; name?: string }
  /** `echo $(kubectl logs --tail=1000 -l function=<name>) | grep -q <each>`. */
  | { logs: RegExp[] }
  /** `kubectl get svc <name> -o yaml | grep 'targetPort: <port>'`. */
  | { serviceTargetPort: number }
  /** The pod's container env holds these (`kubectl get po -o jsonpath={..env}`). */
  | { podEnv: Record<string, string> }
  /** The pod's labels hold these (`kubectl get po -o jsonpath={..labels}`). */
  | { podLabels: Record<string, string> }
  /**
   * `kubectl exec <pod> -- <command> | grep <grep>`; `local` says what stands for it on the local
   * platform (none: the case is unsupportedLocally).
   */
  | { exec: string[]; grep: RegExp; local?: LocalStandIn }
  /** `kubeless function top --function <name> --out yaml | egrep <grep>`. */
  | { top: RegExp }
  /** The schedule called the function (a GET answered 200) within this many seconds. */
  | { scheduledCallWithin: number }
  /** A multipart POST to the function's HTTP endpoint (curl -F through kubectl proxy). */
  | { multipart: FormField[]; headers?: Record<string, string>; query?: string; grep: RegExp }
  /** Until one of `tries` calls answers what grep expects (the example fails at random on purpose). */
  | { callUntil: RegExp; tries: number }
  /**
   * `kubeless topic publish --topic <topic> --data <message>` with a fresh token for `$(DATA)`,
   * then the function's log shows the token within 60 s, and then each of `eventFields`.
   */
  | { publish: { topic: string; message: string }; eventFields: RegExp[] };

/**
 * What a cluster-only check (kubectl exec into the pod) becomes on the local platform, which runs
 * functions as processes nobody can exec into: the Function object must carry what the pod would.
 */
export type LocalStandIn = { functionEnv: Record<string, string> } | { functionDeps: RegExp };

export interface OriginalCase {
  /** The Makefile target (its `-verify` target holds the checks). */
  id: string;
  source: Source;
  runtime: string;
  handler: string;
  /** Dependencies as the Makefile gives them (file, URL or none). */
  deps?: string;
  /** The function's name when it differs from the target's. */
  name?: string;
  /** The deploy target's commands, run before any case is verified (the Makefiles' `deploy`). */
  deploy: Step[];
  /** Commands of a later target on the same function (an update), run when the case is verified. */
  then?: Step[];
  checks: Check[];
  /**
   * On the local platform the CLI must say the flag cannot work there (on stdout or stderr of the
   * deploy), and nothing else is checked: the flag needs objects only a cluster has.
   */
  unsupportedLocally?: RegExp;
  /** Needs a Kafka broker (pubsub through a KafkaTrigger). */
  kafka?: boolean;
  /** How the case differs from the original, when it does. */
  note?: string;
}

export interface LeftOut {
  targets: string[];
  source: Source;
  why: string;
}

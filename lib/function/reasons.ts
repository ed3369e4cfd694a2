// The reasons a Function's Ready condition carries, one set for the cluster controller and the
// local platform, and the one rule that tells "still working" from "stuck" (what `--wait`
// decides on). A failure both platforms can meet has one name on both.

/** Ready=True. */
export const READY_REASONS = {
  /** Cluster: the Deployment has its replicas available. */
  DeploymentAvailable: 'DeploymentAvailable',
  /** Local platform: the runtime process answers /healthz. */
  Ready: 'Ready',
} as const;

/** Ready=False while the platform is still working: it will change by itself. */
export const PROGRESS_REASONS_BY_NAME = {
  /** A generation not observed yet, or (cluster) a deleted namesake's objects await the garbage collector. */
  Pending: 'Pending',
  /** Local platform: preparing the code, installing dependencies, starting the runtime. */
  Progressing: 'Progressing',
  DeploymentMissing: 'DeploymentMissing',
  NoPods: 'NoPods',
  PodsNotReady: 'PodsNotReady',
  RolloutInProgress: 'RolloutInProgress',
} as const;

/** Ready=False until the user (or the operator) changes something. */
export const FAILURE_REASONS = {
  /** spec.runtime names no runtime (nor alias) of the catalog. */
  RuntimeNotFound: 'RuntimeNotFound',
  /** The spec cannot be turned into a running function (handler, content type ...). */
  InvalidSpec: 'InvalidSpec',
  /** The operator's function policy refuses what the Function asks for. */
  PolicyViolation: 'PolicyViolation',
  /** Cluster: an object of the Function's name belongs to someone else. */
  ResourceConflict: 'ResourceConflict',
  /** The code could not be materialised (download, checksum, archive). */
  PrepareFailed: 'PrepareFailed',
  /** The dependencies could not be installed. */
  InstallFailed: 'InstallFailed',
  /** The runtime could not load the handler (its error is the message). */
  LoadError: 'LoadError',
  /** Local platform: the process keeps exiting; restarts back off. */
  CrashLoop: 'CrashLoop',
  ScaledToZero: 'ScaledToZero',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  OOMKilled: 'OOMKilled',
  ContainerRestarted: 'ContainerRestarted',
  ContainerFailed: 'ContainerFailed',
  Unschedulable: 'Unschedulable',
  /** Cluster: the reconcile itself failed (it is retried with backoff). */
  ReconcileFailed: 'ReconcileFailed',
  ApplyFailed: 'ApplyFailed',
  StatusUpdateFailed: 'StatusUpdateFailed',
} as const;

export type ReadyReason = (typeof READY_REASONS)[keyof typeof READY_REASONS];
export type ProgressReason = (typeof PROGRESS_REASONS_BY_NAME)[keyof typeof PROGRESS_REASONS_BY_NAME];
export type FailureReason = (typeof FAILURE_REASONS)[keyof typeof FAILURE_REASONS];
/** Kubelet's waiting reasons (ImagePullBackOff ...) and the scheduler's are passed through as they are. */
export type FunctionReason = ReadyReason | ProgressReason | FailureReason;

/**
 * Reasons that accompany Ready=False while the platform is still working rather than stuck: ours,
 * and a few common names other controllers use for progress (ADR 0006: in-progress states should
 * be Ready=Unknown; these are accepted so one that reports progress as False does not make
 * `--wait` fail early).
 */
export const PROGRESS_REASONS: ReadonlySet<string> = new Set<string>([
  ...Object.values(PROGRESS_REASONS_BY_NAME),
  'Deploying',
  'Installing',
  'Preparing',
  'Starting',
  'Creating',
  'Updating',
  'Reconciling',
  'MinimumReplicasUnavailable',
]);

/** Whether Ready=False with this reason means "still working" (wait) rather than "stuck" (fail). */
export function isProgressReason(reason: string): boolean {
  return PROGRESS_REASONS.has(reason);
}

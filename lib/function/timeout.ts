// A Function's timeout, decided once: what `spec.timeout` means in seconds (the runtime's
// FUNC_TIMEOUT, the pod's grace period, a CronJob's deadline) and how long an invoke proxy waits.

/** The original Kubeless's default when spec.timeout is empty. */
export const DEFAULT_TIMEOUT_SECONDS = 180;

/**
 * Seconds an invoke proxy (the aggregated API, the local platform, cron callers) waits past the
 * Function's timeout, so the runtime's own 408 reaches the caller before the proxy's 504.
 */
export const INVOKE_DEADLINE_MARGIN_SECONDS = 5;

const WHOLE_SECONDS = /^[1-9][0-9]*$/;

/**
 * `spec.timeout` (a quoted whole number of seconds, as the original stored it) as a number; the
 * default when it is empty or not such a number (validation refuses those, but an object stored
 * before validation existed must still run with a sane deadline).
 */
export function timeoutSecondsOf(timeout: string | number | undefined): number {
  if (typeof timeout === 'number') {
    return Number.isInteger(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS;
  }
  const text = timeout?.trim() ?? '';
  return WHOLE_SECONDS.test(text) ? Number(text) : DEFAULT_TIMEOUT_SECONDS;
}

/** How long one call may take end to end through an invoke proxy, in milliseconds. */
export function invokeDeadlineMs(
  timeoutSeconds: number,
  marginSeconds = INVOKE_DEADLINE_MARGIN_SECONDS,
): number {
  return (timeoutSeconds + marginSeconds) * 1000;
}

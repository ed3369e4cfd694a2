// Where a function is reached: the one thing the cluster and the local platform do differently.
// The cluster resolver (api/) reads the Function and its Service through kube-apiserver; the
// process resolver (local/) asks the local controller for the runtime process's port.
import type { Address } from './connections.js';

export type Resolution =
  /** Calls go to `address`; the function's own timeout is `timeoutSeconds`. */
  | { state: 'ready'; address: Address; timeoutSeconds: number }
  /** No such Function: 404. */
  | { state: 'missing' }
  /** The Function exists but cannot take calls now: 503, with why and what to do. */
  | { state: 'unavailable'; why: string; fix: string };

export interface FunctionResolver {
  /** A value when the answer is known at once (the invoke path then takes no extra event-loop turn). */
  resolve(namespace: string, name: string): Resolution | Promise<Resolution>;
  /** A connection to `address` failed: what is known about where the function lives may be stale. */
  forget?(namespace: string, name: string, address: Address): void;
}

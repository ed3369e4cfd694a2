// The one logger of the server components (api, webhook, controller, kafka-trigger, local): JSON
// lines (pino) with one set of field names, so a query written for one component's logs works on
// the others'. The names:
//   component  who logs: the command's name (`controller`, `webhook`, `api`, `kafka-trigger`, `local`)
//   kind, namespace, name   the object a line is about (`name` is never anything else)
//   err        what went wrong, as text
// Other fields say what they hold (`topic`, `pod`, `attempt`...).
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export type Component = 'controller' | 'webhook' | 'api' | 'kafka-trigger' | 'local';

export interface LoggerOptions {
  /** debug, info, warn, error; default `LOG_LEVEL`, then info. */
  level?: string;
  /** Where lines go (tests); default stdout. */
  destination?: DestinationStream;
}

export function componentLogger(component: Component, opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { component, pid: process.pid },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** The fields naming the object a line is about. */
export function objectFields(ref: ObjectRef): ObjectRef {
  return ref.namespace === undefined
    ? { kind: ref.kind, name: ref.name }
    : { kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/** `err` as text: an Error's message, anything else as written. */
export function errField(err: unknown): { err: string } {
  return { err: err instanceof Error ? err.message : String(err) };
}

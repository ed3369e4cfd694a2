// How a user's `spec.deployment` / `spec.service` is merged over the object the controller builds;
// pure, so the webhook can judge the same merged pod the controller will render.
// The rules (also in docs/adr/0007-controller.md):
// - objects merge key by key, recursively; where both sides set a scalar, the user's value wins;
// - arrays the user sets replace ours, except the ones listed in KEYED_ARRAYS, which merge
//   item by item on their key (`name`, or `mountPath` for volume mounts): an item with the same
//   key is merged (user wins), new items are appended in the user's order;
// - the caller re-asserts what must not change (identity labels, selector) after merging.

type Plain = Record<string, unknown>;

/** Arrays merged item by item, and the field that identifies an item. */
const KEYED_ARRAYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
};

function isPlain(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeKeyed(ours: unknown[], theirs: unknown[], key: string): unknown[] {
  const result = [...ours];
  for (const item of theirs) {
    const id = isPlain(item) ? item[key] : undefined;
    const at = id === undefined ? -1 : result.findIndex((o) => isPlain(o) && o[key] === id);
    if (at >= 0) result[at] = mergeValue(result[at], item, undefined);
    else result.push(item);
  }
  return result;
}

function mergeValue(ours: unknown, theirs: unknown, field: string | undefined): unknown {
  if (theirs === undefined || theirs === null) return ours;
  if (isPlain(ours) && isPlain(theirs)) return mergeObjects(ours, theirs);
  if (Array.isArray(ours) && Array.isArray(theirs) && field !== undefined && KEYED_ARRAYS[field]) {
    return mergeKeyed(ours, theirs, KEYED_ARRAYS[field]);
  }
  return structuredClone(theirs);
}

/** Returns a new object: `ours` with `theirs` merged over it by the rules above. */
export function mergeObjects<T extends object>(ours: T, theirs: object): T {
  const result: Plain = { ...(ours as Plain) };
  for (const [field, value] of Object.entries(theirs as Plain)) {
    result[field] = mergeValue(result[field], value, field);
  }
  return result as T;
}

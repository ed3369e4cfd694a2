// Why this exists: `kubectl apply` computes a three-way merge from its last-applied annotation, so a
// field the user never wrote (the checksum defaulting added) is carried over from the live object.
// When the code changes, that carried-over checksum describes the old code and would fail
// validation; an unchanged checksum next to changed code can only be stale, so it is dropped and
// defaulting computes the right one. Used by every writer that sees the previous object on update
// (the webhook's UPDATE reviews and the local platform).

function specOf(obj: object | undefined): Record<string, unknown> | undefined {
  const spec = (obj as { spec?: unknown } | undefined)?.spec;
  return spec !== null && typeof spec === 'object' && !Array.isArray(spec)
    ? (spec as Record<string, unknown>)
    : undefined;
}

/** `next` without a checksum it merely inherited from `previous` while its code changed; a new object otherwise unchanged. */
export function dropStaleChecksum<T extends object>(previous: object | undefined, next: T): T {
  const oldSpec = specOf(previous);
  const newSpec = specOf(next);
  if (!oldSpec || !newSpec || oldSpec.function === newSpec.function) return next;
  if (newSpec.checksum === undefined || newSpec.checksum !== oldSpec.checksum) return next;
  const out = structuredClone(next);
  delete (specOf(out) as Record<string, unknown>).checksum;
  return out;
}

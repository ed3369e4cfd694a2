// Pure decisions about request bodies: how big they may be and what `event.data` becomes.

export type BodyKind = 'json' | 'text' | 'form' | 'binary';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Classifies a content type; unknown and missing types stay bytes so no byte is ever lost. */
export function bodyKind(contentType: string | undefined): BodyKind {
  if (contentType === undefined) return 'binary';
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (
    type.startsWith('text/') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/yaml' ||
    type === 'application/x-yaml'
  ) {
    return 'text';
  }
  return 'binary';
}

/** Rejects a declared length over the limit before reading a byte of it. */
export function checkDeclaredLength(header: string | undefined, limit: number): void {
  if (header === undefined) return;
  const length = Number(header);
  if (Number.isFinite(length) && length > limit) {
    throw new BodyError(413, tooLarge(length, limit));
  }
}

export function tooLarge(size: number, limit: number): string {
  return (
    `request body of ${size} bytes exceeds the limit of ${limit} bytes; ` +
    'send a smaller body or raise KUBELESS_BODY_LIMIT on the function'
  );
}

/** What `event.data` is: parsed JSON, text, or a Buffer. An empty body is an empty string. */
export function parseData(raw: Buffer, kind: BodyKind): unknown {
  if (raw.length === 0) return '';
  switch (kind) {
    case 'json':
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new BodyError(
          400,
          `request body is not valid JSON (${(err as Error).message}); ` +
            'send valid JSON or a different Content-Type',
        );
      }
    case 'text':
    case 'form':
      return raw.toString('utf8');
    default:
      return raw;
  }
}

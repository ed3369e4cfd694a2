// The libraries Express itself uses for content negotiation, MIME types and nested query strings,
// loaded on the first call that needs one: most functions never call `request.is()` and should
// not pay their load time (tens of ms, the MIME database) or memory. In the image they sit next
// to the runtime in /runtime/node_modules (see the Dockerfile).
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export type TypeIs = (req: IncomingMessage, types: string[]) => string | false | null;

export interface Accepts {
  types(types: string[]): string | string[] | false;
  charsets(charsets: string[]): string | string[] | false;
  encodings(encodings: string[]): string | string[] | false;
  languages(languages: string[]): string | string[] | false;
}

export interface MimeTypes {
  contentType(typeOrExtension: string): string | false;
}

export interface Qs {
  parse(text: string, options: { allowPrototypes: boolean }): Record<string, unknown>;
}

let typeIs: TypeIs | undefined;
let accepts: ((req: IncomingMessage) => Accepts) | undefined;
let mimeTypes: MimeTypes | undefined;
let qs: Qs | undefined;

export function typeIsLib(): TypeIs {
  return (typeIs ??= load('type-is') as TypeIs);
}

export function acceptsLib(): (req: IncomingMessage) => Accepts {
  return (accepts ??= load('accepts') as (req: IncomingMessage) => Accepts);
}

export function mimeTypesLib(): MimeTypes {
  return (mimeTypes ??= load('mime-types') as MimeTypes);
}

export function qsLib(): Qs {
  return (qs ??= load('qs') as Qs);
}

// Rules for code fetched from a URL: https only (unless the operator allows http), and a loud
// warning when nothing pins what the download must be. Used by the webhook and the controller
// (admission and re-check) and by lib/prepare (the download itself, including every redirect).
import { ContentTypeError, contentTypeOfSpec, type ContentType } from '../function/content.js';

export interface SourceProblem {
  message: string;
  fix: string;
}

interface SourceSpec {
  function?: string;
  'function-content-type'?: string;
  checksum?: string;
}

export const HTTP_OVERRIDE =
  'an operator can allow http sources with the chart value functionPolicy.allowHttpSources (kubeless prepare --allow-http)';

/** Why `url` may not be downloaded, or undefined when it may. */
export function urlSchemeProblem(url: string, allowHttp: boolean): SourceProblem | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { message: `${JSON.stringify(url)} is not a URL`, fix: 'write an absolute https:// URL' };
  }
  if (protocol === 'https:' || (protocol === 'http:' && allowHttp)) return undefined;
  if (protocol === 'http:') {
    return {
      message: `${url} is plain http: nothing protects the download, so anyone on the network path could replace the function's code`,
      fix: `serve it over https (and set spec.checksum), or put the code inline; ${HTTP_OVERRIDE}`,
    };
  }
  return { message: `${url} uses ${protocol}, not https`, fix: 'serve the code over https' };
}

function contentTypeOf(spec: SourceSpec): ContentType | undefined {
  try {
    return contentTypeOfSpec(spec);
  } catch (err) {
    if (err instanceof ContentTypeError) return undefined;
    throw err;
  }
}

function sourceUrl(spec: SourceSpec): string | undefined {
  return contentTypeOf(spec)?.encoding === 'url' ? (spec.function ?? '').trim() : undefined;
}

/** The problem with a Function's URL source, if its code comes from a URL that may not be fetched. */
export function sourceUrlProblem(spec: SourceSpec, allowHttp: boolean): SourceProblem | undefined {
  const url = sourceUrl(spec);
  return url === undefined ? undefined : urlSchemeProblem(url, allowHttp);
}

/** The warning a URL source without a checksum earns (admission warning, prepare's log). */
export function missingChecksumWarning(url: string): string {
  return (
    `spec.function is downloaded from ${url} with no spec.checksum: whatever that server (or anyone who ` +
    'controls it later) returns will run as this function; set spec.checksum to "sha256:" and the sha256sum of the file'
  );
}

export function sourceWarnings(spec: SourceSpec): string[] {
  const url = sourceUrl(spec);
  return url !== undefined && !spec.checksum ? [missingChecksumWarning(url)] : [];
}

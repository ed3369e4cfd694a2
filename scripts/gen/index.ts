// Everything `npm run generate` writes, computed in memory so a test can compare it with the
// committed files. Same input, same bytes: no timestamps, no map-order surprises.
import { KUBELESS_DOC, SUBRESOURCES_DOC, loadDocument } from './documents.js';
import { buildCrd, crdFileName, crdKinds, renderCrd } from './crd.js';
import { renderTypes } from './typescript.js';
import { renderDocumentsModule, renderSchemasModule } from './validators.js';

export interface GeneratedFile {
  /** Path relative to the repository root. */
  path: string;
  content: string;
}

export const GENERATED_DIRS = ['openapi/generated', 'charts/kubeless/crds'];

export async function generateAll(root: string): Promise<GeneratedFile[]> {
  const kubeless = await loadDocument(root, KUBELESS_DOC);
  const subresources = await loadDocument(root, SUBRESOURCES_DOC);
  const files: GeneratedFile[] = [];
  for (const kind of crdKinds(kubeless.doc)) {
    files.push({
      path: `charts/kubeless/crds/${crdFileName(kind, kubeless.doc)}`,
      content: renderCrd(buildCrd(kind, kubeless.doc), kubeless.file),
    });
  }
  files.push({ path: 'openapi/generated/kubeless.io_v1beta1.ts', content: await renderTypes(kubeless) });
  files.push({
    path: 'openapi/generated/subresources.kubeless.io_v1.ts',
    content: await renderTypes(subresources),
  });
  files.push({ path: 'openapi/generated/schemas.ts', content: renderSchemasModule(kubeless) });
  files.push({
    path: 'openapi/generated/documents.ts',
    content: renderDocumentsModule(kubeless, subresources),
  });
  return files;
}

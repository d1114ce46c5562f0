// Generates src/api/schema.gen.ts from the server's committed OpenAPI document
// (docs/openapi.json) with openapi-typescript. `npm run gen:api` writes the file;
// test/apiSchema.test.ts fails when the committed file is not what this produces.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The document (a path). */
export const SOURCE = join(webDir, '..', 'docs', 'openapi.json');
/** The generated module (a path). */
export const OUTPUT = join(webDir, 'src', 'api', 'schema.gen.ts');
export const REGENERATE = 'npm --prefix web run gen:api';

const HEADER = `/**
 * GENERATED FILE: do not edit. openapi-typescript's rendering of docs/openapi.json, the
 * server's OpenAPI document. Regenerate with \`${REGENERATE}\` (web/scripts/gen-api.mjs)
 * after the document changes; test/apiSchema.test.ts fails while this file is stale.
 */

`;

/** The generated module's text, exactly as `npm run gen:api` writes it. */
export async function generateApiSchema({ silent = false } = {}) {
  // openapi-typescript refuses a document with a repeated operationId (OpenAPI requires
  // them unique), so such a server change fails here, loudly.
  const doc = JSON.parse(readFileSync(SOURCE, 'utf8'));
  return HEADER + astToString(await openapiTS(doc, { silent }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OUTPUT, await generateApiSchema());
  console.log(`${SOURCE} -> ${OUTPUT}`);
}

// The generated API types (src/api/schema.gen.ts) against the server's committed
// OpenAPI document (docs/openapi.json): the file must be exactly what
// openapi-typescript makes of the document today, so the app's types cannot lag
// behind a server change. (A Rust test keeps docs/openapi.json current.)
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiSchema, OUTPUT, REGENERATE, SOURCE } from '../scripts/gen-api.mjs';

describe('generated API types', () => {
  it('src/api/schema.gen.ts is current with docs/openapi.json', { timeout: 60_000 }, async () => {
    const generated = await generateApiSchema({ silent: true });
    const committed = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
    if (generated === committed) return;
    const want = generated.split('\n');
    const got = committed.split('\n');
    let line = 0;
    while (line < want.length && want[line] === got[line]) line++;
    expect.fail(
      `${OUTPUT} is stale: it is not what openapi-typescript generates from ` +
        `${SOURCE}. Run \`${REGENERATE}\` and commit the result ` +
        `(do not edit the generated file by hand).\n` +
        `First difference, line ${line + 1}:\n` +
        `  generated: ${JSON.stringify(want[line] ?? '<end of file>')}\n` +
        `  committed: ${JSON.stringify(got[line] ?? '<end of file>')}`,
    );
  });
});

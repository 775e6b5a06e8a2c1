// Fails when src/api/schema.d.ts is not what openapi-typescript makes of openapi.json now,
// i.e. when someone changed the API description without regenerating the client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const directory = mkdtempSync(join(tmpdir(), 'otelbi-api-'));
const fresh = join(directory, 'schema.d.ts');
try {
  execFileSync('npx', ['openapi-typescript', 'openapi.json', '-o', fresh], { stdio: 'pipe' });
  if (readFileSync(fresh, 'utf8') !== readFileSync('src/api/schema.d.ts', 'utf8')) {
    console.error(
      'src/api/schema.d.ts is stale: run `npm run generate:api` (after ' +
        '`.venv/bin/otelbi openapi --output frontend/openapi.json` if the API changed).',
    );
    process.exitCode = 1;
  } else {
    console.log('the API client matches openapi.json');
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

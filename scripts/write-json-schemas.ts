import { contractJsonSchemas } from '@vigil/contracts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './demo-clip';

/** Writes the contracts' JSON Schemas to libs/contracts/schemas/ (run after changing a contract). */
const dir = join(REPO_ROOT, 'libs', 'contracts', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(contractJsonSchemas())) {
  writeFileSync(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote libs/contracts/schemas/${name}`);
}

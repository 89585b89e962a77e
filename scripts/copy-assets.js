// Copies the non-TypeScript files the compiled apps load at run time into dist/, beside their code.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const dir of ['apps/console/web', 'libs/model/weights']) {
  cpSync(join(root, dir), join(root, 'dist', dir), { recursive: true });
}

#!/usr/bin/env node
// Entry point of the `credence` command. Runs the compiled JavaScript in dist/ (built from src/
// by `npm run build`, which `npm ci` and `npm install` run through the prepare script), so no
// TypeScript compiler loads at run time. A checkout without dist/ (installed with
// --ignore-scripts) runs the sources through tsx instead, saying so.
import { existsSync } from 'node:fs';

// Output piped into a reader that stops early (`credence ... | head`) ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const compiled = new URL('../dist/main/cli.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  process.stderr.write('credence: dist/ is missing (run `npm run build`); running the TypeScript sources through tsx\n');
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));

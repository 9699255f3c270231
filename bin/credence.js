#!/usr/bin/env node
// Entry point of the `credence` command. The sources are TypeScript; tsx compiles them on load.
import { register } from 'tsx/esm/api';
register();
// Output piped into a reader that stops early (`credence ... | head`) ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { main } = await import('../src/main/cli.ts');
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Entry point of the `credence` command. The sources are TypeScript; tsx compiles them on load.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main/cli.ts');
process.exitCode = await main(process.argv.slice(2));

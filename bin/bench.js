#!/usr/bin/env node
// Entry point of `npm run bench`: benchmarks side by side with peers and the machine's limits.
// The sources are TypeScript; tsx compiles them on load. Not part of `npm test`.
import { register } from 'tsx/esm/api';
register();
await import('../bench/run.ts');

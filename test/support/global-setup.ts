// Names, at the start of a run, the adapters it covers. Under CI a missing service stops the
// run here, before any suite gets the chance to skip. Builds dist/ first: the command-line
// tests run `bin/credence.js`, which runs the compiled code, and must run today's sources.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { inCI, missingInCI, probeServices, SERVICES, type Service } from './services.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function setup(project: TestProject): Promise<void> {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  const up = await probeServices();
  project.provide('services', up);
  const services = Object.keys(SERVICES) as Service[];
  const missing = services.filter((s) => !up[s]);
  if (inCI && missing.length > 0) {
    const reason = missing.map(missingInCI).join('; ');
    // vitest reports a failed global setup after a misleading "No test files found".
    console.error(reason);
    throw new Error(reason);
  }
  const listed = services.map((s) => `${s} (${SERVICES[s].at}${up[s] ? '' : '; skipped: not reachable'})`);
  console.log(`adapters under test: memory, sqlite, ${listed.join(', ')}`);
}

// Opens Credence on a fresh store the way `credence init` does, and optional components
// built by others (HTTP app, PostgreSQL adapter), detected by dynamic import.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../../src/app/credence.ts';
import { initStore } from '../../src/app/init.ts';
import type { Store } from '../../src/ports/store.ts';
import { BENCH_NOW, CATALOGUE_DIR, ROOT } from './common.ts';

export { BENCH_NOW } from './common.ts';

export function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

export async function initCredence(store: Store): Promise<Credence> {
  const res = await initStore(store, CATALOGUE_DIR, 'default', BENCH_NOW);
  if (res.problems.length > 0) throw new Error(`init failed: ${JSON.stringify(res.problems.slice(0, 3))}`);
  return Credence.open(store, { now: () => BENCH_NOW });
}

export async function freshSqliteCredence(file: string): Promise<Credence> {
  removeDb(file);
  return initCredence(await SqliteStore.open(file));
}

export async function openSqliteCredence(file: string): Promise<Credence> {
  return Credence.open(await SqliteStore.open(file), { now: () => BENCH_NOW });
}

/** Imports a module of this checkout if it exists; null (with the reason) when it does not. */
export async function optionalImport<T>(rel: string): Promise<{ mod: T | null; reason: string }> {
  const abs = path.join(ROOT, rel);
  if (!existsSync(abs)) return { mod: null, reason: `${rel} not in this checkout` };
  try {
    return { mod: (await import(abs)) as T, reason: '' };
  } catch (err) {
    return { mod: null, reason: `${rel} failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
}

// Configuration: parsed once from environment and flags into a frozen, typed object.
import path from 'node:path';

export type Profile = 'default' | 'eu';

export interface Config {
  /** SQLite database path (CREDENCE_DB or --db), default ./data/credence.db. */
  dbPath: string;
  /** PostgreSQL URL (CREDENCE_DATABASE_URL); when set, PostgreSQL is used instead of SQLite. */
  databaseUrl: string | null;
  /** Deployment profile (CREDENCE_PROFILE): `eu` refuses cross-context measures at load. */
  profile: Profile;
  /** Directory of the catalogue and scheme data files (CREDENCE_CATALOGUE_DIR). */
  catalogueDir: string;
  /** Legacy organisation codes admitted despite a failed checksum (CREDENCE_LEGACY_CODES, comma-separated). */
  legacyCodes: string[];
}

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export class ConfigError extends Error {}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: { db?: string; profile?: string } = {},
): Config {
  const profile = (flags.profile ?? env.CREDENCE_PROFILE ?? 'default') as Profile;
  if (profile !== 'default' && profile !== 'eu') {
    throw new ConfigError(`CREDENCE_PROFILE must be "default" or "eu", got "${profile}"`);
  }
  const legacy = (env.CREDENCE_LEGACY_CODES ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return Object.freeze({
    dbPath: path.resolve(flags.db ?? env.CREDENCE_DB ?? path.join('data', 'credence.db')),
    databaseUrl: env.CREDENCE_DATABASE_URL || null,
    profile,
    catalogueDir: path.resolve(env.CREDENCE_CATALOGUE_DIR ?? path.join(repoRoot, 'catalogue')),
    legacyCodes: Object.freeze(legacy) as string[],
  });
}

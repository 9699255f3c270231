// `init`: create or upgrade the database and load the catalogue and schemes from the data
// files. Nothing is written unless every file validates; problems come back all at once.
import path from 'node:path';
import { loadCatalogueDir } from './load-catalogue.ts';
import { loadSchemeDir } from './load-schemes.ts';
import type { CatalogueProblem } from '../domain/catalogue-validate.ts';
import type { Profile } from '../config/config.ts';
import type { Store } from '../ports/store.ts';

export interface InitResult {
  problems: CatalogueProblem[];
  recordTypes: number;
  schemes: string[];
  /** Four eyes as stored now. */
  fourEyes: boolean;
}

/**
 * `fourEyes`: turn four eyes on or off for the deployment; null or absent keeps what the
 * database holds (off for a new one). A change is an audit entry of its own.
 */
export async function initStore(store: Store, catalogueDir: string, profile: Profile, now: number, opts: { fourEyes?: boolean | null } = {}): Promise<InitResult> {
  await store.migrate();
  const { catalogue, problems } = await loadCatalogueDir(catalogueDir, profile);
  if (!catalogue) return { problems, recordTypes: 0, schemes: [], fourEyes: false };
  const loaded = await loadSchemeDir(path.join(catalogueDir, 'schemes'), catalogue);
  if (problems.length > 0 || loaded.problems.length > 0) return { problems: [...problems, ...loaded.problems], recordTypes: 0, schemes: [], fourEyes: false };
  const held = (await store.loadCatalogue())?.fourEyes ?? false;
  const fourEyes = opts.fourEyes ?? held;
  if (fourEyes) catalogue.fourEyes = true;
  await store.saveCatalogue(catalogue);
  if (fourEyes !== held) await store.appendAudit([{ at: now, actor: 'system', action: 'deployment.four-eyes', detail: { fourEyes } }]);
  const existing = new Set((await store.listSchemes()).map((r) => `${r.scheme.id}@${r.scheme.version}`));
  for (const s of loaded.schemes) {
    if (existing.has(s.key)) continue; // published versions are immutable
    await store.saveScheme(s.scheme, s.scheme.status === 'published' ? now : null);
  }
  await store.appendAudit([{ at: now, actor: 'system', action: 'catalogue.load', detail: { version: catalogue.version, recordTypes: catalogue.recordTypes.size, schemes: loaded.schemes.map((s) => s.key) } }]);
  return { problems: [], recordTypes: catalogue.recordTypes.size, schemes: loaded.schemes.map((s) => s.key), fourEyes };
}

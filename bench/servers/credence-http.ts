// Child process: Credence's HTTP API (buildApp from src/transport/http) on a SQLite database,
// with a provider key (every measure and purpose) and one source key per catalogue source.
// The rate limit is raised out of the way (a per-key token bucket would cap a load test).
// Prints one JSON line {url, providerKey, sourceKeys} and serves until killed.
// usage: credence-http.ts DB_FILE [fresh|existing]
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { SqliteAccessStore } from '../../src/adapters/sqlite/sqlite-access-store.ts';
import { groupAuditAppends } from '../../src/app/audit-batcher.ts';
import { buildApp } from '../../src/transport/http/app.ts';
import { newKey } from '../../src/transport/http/keys.ts';
import { BENCH_NOW, initCredence, openSqliteCredence, removeDb } from '../lib/credence.ts';

const [file, mode] = process.argv.slice(2);
if (!file) throw new Error('usage: credence-http.ts DB_FILE [fresh|existing]');
if (mode === 'fresh') removeDb(file);
const credence = mode === 'fresh' ? await initCredence(await SqliteStore.open(file)) : await openSqliteCredence(file);
const store = credence.store as SqliteStore;
groupAuditAppends(store); // as the server does (src/transport/http/server.ts)
const access = new SqliteAccessStore(store.sharedConnection());
const at = Date.now();
await access.saveProvider({ id: 'bench-provider', name: 'bench provider', measures: [...credence.catalogue.measures.keys()], purposes: [...credence.catalogue.purposes.keys()], createdAt: at });
const mk = async (role: 'provider' | 'source', binding: string) => {
  const k = newKey(role);
  await access.createKey({ id: k.id, role, name: `bench ${role} ${binding}`, hash: k.hash, binding, createdAt: at, createdBy: 'bench', expiresAt: at + 86_400_000, revokedAt: null, replacedBy: null });
  return k.secret;
};
const providerKey = await mk('provider', 'bench-provider');
const sourceKeys: Record<string, string> = {};
for (const s of credence.catalogue.sources.keys()) sourceKeys[s] = await mk('source', s);
const app = await buildApp({ credence, store, access, now: () => BENCH_NOW, options: { logger: false, rateLimit: { burst: 1e9, perSecond: 1e9 } } });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
const port = addr && typeof addr === 'object' ? addr.port : 0;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, providerKey, sourceKeys })}\n`);
process.on('SIGTERM', () => { void app.close().then(() => store.close()).then(() => process.exit(0)); });

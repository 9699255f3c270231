// The access-store contract against the in-memory twin and the SQLite adapter.
import { MemoryAccessStore } from '../src/adapters/memory/memory-access-store.ts';
import { SqliteAccessStore } from '../src/adapters/sqlite/sqlite-access-store.ts';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { accessStoreContract } from './access-store.contract.ts';

accessStoreContract('memory', async () => ({ access: new MemoryAccessStore(), close: async () => {} }));
accessStoreContract('sqlite', async () => {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  return { access: new SqliteAccessStore(store.sharedConnection()), close: () => store.close() };
});

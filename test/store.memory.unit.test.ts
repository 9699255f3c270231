// The store contract against the in-memory twin.
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { storeContract } from './store.contract.ts';

storeContract('memory', async () => new MemoryStore());

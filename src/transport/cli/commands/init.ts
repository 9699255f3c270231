// `credence init`: create the database and load the catalogue and schemes.
import { describeStore } from '../../../config/config.ts';
import { Credence } from '../../../app/credence.ts';
import { initStore } from '../../../app/init.ts';
import { formatProblems } from '../../../app/load-catalogue.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, openStoreFor, parse } from '../common.ts';

export const initCommand: CliCommand = {
  name: 'init',
  help: `usage: credence init [--db PATH]

Creates the database (default ./data/credence.db, or CREDENCE_DB) if needed, applies
migrations, validates the catalogue and scheme files (CREDENCE_CATALOGUE_DIR, default the
shipped catalogue/) and stores them. Running it again is harmless; published scheme
versions already stored are kept as they are.

exit codes: 0 done; 3 the catalogue or a scheme failed validation (every problem is listed)`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      parse(argv, {}, false);
      const store = await openStoreFor(ctx);
      try {
        // A schema upgrade (or a new database: nothing to rebuild then) brings states to the stream positions.
        const upgrading = (await store.pendingMigrations()) > 0;
        const res = await initStore(store, ctx.config.catalogueDir, ctx.config.profile, ctx.now());
        if (res.problems.length > 0) {
          ctx.io.err(formatProblems(res.problems));
          ctx.io.err(`${res.problems.length} problem(s): nothing was loaded`);
          return EXIT.DATA;
        }
        ctx.io.out(`initialised ${describeStore(ctx.config)}: ${res.recordTypes} record types, schemes ${res.schemes.join(', ')} (profile ${ctx.config.profile})`);
        if (upgrading) {
          const c = await Credence.open(store, { now: ctx.now, legacyCodes: ctx.config.legacyCodes });
          const n = await c.catchUpStates(ctx.now());
          if (n > 0) ctx.io.out(`upgraded the schema: rebuilt ${n} materialised state(s) from the records`);
        }
        return EXIT.OK;
      } finally {
        await store.close();
      }
    }),
};

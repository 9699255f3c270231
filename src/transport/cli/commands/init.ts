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

CREDENCE_FOUR_EYES=1 turns four eyes on for the deployment (0 turns it off; unset keeps
what the database holds): direct gradings and manual list entries then wait for a second
person's approval, and a dispute's or a restoration's decision takes two reviewers. It is
stored with the catalogue, so every process on the database keeps to it; a change is an
audit entry (deployment.four-eyes).

exit codes: 0 done; 3 the catalogue or a scheme failed validation (every problem is listed)`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      parse(argv, {}, false);
      const store = await openStoreFor(ctx);
      try {
        // A schema upgrade (or a new database: nothing to rebuild then) brings states to the stream positions.
        const upgrading = (await store.pendingMigrations()) > 0;
        const res = await initStore(store, ctx.config.catalogueDir, ctx.config.profile, ctx.now(), { fourEyes: ctx.config.fourEyes });
        if (res.problems.length > 0) {
          ctx.io.err(formatProblems(res.problems));
          ctx.io.err(`${res.problems.length} problem(s): nothing was loaded`);
          return EXIT.DATA;
        }
        ctx.io.out(`initialised ${describeStore(ctx.config)}: ${res.recordTypes} record types, schemes ${res.schemes.join(', ')} (profile ${ctx.config.profile}; four eyes ${res.fourEyes ? 'on' : 'off'})`);
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

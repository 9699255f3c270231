// `credence serve`: the HTTP API on the configured store (what `npm start` runs).
import { startServer } from '../../http/server.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, parse, UsageError } from '../common.ts';
import { SEED_SUBJECTS_MAX } from '../../../config/config.ts';

export const serveCommand: CliCommand = {
  name: 'serve',
  help: `usage: credence serve [--seed-subjects N] [--quiet]

Starts the HTTP API (docs/http.md; OpenAPI at /docs) on the database of --db / CREDENCE_DB
(default ./data/credence.db). On first start it loads the shipped catalogue and schemes and,
if the database holds no records, seeds a simulated town (default 2,000 subjects, seed 1;
--seed-subjects 0 skips it). Prints the URL and, on the first start of a database (no key in
it yet), a one-time operator key (valid 24 h; use it to create your own keys); later starts
print none (credence keys create --role operator --name NAME makes one). PORT and HOST set where it listens (default 127.0.0.1:3000), LOG_LEVEL the request log's
level (default info), CREDENCE_SEED_SUBJECTS the town's size when --seed-subjects is not given.
SIGTERM or SIGINT stops it gracefully: in-flight requests finish, the store is closed.

exit codes: 0 stopped cleanly; 2 usage; 70 could not start`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { 'seed-subjects': { type: 'string' }, quiet: { type: 'boolean' } }, false);
      const flag = values['seed-subjects'];
      const seed = flag === undefined ? ctx.config.server.seedSubjects : Number(flag);
      if (!Number.isInteger(seed) || seed < 0 || seed > SEED_SUBJECTS_MAX) throw new UsageError(`--seed-subjects is a whole number up to ${SEED_SUBJECTS_MAX}`);
      const { host, port } = ctx.config.server;
      const server = await startServer({
        config: ctx.config, host, port, seedSubjects: seed, seedDays: 365, now: ctx.now,
        log: (l) => ctx.io.err(l),
        logger: values.quiet ? false : { level: ctx.config.server.logLevel },
      });
      ctx.io.out(`Credence listening on ${server.url} (OpenAPI: ${server.url}/docs)`);
      if (server.operatorKey !== null) ctx.io.out(`operator key (shown once, valid 24 h): ${server.operatorKey}`);
      else ctx.io.out('operator key: none printed, this database has keys (`credence keys list`); make one with `credence keys create --role operator --name NAME`');
      await new Promise<void>((resolve) => {
        const stop = (sig: string) => {
          ctx.io.err(`${sig}: shutting down`);
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          void server.close().then(resolve, (err) => { ctx.io.err(`shutdown failed: ${(err as Error).message}`); resolve(); });
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
      });
      ctx.io.err('stopped');
      return EXIT.OK;
    }),
};

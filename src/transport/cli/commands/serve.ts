// `credence serve`: the HTTP API on the configured store (what `npm start` runs).
import { startServer } from '../../http/server.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, parse, UsageError } from '../common.ts';

export const serveCommand: CliCommand = {
  name: 'serve',
  help: `usage: credence serve [--seed-subjects N] [--quiet]

Starts the HTTP API (docs/http.md; OpenAPI at /docs) on the database of --db / CREDENCE_DB
(default ./data/credence.db). On first start it loads the shipped catalogue and schemes and,
if the database holds no records, seeds a simulated town (default 2,000 subjects, seed 1;
--seed-subjects 0 skips it). Prints the URL and, on the first start of a database (no key in
it yet), a one-time operator key (valid 24 h; use it to create your own keys); later starts
print none (credence keys create --role operator --name NAME makes one). PORT and HOST set where it listens (default 127.0.0.1:3000).
SIGTERM or SIGINT stops it gracefully: in-flight requests finish, the store is closed.

exit codes: 0 stopped cleanly; 2 usage; 70 could not start`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { 'seed-subjects': { type: 'string' }, quiet: { type: 'boolean' } }, false);
      const seed = Number(values['seed-subjects'] ?? process.env.CREDENCE_SEED_SUBJECTS ?? 2000);
      if (!Number.isInteger(seed) || seed < 0 || seed > 1_000_000) throw new UsageError('--seed-subjects is a whole number up to 1000000');
      const port = Number(process.env.PORT ?? 3000);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`PORT must be 0-65535, got "${process.env.PORT}"`);
      const host = process.env.HOST ?? '127.0.0.1';
      const server = await startServer({
        config: ctx.config, host, port, seedSubjects: seed, seedDays: 365, now: ctx.now,
        log: (l) => ctx.io.err(l),
        logger: values.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' },
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

// `credence demo`: init + a simulated town of 10,000 + the grade distribution + one
// subject's explanation, in under a minute. Uses data/demo.db unless --db or CREDENCE_DB says
// otherwise, so it never mixes synthetic data into a working database by accident.
import { describeStore } from '../../../config/config.ts';
import { Credence } from '../../../app/credence.ts';
import { initStore } from '../../../app/init.ts';
import { formatProblems } from '../../../app/load-catalogue.ts';
import { simulateTown, townStart } from '../../../app/simulate.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, openStoreFor, parse, UsageError } from '../common.ts';
import { printDistribution } from './stats.ts';
import { subjectCommand } from './subject.ts';
import { DueProcess, SIMULATED_REVIEW_REASON } from '../../../app/due-process.ts';

export const demoCommand: CliCommand = {
  name: 'demo',
  help: `usage: credence demo [--subjects N] [--days D] [--seed S]

Creates (or reuses) the demo database (data/demo.db, or --db / CREDENCE_DB), loads the
catalogue and schemes, simulates a town (default 10,000 subjects over 365 days, seed 1),
ingests it, prints the grade distribution per scheme and explains one subject. Running it
again adds nothing (same seed, same records).

exit codes: 0 done`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { subjects: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' } }, false);
      const subjects = Number(values.subjects ?? 10_000);
      const days = Number(values.days ?? 365);
      const seed = Number(values.seed ?? 1);
      if (![subjects, days, seed].every((n) => Number.isInteger(n) && n > 0) || subjects > 1_000_000) throw new UsageError('--subjects (up to 1000000), --days and --seed are positive whole numbers');
      const t0 = performance.now();
      const store = await openStoreFor(ctx);
      let pick: string | undefined;
      try {
        const now = ctx.now();
        const init = await initStore(store, ctx.config.catalogueDir, ctx.config.profile, now, { fourEyes: ctx.config.fourEyes });
        if (init.problems.length > 0) {
          ctx.io.err(formatProblems(init.problems));
          return EXIT.DATA;
        }
        const c = await Credence.open(store, { now: ctx.now, legacyCodes: ctx.config.legacyCodes });
        const start = townStart(now, days);
        let batch: unknown[] = [];
        let accepted = 0, duplicates = 0, rejected = 0;
        const flush = async () => {
          const r = await c.ingest(batch, 'demo');
          accepted += r.accepted;
          duplicates += r.duplicates;
          rejected += r.rejected;
          batch = [];
        };
        for (const item of simulateTown({ subjects, days, seed, start })) {
          if (item.kind !== 'record') continue;
          batch.push(item.record);
          if (batch.length >= 5000) await flush();
        }
        if (batch.length > 0) await flush();
        // The simulated grid office's reports wait for a reviewer like real ones; the town's
        // simulated reviewer approves them (logged as such).
        const reviewed = await new DueProcess(c).approveAllOpen(SIMULATED_REVIEW_REASON, { actor: 'demo:reviewer' });
        if (reviewed > 0) ctx.io.out(`${reviewed} grid office reports approved by the simulated reviewer`);
        ctx.io.out(`town of ${subjects} (seed ${seed}, ${days} days from ${start}): ${accepted} records accepted, ${duplicates} already held, ${rejected} rejected`);
        const s = await c.stats(ctx.now());
        ctx.io.out(`${s.subjects} subjects with records, ${s.records} records in ${describeStore(ctx.config)}`);
        // Residents without any record hold the base score and the default grade; count them
        // in so that the distribution is the town's, not only of those with records.
        const without = Math.max(0, subjects - s.subjects);
        const town: Record<string, Record<string, number>> = {};
        for (const sc of c.schemes) {
          const dist = { ...s.grades[sc.key] };
          dist[sc.scheme.defaultGrade] = (dist[sc.scheme.defaultGrade] ?? 0) + without;
          town[sc.key] = dist;
        }
        ctx.io.out(`grade distribution of the town's ${subjects} residents and firms (${without} without any record hold the default grade):`);
        printDistribution(ctx, town);
        // Explain someone with something to explain: the first subject graded B or C under
        // the town's points scheme (the shipped town is Rongcheng's).
        const key = (c.scheme('rongcheng') ?? c.schemes[0]!).key;
        for (let after: string | null = null; !pick; ) {
          const ids = await store.listSubjectIds(after, 500);
          if (ids.length === 0) break;
          after = ids[ids.length - 1]!;
          const states = await store.getStatesFor(ids, key);
          pick = [...states.values()].find((st) => st.grade === 'C' || st.grade === 'B')?.subject;
        }
      } finally {
        await store.close();
      }
      if (pick) {
        ctx.io.out('');
        ctx.io.out(`why ${pick} has the grade it has (credence subject explain ${pick}):`);
        await subjectCommand.run(['explain', pick], ctx);
      }
      ctx.io.out(`\ndemo finished in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return EXIT.OK;
    }),
};

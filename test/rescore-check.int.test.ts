// `credence rescore --check`: compares materialised state with a rebuild from the records and
// exits non-zero naming each subject that differs. Run in process on a SQLite file, with one
// state corrupted behind the store's back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import { main } from '../src/main/cli.ts';

const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const dir = mkdtempSync(path.join(tmpdir(), 'credence-check-'));
const file = path.join(dir, 'credence.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false }, { CREDENCE_DB: file, CREDENCE_CATALOGUE_DIR: catalogueDir });
  return { code, out, err };
}

let subjects = 0;
beforeAll(async () => {
  const store = await SqliteStore.open(file);
  const now = Date.now();
  expect((await initStore(store, catalogueDir, 'default', now)).problems).toEqual([]);
  const c = await Credence.open(store, { now: () => now });
  const start = new Date(now - 300 * 86_400_000).toISOString().slice(0, 10);
  const records = [...simulateTown({ subjects: 200, days: 300, seed: 4, start })].flatMap((i) => (i.kind === 'record' ? [i.record] : []));
  expect((await c.ingest(records)).rejected).toBe(0);
  subjects = await store.countSubjects();
  await store.close();
});

describe('credence rescore --check', () => {
  it('exits 0 when every state equals a rebuild, checking every subject or a sample', async () => {
    const all = await cli(['rescore', '--check']);
    expect(all.err).toEqual([]);
    expect(all.code).toBe(0);
    expect(all.out).toEqual([`checked ${subjects} of ${subjects} subjects under honest-shanghai@1, rongcheng@1, weihai-seashell@1: every materialised state equals a rebuild from the records`]);
    const some = await cli(['rescore', '--check', '--sample', '25', '--json']);
    expect(some.code).toBe(0);
    const doc = JSON.parse(some.out.join('\n'));
    expect(doc).toMatchObject({ ok: true, subjects, checked: 25, behind: 0, differing: [] });
  });

  it('names each subject whose state differs, with both answers, and exits 1', async () => {
    const raw = new Database(file);
    const victim = (raw.prepare(`SELECT subject FROM subject_states WHERE scheme = 'rongcheng@1' ORDER BY subject LIMIT 1 OFFSET 7`).get() as { subject: string }).subject;
    const row = raw.prepare(`SELECT ledger FROM subject_states WHERE subject = ? AND scheme = 'rongcheng@1'`).get(victim) as { ledger: string };
    const ledger = JSON.parse(row.ledger);
    ledger.contributions.push({ recordId: 'forged/1', recordType: 'civic.shovelled_snow', ruleId: 'forged', delta: 100, requested: 100, occurredAt: 0, from: 0, until: null, endReason: null });
    raw.prepare(`UPDATE subject_states SET ledger = ? WHERE subject = ? AND scheme = 'rongcheng@1'`).run(JSON.stringify(ledger), victim);
    raw.close();

    const r = await cli(['rescore', '--check']);
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(new RegExp(`^${victim} rongcheng@1: held \\d+ \\w+.*, rebuilt \\d+ \\w+`));
    expect(r.out[1]).toBe(`checked ${subjects} of ${subjects} subjects under honest-shanghai@1, rongcheng@1, weihai-seashell@1: 1 subject(s) differ from a rebuild`);
    const j = await cli(['rescore', '--check', '--json']);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.out.join('\n'));
    expect(doc.ok).toBe(false);
    expect(doc.differing).toHaveLength(1);
    expect(doc.differing[0].subject).toBe(victim);
    expect(doc.differing[0].held.score - doc.differing[0].rebuilt.score).toBe(100);

    // A rescore repairs it, and the check is clean again.
    expect((await cli(['rescore'])).code).toBe(0);
    expect((await cli(['rescore', '--check'])).code).toBe(0);
  });

  it('refuses a bad --sample and --sample without --check', async () => {
    const bad = await cli(['rescore', '--check', '--sample', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('--sample takes a whole number of subjects from 1, got "0"');
    expect((await cli(['rescore', '--sample', '5'])).code).toBe(2);
  });
});

describe('credence decide --replay', () => {
  it('prints the decision id, and takes the logged decision again: REPRODUCED, exit 0; an unknown id exits 4', async () => {
    const raw = new Database(file, { readonly: true });
    const subject = (raw.prepare(`SELECT subject FROM records ORDER BY seq LIMIT 1`).get() as { subject: string }).subject;
    raw.close();
    const d = await cli(['decide', subject, 'defaulter.no_g_train', '--reason', 'replay check']);
    const id = /decision id: (\d+) /.exec(d.out.join('\n'))?.[1];
    expect(id, d.out.join('\n')).toBeDefined();
    const r = await cli(['decide', '--replay', id!, '--reason', 'replay check']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(new RegExp(`^REPRODUCED decision ${id}: ${subject} defaulter\\.no_g_train as of \\S+ under honest-shanghai@1, rongcheng@1, weihai-seashell@1$`));
    expect(r.out[1]!.replace('logged:  ', 'x')).toBe(r.out[2]!.replace('replayed:', 'x'));
    expect((await cli(['decide', '--replay', '1', '--reason', 'replay check'])).code).toBe(4);
    expect((await cli(['decide', '--replay', 'x1'])).code).toBe(2);
  });
});

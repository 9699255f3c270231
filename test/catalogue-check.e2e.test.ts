// `credence catalogue check` and `credence scheme check`, spawned as an author would run them
// before a deployment: every problem at once, with file, path, code, category and message,
// and an exit code that says whether the files load.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHIPPED = path.join(ROOT, 'catalogue');
let dir: string;

// The checks read the catalogue named on the command line, never one the environment names.
const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_CATALOGUE_DIR: undefined, CREDENCE_PROFILE: undefined }, timeoutMs: 60_000 });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRAYER_TYPE = `
  - code: civic.prayer_meeting
    title: Attended an unregistered prayer meeting
    titleZh: 参加未登记的聚会
    description: The grid office saw the person at a house gathering for Bible study.
    category: civic
    domain: civic
    subjectKinds: [person]
    legalBasis: urban-residents-committees-law Art. 15
    polarity: adverse
    retention: P1Y
    payloadSchema:
      type: object
      additionalProperties: false
      properties:
        note: { type: string, maxLength: 500 }
`;

describe('credence catalogue check', () => {
  it('passes the shipped catalogue and its schemes, and says what it loaded', async () => {
    const r = await run(['catalogue', 'check', SHIPPED, '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ ok: true, profile: 'default', problems: [] });
    expect(doc.recordTypes).toBeGreaterThan(50);
    expect(doc.legalBases).toBeGreaterThan(40);
    expect(doc.schemes).toEqual(expect.arrayContaining(['rongcheng@1']));
    const text = await run(['catalogue', 'check', SHIPPED]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/loads \(profile default\): \d+ legal bases, \d+ record types/);
  });

  it('lists every problem of a catalogue that does not load, with file, path, code and category, and exits 3', async () => {
    const bad = path.join(dir, 'bad');
    cpSync(SHIPPED, bad, { recursive: true });
    const types = path.join(bad, 'record-types.yaml');
    writeFileSync(types, readFileSync(types, 'utf8').replace(/\nrecordTypes:\n/, `\nrecordTypes:\n${PRAYER_TYPE}\n`));
    const r = await run(['catalogue', 'check', bad, '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.ok).toBe(false);
    const refused = doc.problems.filter((p: { code: string }) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const p of refused) {
      expect(p.file).toBe(types);
      expect(p.path).toMatch(/^recordTypes\[0\]\.(title|description|code|titleZh)/);
      expect(p.category).toBe('religion');
      expect(p.message.length).toBeGreaterThan(20);
    }
    const text = await run(['catalogue', 'check', bad]);
    expect(text.code).toBe(3);
    expect(text.err).toMatch(/record-types\.yaml:recordTypes\[0\]\.\w+: CATALOGUE_SPECIAL_CATEGORY_TERM \[religion\]/);
    expect(text.err).toMatch(/\d+ problem\(s\): these files do not load/);
  });

  it('refuses a directory without the legal-basis registry, naming the file', async () => {
    const bare = path.join(dir, 'no-registry');
    cpSync(SHIPPED, bare, { recursive: true });
    rmSync(path.join(bare, 'legal-bases.yaml'));
    const r = await run(['catalogue', 'check', bare]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/legal-bases\.yaml:\$: CATALOGUE_FILE_UNREADABLE/);
  });

  it('answers wrong usage with exit 2', async () => {
    expect((await run(['catalogue'])).code).toBe(2);
    expect((await run(['catalogue', 'verify'])).code).toBe(2);
    expect((await run(['catalogue', 'check', SHIPPED, '--profile', 'mars'])).code).toBe(2);
  });
});

describe('credence scheme check', () => {
  it('passes a shipped scheme', async () => {
    const r = await run(['scheme', 'check', path.join(SHIPPED, 'schemes', 'rongcheng-2017.yaml'), '--catalogue', SHIPPED]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('compiles: rongcheng@1');
  });

  it('refuses a rule that reads free text or undeclared fields, naming file, path, code and category', async () => {
    const file = path.join(dir, 'probe.yaml');
    const shipped = readFileSync(path.join(SHIPPED, 'schemes', 'rongcheng-2017.yaml'), 'utf8');
    writeFileSync(file, shipped.replace(/\nrules:\n/, `\nrules:\n  - { id: falun, recordType: civic.other_untrustworthy, when: 'record.payload.ground.contains("Falun")', title: Discretionary item, points: { fixed: -50 }, source: Attachment 1 }\n  - { id: household, recordType: finance.card_arrears, when: 'record.payload["household_score"] < 900', title: Arrears, points: { fixed: -10 }, source: Attachment 1 }\n`));
    const r = await run(['scheme', 'check', file, '--catalogue', SHIPPED, '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    const codes = doc.problems.map((p: { code: string; path: string }) => `${p.code}@${p.path}`);
    expect(codes).toEqual(expect.arrayContaining(['SCHEME_RULE_FREE_TEXT@rules[0].when', 'SCHEME_RULE_STRING_FUNCTION@rules[0].when', 'SCHEME_RULE_DYNAMIC_ACCESS@rules[1].when']));
    for (const p of doc.problems) expect(p.file).toBe(file);
    const freeText = doc.problems.find((p: { code: string }) => p.code === 'SCHEME_RULE_FREE_TEXT');
    expect(freeText.category).toBe('free-text');
  });

  it('refuses a fixed -500 on the "-5 to -50" type and a direct grade D for dog fouling "because we say so, art. 1"', async () => {
    const file = path.join(dir, 'discretion.yaml');
    const shipped = readFileSync(path.join(SHIPPED, 'schemes', 'rongcheng-2017.yaml'), 'utf8');
    writeFileSync(file, shipped.replace(/\nrules:\n/, `\nrules:\n  - { id: big-other, recordType: civic.other_untrustworthy, title: Other item, points: { fixed: -500 }, source: Attachment 1 }\n  - { id: dog-d, recordType: civic.dog_fouled_lawn, title: Dog fouling, points: { fixed: 0 }, directGrade: { grade: D, ground: "because we say so, art. 1" }, source: us }\n  - { id: dog-d2, recordType: civic.dog_fouled_lawn, title: Dog fouling again, points: { fixed: 0 }, directGrade: { grade: D, ground: "because we say so, art. 1", legalBasis: "because we say so, art. 1" }, source: us }\n`));
    const r = await run(['scheme', 'check', file, '--catalogue', SHIPPED, '--json']);
    expect(r.code).toBe(3);
    const codes = JSON.parse(r.out).problems.map((p: { code: string; path: string }) => `${p.code}@${p.path}`);
    expect(codes).toEqual(expect.arrayContaining(['SCHEME_POINTS_NOT_AUTHORISED@rules[0].points', 'SCHEME_DIRECT_GRADE_NOT_AUTHORISED@rules[1].directGrade', 'CATALOGUE_UNKNOWN_LEGAL_BASIS@rules[2].directGrade.legalBasis']));
  });

  it('answers a missing file with exit 3 and a missing argument with exit 2', async () => {
    const r = await run(['scheme', 'check', path.join(dir, 'nope.yaml'), '--catalogue', SHIPPED]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('CATALOGUE_FILE_UNREADABLE');
    expect((await run(['scheme', 'check'])).code).toBe(2);
  });
});

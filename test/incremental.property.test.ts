// Incremental scoring equals scoring from scratch, for random record sequences: in order,
// out of order, with revocations, delistings and caps. Scores are always rebuildable.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRecord, computeLedger, evaluate } from '../src/domain/scoring.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, StoredRecord, SubjectLedger } from '../src/domain/types.ts';
import { DAY, person, shipped, T0 } from './helpers/shipped.ts';

let catalogue: Catalogue;
let schemes: CompiledScheme[];
beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  schemes = [...s.schemes.values()];
});

const TYPES: [string, () => fc.Arbitrary<Record<string, unknown>>][] = [
  ['finance.card_arrears', () => fc.record({ months: fc.integer({ min: 1, max: 12 }) })],
  ['utilities.theft', () => fc.constant({ utility: 'power' })],
  ['civic.shovelled_snow', () => fc.constant({})],
  ['civic.helped_elderly_move', () => fc.constant({})],
  ['civic.honour', () => fc.record({ level: fc.constantFrom('national', 'provincial', 'village') })],
  ['traffic.red_light', () => fc.constant({})],
  ['traffic.drunk_driving', () => fc.constant({})],
  ['civic.other_untrustworthy', () => fc.record({ points: fc.integer({ min: -60, max: 0 }), ground: fc.constantFrom('Blocked the fire lane repeatedly', 'x') })],
  ['courts.defaulter_listing', () => fc.record({ case_ref: fc.constantFrom('C-1', 'C-2'), ground: fc.constant('obstructs_enforcement') })],
  ['courts.defaulter_delisting', () => fc.record({ case_ref: fc.constantFrom('C-1', 'C-2') })],
];

interface Step {
  typeIndex: number;
  payload: Record<string, unknown>;
  day: number;
  revokeEarlier: number | null;
}

const stepArb = fc.integer({ min: 0, max: TYPES.length - 1 }).chain((typeIndex) =>
  fc.record({
    typeIndex: fc.constant(typeIndex),
    payload: TYPES[typeIndex]![1](),
    day: fc.integer({ min: 0, max: 3 * 365 }),
    revokeEarlier: fc.option(fc.nat(), { freq: 8 }),
  }),
);

/** Builds the stored records the way ingest does: arrival order = seq, revocations marked. */
function build(steps: Step[]): StoredRecord[][] {
  const subject = person(7);
  const out: StoredRecord[] = [];
  const snapshots: StoredRecord[][] = [];
  steps.forEach((s, i) => {
    const arrival = T0 + i * DAY;
    const r: StoredRecord = {
      id: `src/${i}`,
      seq: i + 1,
      source: 'src',
      sourceRecordId: String(i),
      subject,
      type: TYPES[s.typeIndex]![0],
      occurredAt: T0 + s.day * DAY - 400 * DAY,
      recordedAt: arrival,
      payload: s.payload,
      evidence: [],
    };
    if (s.revokeEarlier !== null && out.length > 0) {
      const target = out[s.revokeEarlier % out.length]!;
      if (target.revokedAt === undefined) {
        r.revokes = target.id;
        target.revokedAt = arrival;
        target.revokedBy = r.id;
      }
    }
    out.push(r);
    snapshots.push(out.map((x) => ({ ...x })));
  });
  return snapshots;
}

const normalise = (l: SubjectLedger) => ({
  contributions: [...l.contributions].sort((a, b) => `${a.recordId}|${a.ruleId}`.localeCompare(`${b.recordId}|${b.ruleId}`)),
  directGradings: [...l.directGradings].sort((a, b) => a.recordId.localeCompare(b.recordId)),
  recordListings: [...l.recordListings].sort((a, b) => a.cause.localeCompare(b.cause)),
  spans: [...l.spans].sort((a, b) => a.recordId.localeCompare(b.recordId)),
  recordCount: l.recordCount,
});

describe('incremental scoring = full scoring', () => {
  it('holds for random sequences, under every shipped scheme, at every instant', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) => {
        const snapshots = build(steps);
        for (const scheme of schemes) {
          let ledger: SubjectLedger | null = null;
          snapshots.forEach((snap, i) => {
            const record = snap[i]!;
            const previous = snap.slice(0, i);
            ledger = applyRecord(ledger, record, () => previous, scheme, catalogue);
          });
          const all = snapshots[snapshots.length - 1]!;
          const full = computeLedger(all[0]!.subject, all, scheme, catalogue);
          expect(normalise(ledger!)).toEqual(normalise(full));
          for (const at of [T0 - 500 * DAY, T0, T0 + 30 * DAY, T0 + 400 * DAY, T0 + 2000 * DAY]) {
            const a = evaluate(ledger!, scheme, at);
            const b = evaluate(full, scheme, at);
            expect([a.score, a.grade, a.lists.length]).toEqual([b.score, b.grade, b.lists.length]);
            // The decision path (no detail) sees the same score, grade, direct grading and lists.
            const lean = evaluate(full, scheme, at, { detail: false });
            expect([lean.score, lean.grade, lean.bandGrade, lean.directGrading, lean.lists]).toEqual([b.score, b.grade, b.bandGrade, b.directGrading, b.lists]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

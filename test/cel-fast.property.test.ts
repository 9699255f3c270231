// The CEL fast path gives exactly CEL's answer: same value, or an error where CEL errs, for
// random conditions (conjunctions, other operators, literals of every type, missing fields,
// non-BMP strings) over random records.
import fc from 'fast-check';
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { fastCondition } from '../src/domain/cel-fast.ts';

const env = new Environment({ unlistedVariablesAreDyn: false }).registerVariable('record', 'map');

const field = fc.constantFrom('record.source', 'record.type', 'record.occurredAt', 'record.payload.level', 'record.payload.months', 'record.payload.flag', 'record.payload.missing');
const str = fc.oneof(fc.constantFrom('national', 'village', 'grid-office', '2025-06-01', '', 'é', '😀'), fc.string({ maxLength: 4 }));
const literal = fc.oneof(str.map((s) => JSON.stringify(s)), fc.integer({ min: -5, max: 20 }).map(String), fc.constantFrom('true', 'false', '2.5'));
const comparison = fc.tuple(field, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), literal).map(([f, op, l]) => `${f} ${op} ${l}`);
const condition = fc.array(fc.tuple(comparison, fc.constantFrom('&&', '&&', '||')), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([c, j], i) => (i === 0 ? c : `${j} ${c}`)).join(' '));
const record = fc.record({
  source: str,
  type: str,
  occurredAt: fc.constantFrom('2025-01-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'),
  payload: fc.record({ level: fc.oneof(str, fc.integer()), months: fc.oneof(fc.integer({ min: 0, max: 20 }), str), flag: fc.boolean() }, { requiredKeys: [] }),
  evidence: fc.constant([] as string[]),
});

const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

describe('CEL fast path', () => {
  it('answers exactly as CEL does', () => {
    fc.assert(
      fc.property(condition, fc.array(record, { minLength: 1, maxLength: 5 }), (text, records) => {
        let parsed: ReturnType<typeof env.parse>;
        try {
          parsed = env.parse(text);
        } catch {
          return; // not a valid expression: never compiled into a rule
        }
        const slow = (input: { record: object }) => parsed(input);
        const fast = fastCondition((parsed as unknown as { ast: unknown }).ast, slow);
        for (const r of records) expect(outcome(() => fast({ record: r }))).toEqual(outcome(() => slow({ record: r })));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for the common shape', () => {
    const parsed = env.parse('record.source == "a" && record.occurredAt >= "2025-03-01"');
    let slowCalls = 0;
    const fast = fastCondition((parsed as unknown as { ast: unknown }).ast, (i: { record: object }) => (slowCalls++, parsed(i)));
    expect(fast({ record: { source: 'a', occurredAt: '2025-07-01T00:00:00.000Z' } })).toBe(true);
    expect(fast({ record: { source: 'b', occurredAt: '2025-07-01T00:00:00.000Z' } })).toBe(false);
    expect(slowCalls).toBe(0);
    expect(() => fast({ record: { occurredAt: '2025-07-01T00:00:00.000Z' } })).toThrow(); // missing field: CEL's error
    expect(slowCalls).toBe(1);
  });
});

// Identifier validation (GB 11643-1999 resident ids, GB 32100-2015 credit codes, external ids).
// Why: the vectors come from the standards' published examples and from check characters
// worked out by hand below (and cross-checked with an independent script), so the tests do
// not merely restate the implementation. All ids are synthetic: real ids are personal data.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  classifyIdentifier,
  makeResidentId,
  makeUscc,
  orgCodeCheckChar,
  residentIdCheckChar,
  usccCheckChar,
  validateResidentId,
  validateUscc,
  USCC_CHARSET,
} from '../src/domain/identifiers.ts';

const VALID_RIDS = ['11010519491231002X', '440524188001010014', '371082199001010017', '11010520000229003X'];
const VALID_USCCS = ['91110108MA0000015T', '913100001234567883', '51370000000000019M', '12100000400000122T'];
const LEGACY = '91350203M0001QAY9B';

describe('resident identity number (GB 11643-1999)', () => {
  it.each(VALID_RIDS)('accepts the published / synthetic example %s', (id) => {
    expect(validateResidentId(id)).toEqual({ valid: true, canonical: id });
  });

  it('computes check characters by hand', () => {
    // 37108219850615031?: weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2
    //   3*7=21 7*9=63 1*10=10 0*5=0 8*8=64 2*4=8 1*2=2 9*1=9 8*6=48 5*3=15
    //   0*7=0 6*9=54 1*10=10 5*5=25 0*8=0 3*4=12 1*2=2      sum = 343
    //   343 mod 11 = 343 - 31*11 = 2  ->  "10X98765432"[2] = "X"
    expect(residentIdCheckChar('37108219850615031')).toBe('X');
    expect(validateResidentId('37108219850615031X').valid).toBe(true);
    // 11010519491231002?: 1*7 1*9 0 1*5 0 5*4 1*2 9*1 4*6 9*3 1*7 2*9 3*10 1*5 0 0 2*2
    //   = 7+9+5+20+2+9+24+27+7+18+30+5+4 = 167; 167 mod 11 = 2 -> "X" (the standard's example)
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    // 44052418800101001? (the standard's other example):
    //   4*7=28 4*9=36 0 5*5=25 2*8=16 4*4=16 1*2=2 8*1=8 8*6=48 0 0 1*9=9 0 1*5=5 0 0 1*2=2
    //   sum = 195; 195 mod 11 = 8 -> "10X98765432"[8] = "4"
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(makeResidentId('371082', '19850615', '031')).toBe('37108219850615031X');
  });

  it('accepts a lowercase x and normalises it', () => {
    expect(validateResidentId('11010519491231002x')).toEqual({ valid: true, canonical: '11010519491231002X' });
  });

  it.each(VALID_RIDS)('refuses every other check character for %s', (id) => {
    for (const c of '0123456789X') {
      if (c === id[17]) continue;
      const v = validateResidentId(id.slice(0, 17) + c);
      expect(v).toEqual({
        valid: false,
        part: 'check',
        reason: `check character: expected "${id[17]}", got "${c}"`,
      });
    }
  });

  it('reports wrong lengths', () => {
    expect(validateResidentId('11010519491231002')).toEqual({
      valid: false,
      part: 'length',
      reason: 'length: expected 18 characters, got 17',
    });
    expect(validateResidentId('11010519491231002X0')).toMatchObject({ part: 'length', reason: expect.stringContaining('got 19') });
    expect(validateResidentId('')).toMatchObject({ part: 'length', reason: expect.stringContaining('got 0') });
  });

  it('reports letters in the digit part by position', () => {
    expect(validateResidentId('1101A519491231002X')).toEqual({
      valid: false,
      part: 'characters',
      reason: 'characters: position 5 must be a digit, got "A"',
    });
    expect(validateResidentId('1101051949123100XX')).toMatchObject({ part: 'characters', reason: expect.stringContaining('position 17') });
    expect(validateResidentId('11010519491231002Y')).toMatchObject({ part: 'characters', reason: expect.stringContaining('position 18') });
  });

  it('checks the birth date against the calendar', () => {
    // Check characters below computed independently so only the date is at fault.
    expect(validateResidentId('110105199902300023')).toEqual({
      valid: false,
      part: 'birth-date',
      reason: 'birth date: 19990230 is not a calendar date',
    });
    // 1900 is not a leap year (divisible by 100, not by 400)
    expect(validateResidentId('110105190002290025')).toMatchObject({ part: 'birth-date', reason: 'birth date: 19000229 is not a calendar date' });
    // 2000 is a leap year (divisible by 400)
    expect(validateResidentId('110105200002290021').valid).toBe(true);
    expect(validateResidentId('11010520240229002X').valid).toBe(true);
    expect(validateResidentId(makeResidentId('110105', '19991301', '002'))).toMatchObject({ part: 'birth-date' });
    expect(validateResidentId(makeResidentId('110105', '19990100', '002'))).toMatchObject({ part: 'birth-date' });
    expect(validateResidentId(makeResidentId('110105', '17991231', '002'))).toMatchObject({ part: 'birth-date', reason: expect.stringContaining('outside') });
    expect(validateResidentId(makeResidentId('110105', '21010101', '002'))).toMatchObject({ part: 'birth-date' });
  });

  it('refuses an address code starting with 0', () => {
    // 01010519491231002?: sum 160, 160 mod 11 = 6 -> "6"; checksum right, address wrong
    expect(validateResidentId('010105194912310026')).toEqual({
      valid: false,
      part: 'address',
      reason: 'address: code 010105 must not start with 0',
    });
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(VALID_USCCS)('accepts the example %s', (code) => {
    expect(validateUscc(code)).toEqual({ valid: true, canonical: code });
  });

  it('computes check characters by hand', () => {
    // Organisation code body MA7K2Q8N, GB 11714 values M=22 A=10 7 K=20 2 Q=26 8 N=23,
    // weights 3,7,9,10,5,8,4,2: 66+70+63+200+10+208+32+46 = 695; 695 mod 11 = 2; 11-2 = 9
    expect(orgCodeCheckChar('MA7K2Q8N')).toBe('9');
    // 93371082MA7K2Q8N9? in charset values 9 3 3 7 1 0 8 2 M=21 A=10 7 K=19 2 Q=24 8 N=22 9,
    // weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28:
    //   9+9+27+189+19+0+128+34+420+290+175+247+16+576+80+660+252 = 3131
    //   3131 mod 31 = 3131 - 101*31 = 0; (31 - 0) mod 31 = 0 -> "0"
    expect(usccCheckChar('93371082MA7K2Q8N9')).toBe('0');
    expect(makeUscc('93', '371082', 'MA7K2Q8N')).toBe('93371082MA7K2Q8N90');
    // 91110108MA000001: org 66+70+0+0+0+0+0+1*2 = 138; 138 mod 11 = 6; 11-6 = 5 -> "5"
    // final: 9*1 1*3 1*9 1*27 0 1*26 0 8*17 M=21*20 A=10*29 0 0 0 0 0 1*30 5*28
    //   = 9+3+9+27+26+136+420+290+30+140 = 1090;
    //   1090 mod 31 = 5; 31-5 = 26 -> charset[26] = "T"
    expect(orgCodeCheckChar('MA000001')).toBe('5');
    expect(usccCheckChar('91110108MA0000015')).toBe('T');
    // Org check edge cases: sum 12 -> 11-1 = 10 -> "X"; sum 0 -> 11 -> "0"
    expect(orgCodeCheckChar('00000030')).toBe('X');
    expect(orgCodeCheckChar('00000000')).toBe('0');
    expect(validateUscc('9111010800000030X2').valid).toBe(true);
  });

  it('accepts lowercase and normalises to upper case', () => {
    expect(validateUscc('91110108ma0000015t')).toEqual({ valid: true, canonical: '91110108MA0000015T' });
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('refuses the excluded letter %s', (ch) => {
    const code = '91110108MA0' + ch + '00015T';
    expect(validateUscc(code)).toEqual({
      valid: false,
      part: 'characters',
      reason: `characters: position 12 "${ch}" is not allowed (I, O, S, V, Z are excluded)`,
    });
  });

  it('refuses other characters and wrong lengths', () => {
    expect(validateUscc('91110108MA-000015T')).toMatchObject({ part: 'characters', reason: expect.stringContaining('position 11 "-"') });
    expect(validateUscc('91110108MA0000015')).toMatchObject({ part: 'length', reason: 'length: expected 18 characters, got 17' });
  });

  it('reports the registration authority and the division', () => {
    // both check characters consistent (computed independently): only the part is wrong
    expect(validateUscc('B1110108MA0000015Q')).toMatchObject({ valid: false, part: 'registration-authority' });
    expect(validateUscc('9111A108MA0000015N')).toMatchObject({ valid: false, part: 'division', reason: expect.stringContaining('"11A108"') });
  });

  it('reports a wrong organisation-code check (GB 11714)', () => {
    // org check should be 5; final check recomputed for the wrong 6, so only GB 11714 fails
    expect(validateUscc('91110108MA0000016X')).toEqual({
      valid: false,
      part: 'organisation-code',
      reason: 'organisation code check: expected "5", got "6" (GB 11714)',
    });
  });

  it('reports a wrong final check character', () => {
    expect(validateUscc('91110108MA0000015U')).toEqual({
      valid: false,
      part: 'check',
      reason: 'check character: expected "T", got "U"',
    });
  });

  it('refuses a legacy pilot code unless allow-listed', () => {
    expect(validateUscc(LEGACY)).toEqual({ valid: false, part: 'check', reason: 'check character: expected "9", got "B"' });
    const allow = new Set([LEGACY]);
    expect(validateUscc(LEGACY, allow)).toEqual({ valid: true, canonical: LEGACY, legacy: true });
    expect(validateUscc(LEGACY.toLowerCase(), allow)).toMatchObject({ valid: true, legacy: true });
    // a code that passes its checks is never marked legacy
    expect(validateUscc(VALID_USCCS[0], new Set([VALID_USCCS[0]]))).toEqual({ valid: true, canonical: VALID_USCCS[0] });
  });
});

describe('classifyIdentifier', () => {
  it('classifies resident ids, credit codes and external ids', () => {
    expect(classifyIdentifier('11010519491231002x')).toMatchObject({ scheme: 'cn-rid', kind: 'person', canonical: '11010519491231002X', verdict: { valid: true } });
    expect(classifyIdentifier('91110108MA0000015T')).toMatchObject({ scheme: 'cn-uscc', kind: 'organisation', verdict: { valid: true } });
    expect(classifyIdentifier('eu-vat:DE123456789')).toEqual({
      scheme: 'external', kind: null, canonical: 'eu-vat:DE123456789',
      verdict: { valid: true, canonical: 'eu-vat:DE123456789' },
    });
  });

  it('reads all-digit credit codes as USCCs when they are not resident ids', () => {
    // first 17 characters are digits, yet these are the standard's USCC examples
    expect(classifyIdentifier('913100001234567883')).toMatchObject({ scheme: 'cn-uscc', kind: 'organisation', verdict: { valid: true } });
    expect(classifyIdentifier('12100000400000122T')).toMatchObject({ scheme: 'cn-uscc', verdict: { valid: true } });
    expect(classifyIdentifier('110105199902300023')).toMatchObject({ scheme: 'cn-rid', verdict: { valid: false, part: 'birth-date' } });
  });

  it('passes the legacy allowlist through', () => {
    expect(classifyIdentifier(LEGACY).verdict.valid).toBe(false);
    expect(classifyIdentifier(LEGACY, { legacyCodes: new Set([LEGACY]) })).toMatchObject({ scheme: 'cn-uscc', verdict: { valid: true, legacy: true } });
  });

  it('refuses other forms with a format reason', () => {
    for (const bad of ['12345', 'x:abc', 'UPPER:abc', 'ab:', 'ab:has space', 'ab:' + 'a'.repeat(65), 'a'.repeat(33) + ':v']) {
      const c = classifyIdentifier(bad);
      expect(c.verdict).toMatchObject({ valid: false, part: 'format' });
      expect(c.scheme).toBeNull();
    }
    expect(classifyIdentifier('12345').verdict).toMatchObject({
      reason: expect.stringContaining('neither an 18-character resident id / credit code nor a "scheme:value" external id'),
    });
    // built-in scheme names cannot smuggle an unchecked id
    expect(classifyIdentifier('cn-rid:123').verdict).toMatchObject({ valid: false, part: 'format' });
  });
});

// ---------------------------------------------------------------------------------------
// Properties. Single-substitution detection: MOD 11-2 weights are non-zero mod the prime 11
// and digit differences are 1..9, so w*(d'-d) is never 0 mod 11; the mod 31 weights are
// powers of 3 (non-zero mod the prime 31) and value differences are 1..30. The check-char
// maps are bijections, so changing the check character alone is caught too. These tests
// assert the checksum by itself catches every mutation, not just "some part fails".

const digit = fc.constantFrom(...'0123456789');
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
const ymd = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const ridArb = fc
  .tuple(fc.constantFrom(...'123456789'), digits(5), ymd, digits(3))
  .map(([a, b, date, seq]) => makeResidentId(a + b, date, seq));
const uchar = fc.constantFrom(...USCC_CHARSET);
const uscc = (n: number) => fc.array(uchar, { minLength: n, maxLength: n }).map((a) => a.join(''));
const usccArb = fc
  .tuple(fc.constantFrom(...'123456789ANY'), uchar, digits(6), uscc(8))
  .map(([auth, type, div, org]) => makeUscc(auth + type, div, org));

describe('properties', () => {
  it('every generated resident id validates; every single substitution is caught by MOD 11-2', () => {
    fc.assert(
      fc.property(ridArb, (id) => {
        expect(validateResidentId(id)).toEqual({ valid: true, canonical: id });
        for (let i = 0; i < 18; i++) {
          for (const c of i === 17 ? '0123456789X' : '0123456789') {
            if (c === id[i]) continue;
            const m = id.slice(0, i) + c + id.slice(i + 1);
            expect(validateResidentId(m).valid).toBe(false);
            expect(residentIdCheckChar(m.slice(0, 17))).not.toBe(m[17]);
          }
        }
      }),
    );
  });

  it('every generated credit code validates; every single substitution is caught by mod 31', () => {
    fc.assert(
      fc.property(usccArb, (code) => {
        expect(validateUscc(code)).toEqual({ valid: true, canonical: code });
        for (let i = 0; i < 18; i++) {
          for (const c of USCC_CHARSET) {
            if (c === code[i]) continue;
            const m = code.slice(0, i) + c + code.slice(i + 1);
            const v = validateUscc(m);
            expect(v.valid).toBe(false);
            expect(usccCheckChar(m.slice(0, 17))).not.toBe(m[17]);
          }
        }
      }),
    );
  });
});

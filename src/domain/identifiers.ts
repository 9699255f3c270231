// Subject identifiers: the resident identity number (GB 11643-1999), the unified social
// credit code (GB 32100-2015) and opaque operator-named `scheme:value` ids.
// Why: a subject id is the key every record, score and query log hangs on; a typo that
// silently creates a second subject would split a person's file. Every verdict says which
// part of the identifier is wrong so a clerk can fix it. Pure: no I/O, no env, no clock.
// Facts: the project reference on identifiers (social-credit-facts.md, section 4).
import type { SubjectKind } from './types.ts';

export type IdPart =
  | 'length'
  | 'characters'
  | 'address'
  | 'birth-date'
  | 'check'
  | 'registration-authority'
  | 'division'
  | 'organisation-code'
  | 'format';

export type IdVerdict =
  | { valid: true; canonical: string; legacy?: boolean }
  | { valid: false; reason: string; part: IdPart };

export type IdScheme = 'cn-rid' | 'cn-uscc' | 'external';

export interface Classification {
  /** null only when the value has none of the three recognised forms. */
  scheme: IdScheme | null;
  kind: SubjectKind | null;
  canonical: string;
  verdict: IdVerdict;
}

const fail = (part: IdPart, reason: string): IdVerdict => ({ valid: false, part, reason });
const isDigits = (s: string): boolean => /^[0-9]*$/.test(s);

// ---------------------------------------------------------------------------------------
// Resident identity number, GB 11643-1999: address(6) birth(8) sequence(3) check(1).

/** ISO 7064 MOD 11-2 weights 2^(17-i) mod 11. */
const RID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RID_CHECK = '10X98765432';
/**
 * Earliest birth date admitted. Not 1900: the standard's own worked example
 * 440524188001010014 is born 1880-01-01, and it must validate.
 */
export const RID_EARLIEST_BIRTH = '18000101';
/** Latest birth date admitted (the module takes no clock). */
export const RID_LATEST_BIRTH = '21001231';

/** The MOD 11-2 check character for 17 digits. Throws RangeError on other input. */
export function residentIdCheckChar(first17: string): string {
  if (first17.length !== 17 || !isDigits(first17)) {
    throw new RangeError(`residentIdCheckChar: expected 17 digits, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RID_WEIGHTS[i];
  return RID_CHECK[sum % 11];
}

/** Builds an id with its check character. Checks shapes only, not the date. */
export function makeResidentId(address6: string, birthYYYYMMDD: string, seq3: string): string {
  if (!/^[0-9]{6}$/.test(address6) || !/^[0-9]{8}$/.test(birthYYYYMMDD) || !/^[0-9]{3}$/.test(seq3)) {
    throw new RangeError('makeResidentId: expected 6-digit address, 8-digit date, 3-digit sequence');
  }
  const first17 = address6 + birthYYYYMMDD + seq3;
  return first17 + residentIdCheckChar(first17);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** True when YYYYMMDD (8 digits) names a real Gregorian date. */
function isCalendarDate(ymd: string): boolean {
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(4, 6));
  const d = Number(ymd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

export function validateResidentId(value: string): IdVerdict {
  if (value.length !== 18) return fail('length', `length: expected 18 characters, got ${value.length}`);
  const v = value.toUpperCase(); // only position 18 may be a letter: x -> X
  for (let i = 0; i < 17; i++) {
    if (!isDigits(v[i])) {
      return fail('characters', `characters: position ${i + 1} must be a digit, got "${value[i]}"`);
    }
  }
  if (!/[0-9X]/.test(v[17])) {
    return fail('characters', `characters: position 18 must be a digit or "X", got "${value[17]}"`);
  }
  const address = v.slice(0, 6);
  if (address[0] === '0') return fail('address', `address: code ${address} must not start with 0`);
  const birth = v.slice(6, 14);
  if (!isCalendarDate(birth)) return fail('birth-date', `birth date: ${birth} is not a calendar date`);
  if (birth < RID_EARLIEST_BIRTH || birth > RID_LATEST_BIRTH) {
    return fail('birth-date', `birth date: ${birth} is outside ${RID_EARLIEST_BIRTH}..${RID_LATEST_BIRTH}`);
  }
  const expected = residentIdCheckChar(v.slice(0, 17));
  if (v[17] !== expected) {
    return fail('check', `check character: expected "${expected}", got "${value[17]}"`);
  }
  return { valid: true, canonical: v };
}

// ---------------------------------------------------------------------------------------
// Unified social credit code, GB 32100-2015:
// authority(1) type(1) division(6) GB 11714 organisation code(8 + own check) check(1).

/** Value of a character is its index here (0..30); I, O, S, V, Z are excluded. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Registration authorities named in the standard (1 staffing, 5 civil affairs, 9 industry & commerce, Y other ...). */
const USCC_AUTHORITIES = '123456789ANY';
/** 3^(i-1) mod 31 for i = 1..17. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714 weights over the 8 body characters of the organisation code. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714 check character for an 8-character body (digits 0-9, letters A=10 .. Z=35). */
export function orgCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError(`orgCodeCheckChar: expected 8 characters 0-9/A-Z, got "${first8}"`);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** GB 32100 mod 31 check character for 17 charset characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((ch) => !USCC_CHARSET.includes(ch))) {
    throw new RangeError(`usccCheckChar: expected 17 characters from ${USCC_CHARSET}, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** Builds a code from authority+type (2), division (6) and organisation body (8); computes both checks. */
export function makeUscc(authorityType2: string, division6: string, orgCode8: string): string {
  if (authorityType2.length !== 2 || !/^[0-9]{6}$/.test(division6)) {
    throw new RangeError('makeUscc: expected 2 authority/type characters and a 6-digit division');
  }
  const first17 = authorityType2 + division6 + orgCode8 + orgCodeCheckChar(orgCode8);
  return first17 + usccCheckChar(first17);
}

/**
 * Validates a USCC (lowercase is upper-cased). A code in `legacyAllowlist` (upper case)
 * that is well-formed (18 charset characters) is admitted with `legacy: true` even when
 * its checks fail: early pilot codes such as 91350203M0001QAY9B exist.
 */
export function validateUscc(value: string, legacyAllowlist?: ReadonlySet<string>): IdVerdict {
  if (value.length !== 18) return fail('length', `length: expected 18 characters, got ${value.length}`);
  const v = value.toUpperCase();
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(v[i])) {
      const why = /[IOSVZ]/.test(v[i])
        ? 'I, O, S, V, Z are excluded'
        : 'allowed: digits and A-Y except I, O, S, V';
      return fail('characters', `characters: position ${i + 1} "${value[i]}" is not allowed (${why})`);
    }
  }
  const strict = validateUsccParts(v);
  if (!strict.valid && legacyAllowlist?.has(v)) return { valid: true, canonical: v, legacy: true };
  return strict;
}

function validateUsccParts(v: string): IdVerdict {
  if (!USCC_AUTHORITIES.includes(v[0])) {
    return fail(
      'registration-authority',
      `registration authority: position 1 "${v[0]}" is not one of 1-9, A, N, Y`,
    );
  }
  const division = v.slice(2, 8);
  if (!isDigits(division)) return fail('division', `division: positions 3-8 must be digits, got "${division}"`);
  const org = v.slice(8, 16);
  const orgCheck = orgCodeCheckChar(org);
  if (v[16] !== orgCheck) {
    return fail(
      'organisation-code',
      `organisation code check: expected "${orgCheck}", got "${v[16]}" (GB 11714)`,
    );
  }
  const check = usccCheckChar(v.slice(0, 17));
  if (v[17] !== check) return fail('check', `check character: expected "${check}", got "${v[17]}"`);
  return { valid: true, canonical: v };
}

// ---------------------------------------------------------------------------------------
// Classification

/** `scheme:value`: scheme 2-32 of [a-z0-9-], value 1-64 printable non-space ASCII. */
const EXTERNAL_RE = /^([a-z0-9-]{2,32}):([\x21-\x7e]{1,64})$/;
/** Scheme names of the built-in forms; refused as external to avoid an unchecked `cn-rid:...`. */
const RESERVED_SCHEMES = new Set(['cn-rid', 'cn-uscc']);

export interface ClassifyOptions {
  /** Legacy USCCs admitted despite failed checks (upper case). */
  legacyCodes?: ReadonlySet<string>;
}

/**
 * Recognises the form of a subject id and validates it. An 18-character value whose first
 * 17 characters are digits is read as a resident id, unless it fails as one and passes as
 * a USCC (all-digit USCCs such as 913100001234567883 exist).
 */
export function classifyIdentifier(value: string, opts: ClassifyOptions = {}): Classification {
  const ext = EXTERNAL_RE.exec(value);
  if (ext) {
    if (RESERVED_SCHEMES.has(ext[1])) {
      const reason = `format: "${ext[1]}" is a built-in scheme; give the bare ${ext[1] === 'cn-rid' ? 'resident id' : 'credit code'}`;
      return { scheme: 'external', kind: null, canonical: value, verdict: fail('format', reason) };
    }
    return { scheme: 'external', kind: null, canonical: value, verdict: { valid: true, canonical: value } };
  }
  if (value.length === 18) {
    const upper = value.toUpperCase();
    const uscc = () => validateUscc(value, opts.legacyCodes);
    if (isDigits(value.slice(0, 17))) {
      const rid = validateResidentId(value);
      if (rid.valid) return { scheme: 'cn-rid', kind: 'person', canonical: rid.canonical, verdict: rid };
      const asUscc = uscc();
      if (asUscc.valid) {
        return { scheme: 'cn-uscc', kind: 'organisation', canonical: asUscc.canonical, verdict: asUscc };
      }
      return { scheme: 'cn-rid', kind: 'person', canonical: upper, verdict: rid };
    }
    const verdict = uscc();
    return { scheme: 'cn-uscc', kind: 'organisation', canonical: verdict.valid ? verdict.canonical : upper, verdict };
  }
  return {
    scheme: null,
    kind: null,
    canonical: value,
    verdict: fail(
      'format',
      `format: neither an 18-character resident id / credit code nor a "scheme:value" external id (got ${value.length} characters)`,
    ),
  };
}

// The second line of the charter's refusals: a multilingual screen of texts (catalogue
// codes, titles, descriptions, field names, enum values, legal bases, rule titles, and
// free text of records at ingest) against the lexicon in ./screen-lexicon.ts.
//
// Structure comes first (what a rule may read, what a legal basis authorises); this screen
// catches what structure cannot see: a topic named in words. It is pure (no I/O, no clock)
// and deterministic. Its only library is opencc-js (traditional -> simplified Chinese), used
// offline through its bundled dictionaries.
//
// Pipeline (normaliseForScreen), applied identically to lexicon terms and to screened text:
//   1. Unicode NFKC (full-width letters, ligatures, compatibility ideographs) and removal
//      of format characters (zero-width space and joiner, soft hyphen, BOM);
//   2. traditional -> simplified Chinese (Hong Kong and Taiwan variants included), only when
//      the text contains a character the conversion can change;
//   3. possessive 's dropped ("wife's grade" -> "wife grade");
//   4. camelCase, PascalCase and letter/digit boundaries split ("householdScore",
//      "HIVStatus", "risk2offend"); every run of non-letters (snake_case, kebab-case, dots,
//      brackets, quotes, punctuation) becomes one space; Chinese runs are joined across
//      such separators ("超 生", "超-生" -> "超生");
//   5. case folding (acronyms marked `^` in the lexicon keep their case), German ä/ö/ü ->
//      ae/oe/ue and ß -> ss (the lexicon adds the plain a/o/u spelling of every umlaut term,
//      so "Gerüchte", "Geruechte" and "Geruchte" all match), other diacritics dropped, and
//      Cyrillic/Greek letters that look Latin mapped to Latin;
//   6. light stemming of English and German endings (-s, -es, -e, -en, -ed, -ing, -ies,
//      -ie, -y) so that "churches", "Kirchen", "petitioned", "petitioning" meet their stems.
//
// Matching is one Aho-Corasick pass over the normalised text (all terms at once, a few
// microseconds for a record note); boundaries are then checked per hit, and the longest hit
// wins over the hits it contains (shields included: see SCREEN_SHIELDS).
import { ConverterFactory, Locale, type ConverterFunction, type DictLike } from 'opencc-js/t2cn';
import {
  SCREEN_CATEGORIES,
  SCREEN_LEXICON,
  SCREEN_SHIELD_PATTERNS,
  SCREEN_SHIELDS,
  type ScreenCategory,
} from './screen-lexicon.ts';

export { SCREEN_CATEGORIES, SCREEN_LEXICON, SCREEN_SHIELD_PATTERNS, SCREEN_SHIELDS, type ScreenCategory };

export interface ScreenHit {
  /** The lexicon term that matched, as written in the lexicon ("religio…" for a word start). */
  term: string;
  category: ScreenCategory;
}

export interface ScreenOptions {
  /**
   * Categories exempted for this text, e.g. the category a record type declares it
   * protects (an employer that dismissed a pregnant worker: `family-planning`). Empty by
   * default: the screen is strict unless a caller exempts a category on structural grounds.
   */
  allow?: ReadonlySet<ScreenCategory>;
}

/** Human label of each category, for messages. */
export const SCREEN_LABELS: Readonly<Record<ScreenCategory, string>> = {
  religion: 'religion or belief',
  'political-opinion': 'political opinion and online speech',
  ethnicity: 'ethnicity and national origin',
  health: 'health and disability',
  'sex-life': 'sex life and sexual orientation',
  'family-planning': 'reproduction and family planning',
  'union-membership': 'trade-union membership and strikes',
  association: 'guilt by association (spouse, relatives, household, cell, friends)',
  prediction: 'prediction of future wrongdoing',
  'profession-targeting': 'a profession singled out for monitoring',
  lifestyle: 'lifestyle and consumption profiling',
  surveillance: 'covert surveillance feeds (face recognition, private messages, location, posture)',
};

/** The charter's special categories (GDPR Art. 9 kinds), as opposed to the refused kinds. */
export const SPECIAL_SCREEN_CATEGORIES: ReadonlySet<ScreenCategory> = new Set<ScreenCategory>([
  'religion', 'political-opinion', 'ethnicity', 'health', 'sex-life', 'family-planning', 'union-membership',
]);

// ---------------------------------------------------------------------------------------
// Traditional -> simplified Chinese

let t2s: { convert: ConverterFunction; changes: Set<number> } | undefined;

function entries(d: DictLike): Array<readonly [string, string]> {
  if (typeof d !== 'string') return d as Array<readonly [string, string]>;
  return d.split('|').map((e) => {
    const i = e.indexOf(' ');
    return [e.slice(0, i), e.slice(i + 1)] as const;
  });
}

/** Built on first use: Hong Kong and Taiwan variants -> OpenCC traditional -> simplified. */
function traditionalToSimplified(): { convert: ConverterFunction; changes: Set<number> } {
  if (t2s) return t2s;
  const variants = [...Locale.from.hk[0], ...Locale.from.tw[0]];
  const toCn = Locale.to.cn[0];
  const convert = ConverterFactory(variants, toCn);
  // Every code point the conversion can change (alone or inside a phrase of the
  // dictionaries): a text containing none of them is already simplified (the common case)
  // and skips the conversion.
  const changes = new Set<number>();
  for (const d of [...variants, ...toCn]) {
    for (const [k] of entries(d)) {
      const from = [...k];
      const to = [...convert(k)];
      from.forEach((c, i) => {
        if (to.length !== from.length || to[i] !== c) changes.add(c.codePointAt(0)!);
      });
    }
  }
  t2s = { convert, changes };
  return t2s;
}

function isHanCode(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x2e80 && c <= 0x2fdf) || c === 0x3005 || c === 0x3007 || (c >= 0x3021 && c <= 0x3029) ||
    (c >= 0x3038 && c <= 0x303b) || (c >= 0x20000 && c <= 0x323af)
  );
}

/** Any character of the Han ranges of isHanCode (approximately; isHanCode decides). */
const MAYBE_HAN = /[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ud840-\ud8c8]/;

/** Set while the lexicon compiles: its Chinese terms are simplified already (a test checks). */
let compiling = false;

function toSimplified(s: string): string {
  if (compiling || !MAYBE_HAN.test(s)) return s;
  const { convert, changes } = traditionalToSimplified();
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (changes.has(c)) return convert(s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// Normalisation

const NON_ASCII = /[^\x00-\x7f]/;
const FORMAT = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu;
const MARKS = /\p{M}+/gu;

const FOLD: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
  Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ẞ: 'SS', Æ: 'Ae', Œ: 'Oe', Ø: 'O', Ł: 'L', Đ: 'D', Ð: 'D', Þ: 'Th',
  '’': "'", 'ʼ': "'", '´': "'",
  // Cyrillic and Greek letters that pass for Latin ones ("rеligion" with a Cyrillic е).
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y',
  х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', ɡ: 'g',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  ς: 's', ω: 'w',
};
const FOLD_RE = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'gu');

/** Replacement for FOLD_RE: an upper-case umlaut before another capital folds to capitals (ÄRZTE -> AERZTE). */
function foldChar(c: string, offset: number, str: string): string {
  const f = FOLD[c] ?? c;
  if (f.length === 2 && f !== f.toLowerCase()) {
    const next = str.charCodeAt(offset + c.length);
    if (next >= 65 && next <= 90) return f.toUpperCase();
  }
  return f;
}

/** Irregular forms the suffix rules would get wrong. */
const STEM_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['children', 'child'], ['women', 'woman'], ['wives', 'wife'], ['lives', 'life'],
  ['knives', 'knife'], ['news', 'news'], ['series', 'series'], ['species', 'species'],
  // German words that would meet an English or German term's stem: "beliefen sich auf"
  // (amounted to) is not "belief", Sekt is not Sekte, GATT is not Gatte, Celle not cell,
  // "gebeten" (asked) is not Gebet (prayer).
  ['beliefen', 'beliefen'], ['beliefe', 'beliefe'], ['sekte', 'sekte'], ['sekten', 'sekte'],
  ['gatte', 'gatte'], ['gatten', 'gatte'], ['celle', 'celle'], ['gebeten', 'gebeten'],
]);

/**
 * Strips one inflection ending (first rule that applies, in this order): -ies/-ied -> i,
 * -ing, -ed, -es, -en (stem of four or more letters), -ie -> i, -e (four or more), -s (not
 * after s, u, i: class, status, hepatitis), -y -> i; -es and -s are kept after a folded
 * umlaut (religiös -> religioes).
 */
function stripSuffix(w: string): string {
  const n = w.length;
  const a = w.charCodeAt(n - 1);
  const b = w.charCodeAt(n - 2);
  const c = n >= 3 ? w.charCodeAt(n - 3) : 0;
  // s=115 e=101 d=100 g=103 n=110 y=121 i=105 u=117
  if (n - 3 >= 3 && c === 105 && b === 101 && (a === 115 || a === 100)) return w.slice(0, n - 3) + 'i'; // -ies, -ied
  if (n - 3 >= 4 && a === 103 && b === 110 && c === 105) return w.slice(0, n - 3); // -ing
  if (n - 2 >= 4 && b === 101 && (a === 100 || a === 110)) return w.slice(0, n - 2); // -ed, -en
  if (n - 2 >= 4 && b === 101 && a === 115 && c !== 97 && c !== 111 && c !== 117) return w.slice(0, n - 2); // -es, not -äs/-ös/-üs
  if (n - 2 >= 3 && a === 101 && b === 105) return w.slice(0, n - 1); // -ie -> -i
  if (n - 1 >= 4 && a === 101) return w.slice(0, n - 1); // -e
  if (n - 1 >= 3 && a === 115) {
    if (b === 115 || b === 117 || b === 105) return w;
    if (b === 101 && (c === 97 || c === 111 || c === 117)) return w; // -aes -oes -ues (ä ö ü)
    return w.slice(0, n - 1);
  }
  if (n - 1 >= 3 && a === 121) return w.slice(0, n - 1) + 'i'; // -y
  return w;
}

/**
 * Light stemmer for English and German (lower-case input): strips an inflection ending,
 * and a second one behind -s, -ing or -ed ("meetings" -> "meeting" -> "meet", "studying"
 * -> "study" -> "studi"). Words shorter than four letters and numbers are left alone.
 */
export function stemWord(w: string): string {
  const n = w.length;
  if (n < 4) return w;
  const last = w.charCodeAt(n - 1);
  // Only words ending in s, e, d, g, n, y carry an ending the rules strip.
  if (last !== 115 && last !== 101 && last !== 100 && last !== 103 && last !== 110 && last !== 121) return w;
  const first = w.charCodeAt(0);
  if (first >= 48 && first <= 57) return w;
  const ex = STEM_EXCEPTIONS.get(w);
  if (ex !== undefined) return ex;
  const once = stripSuffix(w);
  if (once === w || once.length < 4) return once;
  // A second ending only behind an English -s, -ing or -ed ("meetings", "studying",
  // "prayed"); German endings are not stacked ("verdienen" must not become "verdi").
  if (last === 115 ? w.charCodeAt(n - 2) === 101 : last === 103 ? false : last !== 100) return once;
  return stripSuffix(once);
}

/** Tokens that keep their case (acronyms marked `^` in the lexicon, e.g. AIDS). */
const KEEP_CASE: ReadonlySet<string> = new Set(
  [...Object.values(SCREEN_LEXICON).flat(), ...SCREEN_SHIELDS]
    .flatMap((g) => g.terms)
    .filter((t) => t.startsWith('^'))
    .map((t) => t.slice(1)),
);

// Character kinds of the tokeniser.
const SEP = 0;
const LOWER = 1;
const UPPER = 2;
const LETTER = 3; // a letter without case (kana, hangul, ...)
const DIGIT = 4;
const HANC = 5;
const MARK = 6;
const IGNORE = 7; // format characters: zero-width space and joiner, soft hyphen, BOM

const KIND_CACHE = new Map<number, number>();
const RE_LU = /\p{Lu}|\p{Lt}/u;
const RE_LL = /\p{Ll}/u;
const RE_L = /\p{L}/u;
const RE_M = /\p{M}/u;
const RE_N = /\p{N}/u;
const RE_CF = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/u;

function kindOf(c: number): number {
  if (c < 128) {
    if (c >= 97 && c <= 122) return LOWER;
    if (c >= 65 && c <= 90) return UPPER;
    if (c >= 48 && c <= 57) return DIGIT;
    return SEP;
  }
  if (isHanCode(c)) return HANC;
  let k = KIND_CACHE.get(c);
  if (k === undefined) {
    const ch = String.fromCodePoint(c);
    k = RE_CF.test(ch) ? IGNORE : RE_LU.test(ch) ? UPPER : RE_LL.test(ch) ? LOWER : RE_L.test(ch) ? LETTER
      : RE_M.test(ch) ? MARK : RE_N.test(ch) ? DIGIT : SEP;
    if (KIND_CACHE.size < 4096) KIND_CACHE.set(c, k);
  }
  return k;
}

function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2bc || c === 96 || c === 0xb4;
}

function finishLatin(tok: string, hasUpper: boolean, nonAscii: boolean, stem: boolean): string {
  if (hasUpper) {
    if (KEEP_CASE.has(tok)) return tok;
    tok = tok.toLowerCase();
  }
  if (nonAscii) {
    tok = tok.replace(FOLD_RE, (c) => FOLD[c] ?? c);
    if (NON_ASCII.test(tok)) tok = tok.normalize('NFD').replace(MARKS, '').normalize('NFC');
  }
  return stem ? stemWord(tok) : tok;
}

/** ASCII text: the same tokenisation as below, without the Unicode cases. */
function normaliseAscii(s: string, stem: boolean, out: string[]): void {
  const n = s.length;
  let start = -1;
  let upper = false;
  let prev = SEP;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 32;
    const k = c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : SEP;
    if (k === SEP) {
      if (start >= 0) {
        out.push(finishLatin(s.slice(start, i), upper, false, stem));
        start = -1;
        // Possessive 's after a letter: "wife's grade" -> "wife grade".
        if ((c === 39 || c === 96) && prev !== DIGIT && (s.charCodeAt(i + 1) | 32) === 115) {
          const d = i + 2 < n ? s.charCodeAt(i + 2) : 32;
          if (!((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57))) i++;
        }
      }
      prev = SEP;
      continue;
    }
    if (start >= 0) {
      let split = false;
      if (k === UPPER) {
        if (prev === LOWER) split = true; // householdScore
        else if (prev === UPPER) {
          const d = s.charCodeAt(i + 1);
          split = d >= 97 && d <= 122; // HIVStatus
        }
      } else if ((k === DIGIT) !== (prev === DIGIT)) split = true; // risk2offend
      if (split) {
        out.push(finishLatin(s.slice(start, i), upper, false, stem));
        start = -1;
      }
    }
    if (start < 0) {
      start = i;
      upper = false;
    }
    if (k === UPPER) upper = true;
    prev = k;
  }
}

/**
 * Normalised tokens of a text (one pass over the characters); `stem: false` keeps full
 * words (used for the prefix of `word*` terms).
 */
function normaliseTokens(text: string, stem: boolean): string[] {
  const out: string[] = [];
  if (!text) return out;
  if (!NON_ASCII.test(text)) {
    normaliseAscii(text, stem, out);
    return out;
  }
  // Fold what can be folded on the whole string (NFKC, traditional Chinese, format
  // characters, umlauts and look-alike letters, other diacritics); Latin text ends up ASCII
  // and takes the fast path.
  let s = toSimplified(text.normalize('NFKC')).replace(FORMAT, '').replace(FOLD_RE, foldChar);
  if (NON_ASCII.test(s) && !MAYBE_HAN.test(s)) s = s.normalize('NFD').replace(MARKS, '').normalize('NFC');
  if (!NON_ASCII.test(s)) {
    normaliseAscii(s, stem, out);
    return out;
  }
  const n = s.length;
  let start = -1; // start of the current Latin token, or -1
  let parts = ''; // the current token's text before an ignored character
  let upper = false;
  let nonAscii = false;
  let prev = SEP;
  let hanStart = -1; // start of the current run of Chinese characters, or -1
  let lastHan = false; // the last token pushed is Chinese (join runs across separators)
  for (let i = 0; i <= n; i++) {
    let c = i < n ? s.charCodeAt(i) : 32;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      c = s.codePointAt(i)!;
      width = 2;
    }
    const k = c < 128 ? (c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : SEP) : kindOf(c);
    if (k === IGNORE) {
      if (start >= 0) {
        parts += s.slice(start, i);
        start = i + width;
      }
      i += width - 1;
      continue;
    }
    if (k !== HANC && hanStart >= 0) {
      const run = s.slice(hanStart, i);
      if (lastHan) out[out.length - 1] += run;
      else out.push(run);
      lastHan = true;
      hanStart = -1;
    }
    if (k === SEP || k === HANC || (start >= 0 && k !== MARK && splitsBefore(s, i, width, k, prev))) {
      if (start >= 0) {
        out.push(finishLatin(parts + s.slice(start, i), upper, nonAscii, stem));
        lastHan = false;
        start = -1;
        parts = '';
        // Possessive 's after a letter: "wife's grade" -> "wife grade".
        if (k === SEP && isApostrophe(c) && prev !== DIGIT && (s.charCodeAt(i + 1) | 32) === 115) {
          const after = i + 2 < n ? kindOf(s.charCodeAt(i + 2)) : SEP;
          if (after === SEP || after === HANC) i++;
        }
      }
      if (k === SEP) {
        prev = SEP;
        continue;
      }
      if (k === HANC) {
        if (hanStart < 0) hanStart = i;
        i += width - 1;
        prev = HANC;
        continue;
      }
    }
    // A letter, digit or mark of a Latin (or other cased or caseless) word.
    if (start < 0) {
      start = i;
      upper = false;
      nonAscii = false;
    }
    if (k === UPPER) upper = true;
    if (c >= 128) nonAscii = true;
    if (k !== MARK) prev = k;
    i += width - 1;
  }
  return out;
}

/** Word boundaries inside a run of letters and digits: householdScore, HIVStatus, risk2. */
function splitsBefore(s: string, i: number, width: number, k: number, prev: number): boolean {
  if (k === UPPER) {
    if (prev === LOWER) return true;
    if (prev === UPPER && i + width < s.length) return kindOf(s.codePointAt(i + width)!) === LOWER;
    return false;
  }
  return (k === DIGIT) !== (prev === DIGIT);
}

/**
 * The normalised form the screen matches against: words separated by single spaces,
 * lower-case (except `^` acronyms), folded, stemmed; Chinese simplified and contiguous.
 * `normaliseForScreen("householdScore")` is "household scor"; "Kirchen" gives "kirch".
 */
export function normaliseForScreen(text: string): string {
  return normaliseTokens(text, true).join(' ');
}

// ---------------------------------------------------------------------------------------
// Compiling the lexicon

interface Pattern {
  literal: string;
  term: string;
  /** null for a shield. */
  category: ScreenCategory | null;
  /** The match must start at a word start. */
  left: boolean;
  /** The match must end at a word end. */
  right: boolean;
  /** Latin open ends: the hit covers the whole word it lies in (for containment). */
  extendLeft: boolean;
  extendRight: boolean;
}

const UMLAUT = /[äöüÄÖÜ]/;
const UMLAUT_PLAIN: Readonly<Record<string, string>> = { ä: 'a', ö: 'o', ü: 'u', Ä: 'A', Ö: 'O', Ü: 'U' };

function startsHan(s: string): boolean {
  return s !== '' && isHanCode(s.codePointAt(0)!);
}

function endsHan(s: string): boolean {
  const last = [...s].pop();
  return last !== undefined && isHanCode(last.codePointAt(0)!);
}

/** How a term is named in hits and messages: "religio*" as "religio…", "^AIDS" as "AIDS". */
function displayTerm(raw: string): string {
  return raw.replace(/^\^/, '').replace(/^\*+/, '…').replace(/\*+$/, '…');
}

function compileTerm(raw: string, category: ScreenCategory | null, into: Pattern[]): void {
  const keepCase = raw.startsWith('^');
  const leftOpen = raw.startsWith('*');
  const rightOpen = raw.endsWith('*');
  const body = raw.replace(/^[\^*]+/, '').replace(/\*+$/, '');
  const term = displayTerm(raw);
  const spellings = UMLAUT.test(body) ? [body, body.replace(/[äöüÄÖÜ]/g, (c) => UMLAUT_PLAIN[c])] : [body];
  const add = (literal: string, right: boolean): void => {
    if (!literal) return;
    const hanStart = startsHan(literal);
    const hanEnd = endsHan(literal);
    into.push({
      literal,
      term,
      category,
      left: !leftOpen && !hanStart,
      right: right && !hanEnd,
      extendLeft: leftOpen && !hanStart,
      extendRight: !right && !hanEnd,
    });
  };
  for (const spelling of spellings) {
    if (keepCase) {
      add(spelling, true);
      continue;
    }
    const stems = normaliseTokens(spelling, true);
    if (stems.length === 0) continue;
    if (leftOpen) {
      // Inside a compound: the stem anywhere in a word ("*gewerkschaft": Einheitsgewerkschaft).
      add(stems.join(' '), false);
      continue;
    }
    if (rightOpen) {
      // The full last word as a prefix ("kirche*" matches Kirchenbesuch but not Kirchberg),
      // and its stem as a whole word when stemming shortened it ("Kirchen" -> "kirch"; not
      // after a plural s: "gebets*" must not match "gebeten").
      const words = normaliseTokens(spelling, false);
      const last = words[words.length - 1];
      add([...stems.slice(0, -1), last].join(' '), false);
      if (stems[stems.length - 1] !== last && !last.endsWith('s')) add(stems.join(' '), true);
      continue;
    }
    add(stems.join(' '), true);
    if (stems.length === 2 && stems.every((t) => !startsHan(t))) {
      // The words written together, as in lower-case identifiers: "householdscore".
      add(stemWord(normaliseTokens(spelling, false).join('')), true);
    }
  }
}

interface Automaton {
  /** Transitions out of the root, by UTF-16 code unit (0: stay at the root). */
  root: Int32Array;
  /** Most states have one transition: its code unit (-1: none or several) and target. */
  soleChar: Int32Array;
  soleNext: Int32Array;
  /** States with several transitions. */
  multi: Array<Map<number, number> | undefined>;
  fail: Int32Array;
  /** Patterns ending at each state, following fail links (merged at build). */
  out: Array<number[] | undefined>;
  patterns: Pattern[];
}

function buildAutomaton(patterns: Pattern[]): Automaton {
  // The trie, in the compact form used for matching: a table for the root, one inline
  // transition per state, a Map only where a state branches.
  const root = new Int32Array(0x10000);
  const soleChar: number[] = [-1];
  const soleNext: number[] = [0];
  const multi: Array<Map<number, number> | undefined> = [undefined];
  const own: Array<number[] | undefined> = [undefined];
  const step = (s: number, c: number): number | undefined => {
    if (s === 0) return root[c] === 0 ? undefined : root[c];
    if (soleChar[s] === c) return soleNext[s];
    return multi[s]?.get(c);
  };
  patterns.forEach((p, pid) => {
    let s = 0;
    for (let i = 0; i < p.literal.length; i++) {
      const c = p.literal.charCodeAt(i);
      let t = step(s, c);
      if (t === undefined) {
        t = soleChar.length;
        soleChar.push(-1);
        soleNext.push(0);
        multi.push(undefined);
        own.push(undefined);
        if (s === 0) root[c] = t;
        else if (soleChar[s] === -1 && multi[s] === undefined) {
          soleChar[s] = c;
          soleNext[s] = t;
        } else {
          (multi[s] ??= new Map()).set(c, t);
        }
      }
      s = t;
    }
    (own[s] ??= []).push(pid);
  });
  const size = soleChar.length;
  const children = (s: number): Array<[number, number]> => {
    const list: Array<[number, number]> = [];
    if (soleChar[s] !== -1) list.push([soleChar[s], soleNext[s]]);
    const m = multi[s];
    if (m) for (const e of m) list.push(e);
    return list;
  };
  // Failure links, breadth first.
  const fail = new Int32Array(size);
  const out: Array<number[] | undefined> = new Array(size);
  out[0] = own[0];
  const queue: number[] = [];
  for (let c = 0; c < 0x10000; c++) if (root[c] !== 0) queue.push(root[c]);
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    const f = fail[s];
    const inherited = out[f];
    out[s] = own[s] && inherited ? [...own[s]!, ...inherited] : (own[s] ?? inherited);
    for (const [c, t] of children(s)) {
      // The longest proper suffix of this state's string that continues with c.
      let g = f;
      let target = step(g, c);
      while (target === undefined && g !== 0) {
        g = fail[g];
        target = step(g, c);
      }
      fail[t] = target ?? 0;
      queue.push(t);
    }
  }
  return { root, soleChar: Int32Array.from(soleChar), soleNext: Int32Array.from(soleNext), multi, fail, out, patterns };
}

function compileLexicon(): Automaton {
  const patterns: Pattern[] = [];
  for (const category of SCREEN_CATEGORIES) {
    for (const group of SCREEN_LEXICON[category]) for (const t of group.terms) compileTerm(t, category, patterns);
  }
  for (const group of SCREEN_SHIELDS) for (const t of group.terms) compileTerm(t, null, patterns);
  // One pattern per literal, boundary mode and category (the first term written wins).
  const seen = new Set<string>();
  const unique = patterns.filter((p) => {
    const key = `${p.literal}\u0000${p.left}${p.right}${p.extendLeft}${p.extendRight}\u0000${p.category}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return buildAutomaton(unique);
}

let compiled: Automaton | undefined;

/** The compiled lexicon, built on first use (a few hundred milliseconds, once). */
function automaton(): Automaton {
  if (compiled) return compiled;
  compiling = true;
  try {
    compiled = compileLexicon();
  } finally {
    compiling = false;
  }
  // A pattern id standing for a span of SCREEN_SHIELD_PATTERNS (not in the automaton).
  compiled.patterns.push({ literal: '', term: '', category: null, left: false, right: false, extendLeft: false, extendRight: false });
  return compiled;
}

/** Size of the compiled screen: patterns (term spellings) and automaton states. */
export function screenStats(): { patterns: number; states: number } {
  const a = automaton();
  return { patterns: a.patterns.length - 1, states: a.fail.length };
}

/** Display terms of the lexicon per category (markers removed), for documentation and tests. */
export const SCREEN_TERMS: Readonly<Record<ScreenCategory, readonly string[]>> = (() => {
  const terms = {} as Record<ScreenCategory, readonly string[]>;
  for (const c of SCREEN_CATEGORIES) {
    const display = SCREEN_LEXICON[c].flatMap((g) => g.terms).map(displayTerm);
    terms[c] = [...new Set(display)];
  }
  return terms;
})();

// ---------------------------------------------------------------------------------------
// Matching

interface Found {
  pid: number;
  start: number;
  end: number;
}

const SPACE = 32;

function scan(norm: string): Found[] {
  const { root, soleChar, soleNext, multi, fail, out, patterns } = automaton();
  const n = norm.length;
  const found: Found[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const c = norm.charCodeAt(i);
    for (;;) {
      if (s === 0) {
        s = root[c];
        break;
      }
      if (soleChar[s] === c) {
        s = soleNext[s];
        break;
      }
      const t = multi[s]?.get(c);
      if (t !== undefined) {
        s = t;
        break;
      }
      s = fail[s];
    }
    const outs = out[s];
    if (outs === undefined) continue;
    for (const pid of outs) {
      const p = patterns[pid];
      let start = i + 1 - p.literal.length;
      let end = i + 1;
      if (p.left && start > 0 && norm.charCodeAt(start - 1) !== SPACE) continue;
      if (p.right && end < n && norm.charCodeAt(end) !== SPACE) continue;
      if (p.extendLeft) while (start > 0 && norm.charCodeAt(start - 1) !== SPACE) start--;
      if (p.extendRight) while (end < n && norm.charCodeAt(end) !== SPACE) end++;
      found.push({ pid, start, end });
    }
  }
  return found;
}

function resolve(norm: string, found: Found[], allow: ReadonlySet<ScreenCategory> | undefined): ScreenHit[] {
  const { patterns } = automaton();
  const shieldPid = patterns.length - 1;
  if (norm.includes('自治') || norm.includes('乡')) {
    for (const { pattern } of SCREEN_SHIELD_PATTERNS) {
      for (const m of norm.matchAll(pattern)) found.push({ pid: shieldPid, start: m.index, end: m.index + m[0].length });
    }
  }
  // One sweep in order of start, longest first, shields before terms on equal spans: a
  // shield drops every hit it covers; a term drops the shorter hits it contains; of two
  // hits of one category on the same span, the first-written term stays.
  const isShield = (f: Found) => patterns[f.pid].category === null;
  found.sort((x, y) => x.start - y.start || y.end - x.end || Number(isShield(y)) - Number(isShield(x)) || x.pid - y.pid);
  let shieldEnd = -1;
  let termEnd = -1;
  let termStartAtEnd = -1; // the smallest start of the terms reaching termEnd
  const sameSpan = new Set<string>();
  const kept: Found[] = [];
  for (const f of found) {
    const p = patterns[f.pid];
    if (p.category === null) {
      shieldEnd = Math.max(shieldEnd, f.end);
      continue;
    }
    const covered =
      shieldEnd >= f.end || termEnd > f.end || (termEnd === f.end && termStartAtEnd < f.start) || sameSpan.has(`${f.start}:${f.end}:${p.category}`);
    if (f.end > termEnd) {
      termEnd = f.end;
      termStartAtEnd = f.start;
    }
    sameSpan.add(`${f.start}:${f.end}:${p.category}`);
    if (!covered) kept.push(f);
  }
  const seen = new Set<string>();
  const hits: ScreenHit[] = [];
  for (const k of kept) {
    const p = patterns[k.pid];
    const category = p.category!;
    if (allow?.has(category)) continue;
    const key = `${category}\u0000${p.term}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hits.push({ term: p.term, category });
  }
  return hits;
}

/**
 * Screens a text. Returns one hit per distinct term found, in text order; a hit lying
 * inside a longer hit ("political" inside "political opinion", "生育" inside "计划生育") or
 * inside a shield ("cell" in "cell phone") is dropped. Categories in `opts.allow` are not
 * reported (a longer allowed hit still covers the shorter hits inside it).
 */
export function screenText(text: string, opts: ScreenOptions = {}): ScreenHit[] {
  if (!text) return [];
  const norm = normaliseForScreen(text);
  if (!norm) return [];
  const found = scan(norm);
  return found.length === 0 ? [] : resolve(norm, found, opts.allow);
}

/** `screenText` with the categories in `allowed` exempted (see ScreenOptions.allow). */
export function screenTextExcept(text: string, allowed: ReadonlySet<ScreenCategory>): ScreenHit[] {
  return screenText(text, { allow: allowed });
}

/**
 * Screens the free text of a record payload at ingest: every string value (nested objects
 * and lists included; keys are declared by the record type and screened in the catalogue).
 * Returns the first hit with the path of its field (`note`, `items[0].ground`), or null.
 */
export function screenFreeText(
  fields: Readonly<Record<string, unknown>>,
  opts: ScreenOptions = {},
): { field: string; hit: ScreenHit } | null {
  return walk(fields, '', opts, 0);
}

function walk(value: unknown, path: string, opts: ScreenOptions, depth: number): { field: string; hit: ScreenHit } | null {
  if (typeof value === 'string') {
    const hits = screenText(value, opts);
    return hits.length > 0 ? { field: path, hit: hits[0] } : null;
  }
  if (depth > 16 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = walk(value[i], `${path}[${i}]`, opts, depth + 1);
      if (r) return r;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const r = walk(v, path ? `${path}.${k}` : k, opts, depth + 1);
    if (r) return r;
  }
  return null;
}

// Publication of list entries: what a public list shows about a listed subject. Pure: no
// I/O, no clock. The public route (GET /v1/lists/{list}/entries without an operator or
// auditor key) shows only lists whose catalogue entry is `public: true`, and of each entry
// only a masked identifier, a shortened name, the start, the statutory end and the legal
// basis: never the full identifier, a score, a grade or the record behind the entry.
//
// A red list (kind: red, e.g. honesty-models) names only subjects who consented to being
// named (Guofa (2016) 33 publicises integrity models; the list's own description says
// "publication of a person's name needs the person's consent"). A black list that its
// legal basis makes public (the SPC's judgment-defaulter list) needs no consent.
import type { ListDefinition, ListEntry, Subject, SubjectId } from './types.ts';

/** Characters kept at the start and the end of a published identifier. */
export const MASK_KEEP_START = 6;
export const MASK_KEEP_END = 4;

/**
 * Masks an identifier for publication: the first 6 and the last 4 characters are kept, every
 * other character becomes `*` (`371082198503120211` -> `371082********0211`). An identifier
 * too short for that to hide at least 4 characters (under 14) keeps only its first 2 and last
 * character; one of 4 characters or fewer is masked entirely. Characters are code points.
 */
export function maskIdentifier(id: string): string {
  const chars = [...id];
  const n = chars.length;
  let start = MASK_KEEP_START;
  let end = MASK_KEEP_END;
  if (n < MASK_KEEP_START + MASK_KEEP_END + 4) {
    start = n > 4 ? 2 : 0;
    end = n > 4 ? 1 : 0;
  }
  return chars.map((c, i) => (i < start || i >= n - end ? c : '*')).join('');
}

/** Two-character Chinese family names (复姓); any other Chinese name's family name is its first character. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '闻人', '澹台', '公羊',
  '赫连', '申屠', '钟离', '万俟', '濮阳', '太史', '单于', '拓跋', '司空', '东郭', '左丘', '第五',
  '歐陽', '諸葛', '長孫', '軒轅', '獨孤', '鍾離',
]);

const HAN = /\p{Script=Han}/u;
const LETTER = /\p{L}/u;

/**
 * Shortens a name for publication, one rule for every script:
 *   - a Chinese name (it contains Han characters) keeps its family name and `*`:
 *     `张伟` -> `张*`, `欧阳娜娜` -> `欧阳*`; a name written with a middle dot
 *     (`阿依古丽·买买提`) keeps its first character;
 *   - any other name keeps its first word and the initial of its last word:
 *     `Anna Maria Müller` -> `Anna M.`, `Zhang Wei` -> `Zhang W.`; `Müller, Anna` (family name
 *     first, with a comma) -> `Anna M.`; a single word keeps only its initial (`Madonna` -> `M.`).
 * Words without a letter (numbers, punctuation) are dropped first. Returns null when nothing
 * is left to show (an empty name).
 */
export function shortenName(name: string | null | undefined): string | null {
  if (!name) return null;
  const text = name.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  if (HAN.test(text)) {
    const han = [...text.replace(/[\s\p{P}\p{N}]/gu, '')];
    if (han.length === 0) return null;
    const two = han.slice(0, 2).join('');
    const dotted = /[·・•‧]/u.test(text);
    const family = !dotted && han.length > 2 && COMPOUND_SURNAMES.has(two) ? two : han[0]!;
    return `${family}*`;
  }
  const initial = (w: string) => `${[...w].find((c) => LETTER.test(c))!.toUpperCase()}.`;
  const words = (s: string) => s.split(' ').map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')).filter((w) => LETTER.test(w));
  const comma = text.indexOf(',');
  if (comma > 0) {
    const family = words(text.slice(0, comma));
    const given = words(text.slice(comma + 1));
    if (family.length > 0 && given.length > 0) return `${given[0]} ${initial(family[family.length - 1]!)}`;
  }
  const w = words(text);
  if (w.length === 0) return null;
  if (w.length === 1) return initial(w[0]!);
  return `${w[0]} ${initial(w[w.length - 1]!)}`;
}

/**
 * Which of these subjects consented to being named on this list. Red lists publish only
 * those; black lists do not ask.
 */
export type PublicationConsent = (list: string, subjects: readonly SubjectId[]) => Promise<ReadonlySet<SubjectId>>;

/**
 * No consent recorded: the answer where no consent store is at hand (a view without an access
 * store). Callers that publish pass the store's predicate (Consents.publicationConsent).
 */
export const noConsentRecorded: PublicationConsent = async () => new Set<SubjectId>();

/** Whether a list publishes an entry only with the subject's consent (every red list). */
export const needsConsent = (def: ListDefinition): boolean => def.kind === 'red';

/** An entry as a public list shows it. */
export interface PublishedEntry {
  /** The identifier masked by maskIdentifier. */
  subject: string;
  /** The name shortened by shortenName, or null when none is held. */
  name: string | null;
  from: number;
  until: number | null;
  legalBasis: string;
}

/**
 * The public view of a list's entries: null if the list is not public (nothing of it is
 * published); otherwise the entries of consenting subjects (all entries of a black list),
 * masked and shortened, and how many entries were withheld for want of consent.
 */
export function publishEntries(
  def: ListDefinition,
  entries: readonly Pick<ListEntry, 'subject' | 'from' | 'until' | 'legalBasis'>[],
  subjects: ReadonlyMap<SubjectId, Pick<Subject, 'displayName'>>,
  consented: ReadonlySet<SubjectId>,
): { items: PublishedEntry[]; withheld: number; consentRequired: boolean } | null {
  if (!def.public) return null;
  const consentRequired = needsConsent(def);
  const items: PublishedEntry[] = [];
  let withheld = 0;
  for (const e of entries) {
    if (consentRequired && !consented.has(e.subject)) {
      withheld += 1;
      continue;
    }
    items.push({ subject: maskIdentifier(e.subject), name: shortenName(subjects.get(e.subject)?.displayName), from: e.from, until: e.until, legalBasis: e.legalBasis });
  }
  return { items, withheld, consentRequired };
}

// CSV records for `credence ingest`, parsed by csv-parse (RFC 4180: quoted fields, doubled
// quotes, quoted fields spanning lines, a UTF-8 byte-order mark as Excel writes it). A header
// names the columns; payload is a JSON column or payload.FIELD columns. A payload.FIELD value
// is typed by the record type's payload schema, never by its look: an integer or number
// field gets a number, a boolean field true/false, a string field keeps its text ("00123"
// stays "00123"); a value that does not fit is passed on as written, so the schema check
// names the field and what it expects.
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Catalogue } from '../../domain/types.ts';

const COLUMNS = new Set(['source', 'sourceRecordId', 'subject', 'type', 'occurredAt', 'payload', 'evidence', 'revokes', 'subjectKind', 'subjectName']);

export type CsvParsed = 'header' | { ok: true; record: Record<string, unknown> } | { ok: false; code: string; path: string; message: string };

export interface CsvItem {
  /** The line the record starts on (1-based; a quoted field may carry it over several lines). */
  line: number;
  /** The record's text as it stood in the file. */
  raw: string;
  parsed: CsvParsed;
}

function typed(value: string, schema: unknown): unknown {
  const type = schema && typeof schema === 'object' ? (schema as { type?: unknown }).type : undefined;
  if (type === 'integer' || type === 'number') {
    const t = value.trim();
    return /^-?(?:\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(t) ? Number(t) : value;
  }
  if (type === 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
    return value;
  }
  return value;
}

/** Turns the cells of one CSV record into a record, the header into `'header'`. */
export function csvRecordParser(catalogue?: Catalogue): (cells: string[]) => CsvParsed {
  let header: string[] | null = null;
  return (cells) => {
    if (!header) {
      const bad = cells.find((c) => !COLUMNS.has(c) && !/^payload\.[a-z][a-z0-9_]*$/.test(c));
      if (bad !== undefined) return { ok: false, code: 'CSV_UNKNOWN_COLUMN', path: bad, message: `unknown column "${bad}" in the header (columns: ${[...COLUMNS].join(', ')}, payload.FIELD)` };
      header = cells;
      return 'header';
    }
    if (cells.length !== header.length) return { ok: false, code: 'CSV_MALFORMED', path: '', message: `expected ${header.length} fields (as in the header), got ${cells.length}` };
    const record: Record<string, unknown> = {};
    const payload: Record<string, unknown> = {};
    const typeCol = header.indexOf('type');
    const schema = typeCol >= 0 ? catalogue?.recordTypes.get(cells[typeCol]!)?.payloadSchema : undefined;
    const props = (schema?.properties ?? {}) as Record<string, unknown>;
    for (let i = 0; i < header.length; i++) {
      const col = header[i]!;
      const v = cells[i]!;
      if (v === '') continue;
      if (col === 'payload') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(v);
        } catch {
          return { ok: false, code: 'CSV_MALFORMED', path: 'payload', message: 'the payload column is not JSON' };
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, code: 'CSV_MALFORMED', path: 'payload', message: 'the payload column is not a JSON object' };
        // Own properties only, defined (not assigned): a "__proto__" key stays a key the schema
        // refuses, never the payload's prototype (Object.assign would set it, and a field read
        // through it would count while the stored JSON showed nothing).
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) Object.defineProperty(payload, k, { value: v, enumerable: true, writable: true, configurable: true });
      } else if (col.startsWith('payload.')) {
        const field = col.slice(8);
        payload[field] = typed(v, props[field]);
      } else if (col === 'evidence') {
        record.evidence = v.split('|').filter(Boolean);
      } else {
        record[col] = v;
      }
    }
    record.payload = payload;
    return { ok: true, record };
  };
}

/**
 * CRLF to LF before parsing (Excel writes CRLF; a line break inside a quoted field becomes LF),
 * so line numbers count lines and raw texts carry no stray carriage returns. A chunk that ends
 * in CR keeps it until the next chunk shows whether LF follows.
 */
function crlfToLf(): Transform {
  let pending = '';
  return new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _enc, done) {
      let text = pending + chunk.toString();
      pending = '';
      if (text.endsWith('\r')) {
        pending = '\r';
        text = text.slice(0, -1);
      }
      done(null, text.replace(/\r\n/g, '\n'));
    },
    flush(done) {
      done(null, pending);
    },
  });
}

/** The first line from `from` to `to` (inclusive) that is not UTF-8, or null. */
function firstInvalid(invalid: ReadonlySet<number>, from: number, to: number): number | null {
  if (invalid.size === 0) return null;
  for (let l = from; l <= to; l++) if (invalid.has(l)) return l;
  return null;
}

/** A record's text without the empty lines before it and its line break after it. */
const trimmed = (raw: string): string => raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
/** The line a record starts on, from the line it ends on and the line breaks it holds. */
const startLine = (endLine: number, raw: string): number => endLine - (raw.match(/\n/g)?.length ?? 0);

/**
 * Reads CSV records from a stream, in file order. A record that cannot be parsed (an
 * unterminated quote, a stray quote inside an unquoted field) is yielded as a CSV_MALFORMED
 * item at the line it starts on, and parsing goes on with the next one.
 */
export async function* csvItems(input: Readable, catalogue?: Catalogue, invalidLines: ReadonlySet<number> = new Set()): AsyncGenerator<CsvItem> {
  const toRecord = csvRecordParser(catalogue);
  // The parser reports a skipped record as it reads, ahead of the records it has queued for
  // us; each skipped record is yielded before the first record that starts after it.
  const skipped: CsvItem[] = [];
  const parser = (input.readableEncoding === 'utf8' ? input : input.setEncoding('utf8')).pipe(crlfToLf()).pipe(
    parse({
      bom: true,
      info: true,
      raw: true,
      record_delimiter: '\n',
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const e = err as (Error & { code?: string; lines?: number; raw?: string }) | undefined;
        const raw = trimmed(e?.raw ?? '');
        const line = startLine(e?.lines ?? 0, raw);
        const message = e?.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quoted field opened on line ${line} is not closed by the end of the file`
          : (e?.message ?? 'the record cannot be parsed');
        skipped.push({ line, raw, parsed: { ok: false, code: 'CSV_MALFORMED', path: '', message } });
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
    const raw = trimmed(item.raw);
    const line = startLine(item.info.lines, raw);
    while (skipped.length > 0 && skipped[0]!.line < line) yield skipped.shift()!;
    const bad = firstInvalid(invalidLines, line, item.info.lines);
    yield { line, raw, parsed: bad === null ? toRecord(item.record) : { ok: false, code: 'RECORD_ENCODING_INVALID', path: '', message: `line ${bad} is not valid UTF-8 (bytes that are no UTF-8 character are shown as U+FFFD here); save the file as UTF-8` } };
  }
  yield* skipped;
}

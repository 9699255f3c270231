// CSV records for `credence ingest`: RFC 4180 fields (quotes, doubled quotes), one record a
// line, a header naming the columns. payload is a JSON column or payload.FIELD columns whose
// values are numbers when they look like numbers.
const COLUMNS = new Set(['source', 'sourceRecordId', 'subject', 'type', 'occurredAt', 'payload', 'evidence', 'revokes', 'subjectKind', 'subjectName']);

export function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  let field = '';
  let quoted = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      out.push(field);
      field = '';
      i++;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

export type CsvParsed = 'header' | { ok: true; record: Record<string, unknown> } | { ok: false; code: string; path: string; message: string };

export function csvRecordParser(): (line: string, lineNo: number) => CsvParsed {
  let header: string[] | null = null;
  return (line) => {
    const cells = splitCsvLine(line);
    if (!cells) return { ok: false, code: 'CSV_MALFORMED', path: '', message: 'unterminated quoted field' };
    if (!header) {
      const bad = cells.find((c) => !COLUMNS.has(c) && !/^payload\.[a-z][a-z0-9_]*$/.test(c));
      if (bad !== undefined) return { ok: false, code: 'CSV_UNKNOWN_COLUMN', path: bad, message: `unknown column "${bad}" in the header` };
      header = cells;
      return 'header';
    }
    if (cells.length !== header.length) return { ok: false, code: 'CSV_MALFORMED', path: '', message: `expected ${header.length} fields, got ${cells.length}` };
    const record: Record<string, unknown> = {};
    const payload: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) {
      const col = header[i]!;
      const v = cells[i]!;
      if (v === '') continue;
      if (col === 'payload') {
        try {
          Object.assign(payload, JSON.parse(v));
        } catch {
          return { ok: false, code: 'CSV_MALFORMED', path: 'payload', message: 'payload column is not a JSON object' };
        }
      } else if (col.startsWith('payload.')) {
        payload[col.slice(8)] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
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

// Files as agencies produce them: CSV saved by Excel (a UTF-8 byte-order mark, CRLF, quoted
// fields spanning lines), values typed by the record type's schema rather than by their look,
// and NDJSON with a byte-order mark, through the command line and over HTTP.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvItems } from '../src/transport/cli/csv.ts';
import { makeResidentId, makeUscc } from '../src/domain/identifiers.ts';
import type { Catalogue } from '../src/domain/types.ts';
import { runCli } from './helpers/cli.ts';
import { httpFixture, json } from './helpers/http.ts';
import { shipped } from './helpers/shipped.ts';

const BOM = '\uFEFF';
const dave = makeResidentId('371082', '19880808', '051');
const erin = makeResidentId('371082', '19900909', '063');
const firm = makeUscc('91', '371082', 'MA0A1B2C');
let dir: string;
let catalogue: Catalogue;

const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_DB: path.join(dir, 'town.db') }, timeoutMs: 60_000 });

async function items(text: string, chunk = 5) {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunk) chunks.push(text.slice(i, i + chunk));
  const out = [];
  for await (const it of csvItems(Readable.from(chunks), catalogue)) out.push(it);
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-csv-'));
  catalogue = (await shipped()).catalogue;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV records', () => {
  it('types payload values by the record type\'s schema, not by their look', async () => {
    const got = await items([
      'source,sourceRecordId,subject,type,occurredAt,payload.amount,payload.months,payload.case_ref',
      `tax-bureau,t-1,${dave},tax.arrears,2025-01-02,0012.50,007,`,
      `tax-bureau,t-2,${dave},tax.evasion_penalty,2025-01-02,100,,00123`,
      `tax-bureau,t-3,${dave},tax.arrears,2025-01-02,lots,2,`,
    ].join('\n'));
    const records = got.filter((g) => g.parsed !== 'header').map((g) => (g.parsed as unknown as { record: { payload: unknown } }).record.payload);
    expect(records).toEqual([{ amount: 12.5, months: 7 }, { amount: 100, case_ref: '00123' }, { amount: 'lots', months: 2 }]);
  });

  it('reads an Excel file: byte-order mark, CRLF, a quoted field across lines, doubled quotes; each record at its first line', async () => {
    const text = BOM + [
      'source,sourceRecordId,subject,type,occurredAt,payload.note',
      `tax-bureau,t-1,${dave},tax.invoice_fraud,2025-01-02,"first line`,
      `second line, with a comma and ""quotes"""`,
      '',
      `tax-bureau,t-2,${dave},tax.invoice_fraud,2025-01-02,plain`,
      `tax-bureau,t-3,${dave}`,
      `tax-bureau,t-4,${dave},tax.invoice_fraud,2025-01-02,bad"quote`,
      `tax-bureau,t-5,${dave},tax.invoice_fraud,2025-01-02,"never closed`,
      `tax-bureau,t-6,${dave},tax.invoice_fraud,2025-01-02,swallowed`,
      '',
    ].join('\r\n');
    const got = await items(text);
    expect(got.map((g) => [g.line, g.parsed === 'header' ? 'header' : g.parsed.ok ? 'ok' : g.parsed.code])).toEqual([
      [1, 'header'], [2, 'ok'], [5, 'ok'], [6, 'CSV_MALFORMED'], [7, 'CSV_MALFORMED'], [8, 'CSV_MALFORMED'],
    ]);
    expect((got[1]!.parsed as unknown as { record: { payload: { note: string } } }).record.payload.note).toBe('first line\nsecond line, with a comma and "quotes"');
    expect((got[3]!.parsed as { message: string }).message).toBe('expected 6 fields (as in the header), got 3');
    expect((got[5]!.parsed as { message: string }).message).toContain('not closed');
    expect(got[2]!.raw).toBe(`tax-bureau,t-2,${dave},tax.invoice_fraud,2025-01-02,plain`);
  });

  it('keeps a "__proto__" key of a payload column a key the schema refuses, never the payload\'s prototype', async () => {
    const got = await items([
      'source,sourceRecordId,subject,type,occurredAt,payload',
      `tax-bureau,t-9,${dave},tax.arrears,2025-01-02,"{""amount"":1200,""__proto__"":{""months"":120}}"`,
    ].join('\n'));
    const payload = (got[1]!.parsed as unknown as { record: { payload: Record<string, unknown> } }).record.payload;
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(payload.months).toBeUndefined();
    expect(Object.keys(payload)).toEqual(['amount', '__proto__']);
  });

  it('refuses such a record through credence ingest, as NDJSON does, storing nothing of it', async () => {
    const db = path.join(dir, 'proto.db');
    const env = { CREDENCE_DB: db };
    expect((await runCli(['init'], { cwd: dir, env })).code).toBe(0);
    const file = path.join(dir, 'proto.csv');
    writeFileSync(file, `source,sourceRecordId,subject,type,occurredAt,payload\ntax-bureau,t-10,${dave},tax.arrears,${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)},"{""amount"":1200,""__proto__"":{""months"":120}}"\n`);
    const r = await runCli(['ingest', file], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(r.err).toContain('RECORD_PAYLOAD_INVALID at payload: payload must NOT have additional properties ("__proto__")');
    expect(r.out + r.err).toContain('accepted 0');
  });

  it('rejects an unknown column in the header, naming it', async () => {
    const [first] = await items('source,subject,colour\n');
    expect(first!.parsed).toMatchObject({ ok: false, code: 'CSV_UNKNOWN_COLUMN', path: 'colour' });
  });
});

describe('credence ingest', () => {
  it('ingests an Excel CSV and an NDJSON file with a byte-order mark, reporting bad records by line', async () => {
    expect((await run(['init'])).code).toBe(0);
    const csv = path.join(dir, 'tax.csv');
    writeFileSync(csv, BOM + [
      'source,sourceRecordId,subject,type,occurredAt,payload.amount,payload.months,payload.note',
      `tax-bureau,x-1,${dave},tax.arrears,2025-01-02,5000,3,`,
      `tax-bureau,x-2,${firm},tax.invoice_fraud,2025-01-03,,,"issued invoices`,
      `for goods never delivered"`,
      `tax-bureau,x-3,${erin},tax.arrears,2025-01-04,many,3,`,
      '',
    ].join('\r\n'));
    const r = await run(['ingest', csv, '--json']);
    expect(r.code, r.err).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ accepted: 2, rejected: 1 });
    expect(r.err).toMatch(/tax\.csv:5: RECORD_PAYLOAD_INVALID at payload\.amount/);
    const rejects = readFileSync(path.join(dir, 'tax.csv.rejects.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects).toEqual([expect.objectContaining({ line: 5, code: 'RECORD_PAYLOAD_INVALID', raw: `tax-bureau,x-3,${erin},tax.arrears,2025-01-04,many,3,` })]);

    const nd = path.join(dir, 'tax.ndjson');
    writeFileSync(nd, BOM + [
      JSON.stringify({ source: 'tax-bureau', sourceRecordId: 'n-1', subject: dave, type: 'tax.arrears', occurredAt: '2025-02-01', payload: { amount: 10, months: 1 } }),
      JSON.stringify({ source: 'tax-bureau', sourceRecordId: 'n-2', subject: erin, type: 'tax.arrears', occurredAt: '2025-02-01', payload: { amount: 20, months: 1 } }),
    ].join('\n') + '\n');
    const n = await run(['ingest', nd, '--json']);
    expect(n.code, n.err).toBe(0);
    expect(JSON.parse(n.out)).toMatchObject({ accepted: 2, rejected: 0 });
  });
});

describe('HTTP', () => {
  it('accepts a JSON or NDJSON body that starts with a byte-order mark', async () => {
    const f = await httpFixture();
    try {
      const rec = (id: string) => ({ source: 'tax-bureau', sourceRecordId: id, subject: dave, type: 'tax.arrears', occurredAt: '2025-03-01', payload: { amount: 5, months: 1 } });
      const nd = await f.call('POST', '/v1/records/batch', { key: 'source', raw: BOM + [rec('b-1'), rec('b-2')].map((x) => JSON.stringify(x)).join('\n'), contentType: 'application/x-ndjson', headers: { 'idempotency-key': 'bom-1' } });
      expect(nd.statusCode, nd.body).toBe(200);
      expect(json(nd).results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted']);
      const one = await f.call('POST', '/v1/records', { key: 'source', raw: BOM + JSON.stringify(rec('b-3')) });
      expect(one.statusCode, one.body).toBe(201);
    } finally {
      await f.close();
    }
  });
});

// Input that is not UTF-8 is refused, never stored with replacement characters: over HTTP
// the body is refused naming the first bad byte and nothing is written; in a file, the bad line
// is rejected with RECORD_ENCODING_INVALID and the other lines are read and stored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { invalidUtf8Offset } from '../src/transport/utf8.ts';
import { runCli } from './helpers/cli.ts';
import { httpFixture, json } from './helpers/http.ts';

const dave = makeResidentId('371082', '19880808', '051');
const erin = makeResidentId('371082', '19900909', '063');
// "Zhang" in GBK (what a Windows machine set to Chinese saves by default): not UTF-8.
const GBK_ZHANG = Buffer.from([0xd5, 0xc5]);
const rec = (id: string, subject = dave) => ({ source: 'tax-bureau', sourceRecordId: id, subject, type: 'tax.arrears', occurredAt: '2025-03-01', payload: { amount: 5, months: 1 } });
/** A record line whose subjectName holds the given bytes. */
const lineWithName = (id: string, name: Buffer) => {
  const [head, tail] = JSON.stringify({ ...rec(id, erin), subjectName: '@@' }).split('@@') as [string, string];
  return Buffer.concat([Buffer.from(head), name, Buffer.from(tail)]);
};

let dir: string;
beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'credence-utf8-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding the first byte that is not UTF-8', () => {
  it('names the lead byte of the bad sequence, and -1 for valid text', () => {
    const at = (bytes: number[]) => invalidUtf8Offset(Uint8Array.from(bytes));
    expect(at([...Buffer.from('张三 ok 😀')])).toBe(-1);
    expect(at([0x61, 0xff, 0x62])).toBe(1);
    expect(at([0x61, 0xe4, 0xb8])).toBe(1); // cut short at the end
    expect(at([0xe4, 0xb8, 0xad, 0x61, 0xc0, 0x80])).toBe(4); // an overlong NUL
    expect(at([0x41, 0xed, 0xa0, 0x80])).toBe(1); // a surrogate
    expect(at([0x41, 0x80])).toBe(1); // a lone continuation byte
    expect(at([...GBK_ZHANG])).toBe(0);
  });
});

describe('HTTP', () => {
  it('refuses a JSON, NDJSON or YAML body that is not UTF-8, names the byte, and stores nothing', async () => {
    const f = await httpFixture();
    try {
      const before = await f.store.countRecords();
      const auth = { authorization: `Bearer ${f.keys.source}` };
      const one = await f.app.inject({ method: 'POST', url: '/v1/records', headers: { ...auth, 'content-type': 'application/json' }, payload: lineWithName('u-1', GBK_ZHANG) });
      expect(one.statusCode).toBe(400);
      expect(one.headers['content-type']).toContain('application/problem+json');
      const offset = lineWithName('u-1', GBK_ZHANG).indexOf(0xd5);
      expect(json(one)).toMatchObject({ code: 'BODY_MALFORMED', detail: `the body is not valid UTF-8 at byte ${offset} (0xd5): send UTF-8 text (nothing was stored)` });

      const nd = Buffer.concat([Buffer.from(`${JSON.stringify(rec('u-2'))}\n`), lineWithName('u-3', GBK_ZHANG)]);
      const batch = await f.app.inject({ method: 'POST', url: '/v1/records/batch', headers: { ...auth, 'content-type': 'application/x-ndjson', 'idempotency-key': 'utf8-1' }, payload: nd });
      expect(batch.statusCode).toBe(400);
      expect(json(batch).code).toBe('BODY_MALFORMED');

      const yaml = await f.app.inject({ method: 'POST', url: '/v1/schemes', headers: { authorization: `Bearer ${f.keys.operator}`, 'content-type': 'application/yaml' }, payload: Buffer.concat([Buffer.from('id: draft\ntitle: '), GBK_ZHANG, Buffer.from('\n')]) });
      expect(yaml.statusCode).toBe(400);
      expect(json(yaml).code).toBe('BODY_MALFORMED');
      expect(await f.store.countRecords()).toBe(before);

      // The same record in UTF-8 is taken, its name as sent.
      const good = await f.app.inject({ method: 'POST', url: '/v1/records', headers: { ...auth, 'content-type': 'application/json' }, payload: lineWithName('u-1', Buffer.from('张')) });
      expect(good.statusCode, good.body).toBe(201);
      expect((await f.credence.subject(erin)).displayName).toBe('张');
    } finally {
      await f.close();
    }
  });
});

describe('credence ingest', () => {
  const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_DB: path.join(dir, 'town.db') }, timeoutMs: 60_000 });

  it('rejects the NDJSON line that is not UTF-8 by its number and stores the others', async () => {
    expect((await run(['init'])).code).toBe(0);
    const file = path.join(dir, 'gbk.ndjson');
    writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(rec('g-1'))}\n`), lineWithName('g-2', GBK_ZHANG), Buffer.from(`\n${JSON.stringify(rec('g-3', erin))}\n`)]));
    const r = await run(['ingest', file, '--json']);
    expect(r.code, r.err).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ accepted: 2, rejected: 1 });
    expect(r.err).toMatch(/gbk\.ndjson:2: RECORD_ENCODING_INVALID: the line is not valid UTF-8/);
    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects).toEqual([expect.objectContaining({ line: 2, code: 'RECORD_ENCODING_INVALID' })]);
  });

  it('rejects the CSV record on a line that is not UTF-8, keeping line numbers right across quoted line breaks', async () => {
    const file = path.join(dir, 'gbk.csv');
    writeFileSync(file, Buffer.concat([
      Buffer.from('source,sourceRecordId,subject,type,occurredAt,payload.amount,payload.months,subjectName\r\n'),
      Buffer.from(`tax-bureau,c-1,${dave},tax.arrears,2025-01-02,5,1,"two\r\nlines"\r\n`),
      Buffer.from(`tax-bureau,c-2,${erin},tax.arrears,2025-01-02,5,1,`), GBK_ZHANG, Buffer.from('\r\n'),
      Buffer.from(`tax-bureau,c-3,${erin},tax.arrears,2025-01-03,5,1,\r\n`),
    ]));
    const r = await run(['ingest', file, '--json']);
    expect(r.code, r.err).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ accepted: 2, rejected: 1 });
    expect(r.err).toMatch(/gbk\.csv:4: RECORD_ENCODING_INVALID: line 4 is not valid UTF-8/);
  });
});

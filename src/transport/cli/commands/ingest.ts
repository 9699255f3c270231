// `credence ingest FILE`: NDJSON or CSV, in batches. Bad lines are reported with their line
// number and reason and written to a rejects file; good lines are kept; a second run of the
// same file adds nothing (records are keyed by source and source record id).
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Utf8Lines } from '../../utf8.ts';
import type { Credence, IngestSummary } from '../../../app/credence.ts';
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { cliActor, guard, parse, UsageError, withCredence } from '../common.ts';
import { csvItems, type CsvItem } from '../csv.ts';

export const INGEST_BATCH_SIZE = 5000;

export interface IngestTotals {
  accepted: number;
  duplicates: number;
  rejected: number;
  lines: number;
  seconds: number;
  /** Set when the run was stopped (Ctrl-C) after a committed batch: the last line read and stored. */
  interruptedAtLine?: number;
}

/** Seconds as m:ss (or h:mm:ss), "--:--" when not known yet. */
const clock = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '--:--';
  const t = Math.round(seconds);
  const [h, m, sec] = [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60];
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(sec).padStart(2, '0')}`;
};

/**
 * Streams a file through the ingest use case; shared by `ingest` and `demo`. When
 * `stop.requested` turns true, the batch being read is committed and reading stops there.
 */
export async function ingestFile(c: Credence, file: string, ctx: CliContext, opts: { rejectsPath: string; batchSize?: number; quiet?: boolean; stop?: { requested: boolean } }): Promise<IngestTotals> {
  const batchSize = opts.batchSize ?? INGEST_BATCH_SIZE;
  const size = (await stat(file)).size;
  const input = createReadStream(file);
  const isCsv = file.toLowerCase().endsWith('.csv');
  let rejects: WriteStream | null = null;
  const reject = (line: number, code: string, path: string, message: string, raw: string, conflict?: { held: string; submitted: string }) => {
    rejects ??= createWriteStream(opts.rejectsPath);
    rejects.write(`${JSON.stringify({ line, code, path, message, ...(conflict ? { heldFingerprint: conflict.held, fingerprint: conflict.submitted } : {}), raw: raw.length > 2000 ? `${raw.slice(0, 2000)}...` : raw })}\n`);
    if (!opts.quiet) ctx.io.err(`${file}:${line}: ${code}${path ? ` at ${path}` : ''}: ${message}`);
  };
  const totals: IngestTotals = { accepted: 0, duplicates: 0, rejected: 0, lines: 0, seconds: 0 };
  const started = performance.now();
  let batch: unknown[] = [];
  let batchLines: { line: number; raw: string }[] = [];
  let lineNo = 0;
  let lastDraw = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const res: IngestSummary = await c.ingest(batch, cliActor());
    for (const r of res.results) {
      if (r.status === 'rejected') reject(batchLines[r.index]!.line, r.code, r.path, r.message, batchLines[r.index]!.raw, r.conflict);
    }
    totals.accepted += res.accepted;
    totals.duplicates += res.duplicates;
    totals.rejected += res.rejected;
    batch = [];
    batchLines = [];
    const now = performance.now();
    if (ctx.io.isTty && !opts.quiet && now - lastDraw > 200) {
      lastDraw = now;
      const frac = Math.min(1, input.bytesRead / Math.max(1, size));
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      const elapsed = (now - started) / 1000;
      const rate = Math.round((totals.accepted + totals.duplicates + totals.rejected) / elapsed);
      const eta = frac > 0 ? elapsed * (1 - frac) / frac : Number.NaN;
      process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${totals.accepted} accepted  ${rate} records/s  ETA ${clock(eta)} `);
    }
  };
  // NDJSON: one JSON object a line (a byte-order mark before the first is dropped). CSV:
  // records as csv-parse reads them, each with the line it starts on.
  // Lines that are not UTF-8 are rejected as such (never stored with replacement characters).
  const lines = input.pipe(new Utf8Lines());
  async function* ndjsonItems(): AsyncGenerator<CsvItem> {
    for await (const text of createInterface({ input: lines, crlfDelay: Infinity })) {
      lineNo++;
      const raw = lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (lines.invalidLines.has(lineNo)) {
        yield { line: lineNo, raw, parsed: { ok: false, code: 'RECORD_ENCODING_INVALID', path: '', message: 'the line is not valid UTF-8 (bytes that are no UTF-8 character are shown as U+FFFD here); save the file as UTF-8' } };
        continue;
      }
      if (raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (err) {
        yield { line: lineNo, raw, parsed: { ok: false, code: 'RECORD_MALFORMED_JSON', path: '', message: `not valid JSON: ${(err as Error).message}` } };
        continue;
      }
      yield { line: lineNo, raw, parsed: { ok: true, record: value as Record<string, unknown> } };
    }
  }
  for await (const item of isCsv ? csvItems(lines, c.catalogue, lines.invalidLines) : ndjsonItems()) {
    const { parsed, line, raw } = item;
    if (parsed === 'header') continue;
    if (!parsed.ok) {
      totals.rejected++;
      reject(line, parsed.code, parsed.path, parsed.message, raw);
      continue;
    }
    batch.push(parsed.record);
    totals.lines++;
    batchLines.push({ line, raw });
    if (batch.length >= batchSize) {
      await flush();
      // Stopped between batches: everything read so far is stored, nothing after it was read.
      if (opts.stop?.requested) {
        totals.interruptedAtLine = line;
        input.destroy();
        break;
      }
    }
  }
  await flush();
  if (ctx.io.isTty && !opts.quiet) process.stderr.write('\n');
  await new Promise<void>((resolve) => (rejects ? (rejects as WriteStream).end(resolve) : resolve()));
  totals.seconds = (performance.now() - started) / 1000;
  return totals;
}

export const ingestCommand: CliCommand = {
  name: 'ingest',
  help: `usage: credence ingest FILE [--rejects PATH] [--batch N] [--json]

FILE holds NDJSON (one JSON object a line) or CSV (FILE ends in .csv; RFC 4180 as Excel
saves it: a UTF-8 byte-order mark, CRLF and quoted fields spanning lines are fine). A CSV
header names the columns: source, sourceRecordId, subject, type, occurredAt, payload (a JSON
object) or payload.FIELD columns, evidence (separated by |), revokes, subjectKind,
subjectName. A payload.FIELD value is typed by the record type's schema: a number field gets
a number, a string field keeps its text ("00123" stays "00123"). Records are validated and stored in batches of --batch (default ${INGEST_BATCH_SIZE});
each batch commits durably. A bad line is reported as FILE:LINE: CODE at FIELD: reason and
written to the rejects file (default FILE.rejects.ndjson); good lines are kept. Running the
same file again adds nothing: records already held are counted as duplicates.

The last line is a summary: accepted, duplicates, rejected, records/s (--json: one JSON
object). On a terminal a progress bar shows the share of the file read, the rate and the
time left. Ctrl-C commits the batch in hand and stops, saying up to which line everything is
stored; running the same command again resumes (what is held counts as duplicates).

exit codes: 0 every line accepted or duplicate; 3 some lines were rejected (the others are
stored); 2 usage; 4 FILE not found; 130 stopped by Ctrl-C (what was read is stored)`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { rejects: { type: 'string' }, batch: { type: 'string' }, json: { type: 'boolean' } });
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError('ingest takes exactly one FILE');
      const batchSize = values.batch ? Number(values.batch) : INGEST_BATCH_SIZE;
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) throw new UsageError('--batch is a whole number from 1 to 50000');
      try {
        await stat(file);
      } catch {
        ctx.io.err(`FILE_NOT_FOUND: ${file}`);
        return EXIT.NOT_FOUND;
      }
      return withCredence(ctx, async (c) => {
        // Ctrl-C: finish and commit the batch in hand, say what is stored, and stop; a second one stops at once.
        const stop = { requested: false };
        const onInt = () => {
          stop.requested = true;
          ctx.io.err('\ninterrupted: committing the batch in hand (Ctrl-C again stops at once, losing only that batch)');
          process.once('SIGINT', () => process.exit(EXIT.INTERRUPTED));
        };
        process.once('SIGINT', onInt);
        let t: IngestTotals;
        try {
          t = await ingestFile(c, file, ctx, { rejectsPath: values.rejects ?? `${file}.rejects.ndjson`, batchSize, stop });
        } finally {
          process.off('SIGINT', onInt);
        }
        const rate = Math.round((t.accepted + t.duplicates + t.rejected) / Math.max(t.seconds, 1e-3));
        if (values.json) ctx.io.out(JSON.stringify({ ...t, recordsPerSecond: rate }));
        else ctx.io.out(`accepted ${t.accepted}, duplicates ${t.duplicates}, rejected ${t.rejected}, ${rate} records/s (${t.seconds.toFixed(1)} s)`);
        if (t.interruptedAtLine !== undefined) {
          ctx.io.err(`stopped after line ${t.interruptedAtLine}: every record up to it is stored (accepted ${t.accepted}, duplicates ${t.duplicates}, rejected ${t.rejected}); run the same command again to resume: records already held count as duplicates`);
          return EXIT.INTERRUPTED;
        }
        return t.rejected > 0 ? EXIT.DATA : EXIT.OK;
      });
    }),
};

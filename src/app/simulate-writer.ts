// Writes a synthetic town as NDJSON, one RecordInput per line, for file import and the
// benchmark. Subjects are not written: each record carries subjectKind/subjectName hints.
// Why a separate file: the simulator stays pure; this is the only place that touches a stream.
// Honours backpressure (waits for 'drain'), so memory stays bounded whatever the size.
import { once } from 'node:events';
import type { RecordInput } from '../domain/types.ts';
import { simulateTown, type TownOptions } from './simulate.ts';

/** Lines are buffered into chunks of about this many characters before each write. */
const CHUNK_CHARS_MAX = 64 * 1024;

/** One line, fields in a fixed order (the RecordInput fields, optional ones only when set). */
export function recordLine(r: RecordInput): string {
  const o: Record<string, unknown> = {
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    subject: r.subject,
    type: r.type,
    occurredAt: r.occurredAt,
    payload: r.payload ?? {},
  };
  if (r.evidence !== undefined) o.evidence = r.evidence;
  if (r.revokes !== undefined) o.revokes = r.revokes;
  if (r.subjectKind !== undefined) o.subjectKind = r.subjectKind;
  if (r.subjectName !== undefined) o.subjectName = r.subjectName;
  return JSON.stringify(o) + '\n';
}

export async function writeTownNdjson(
  o: TownOptions,
  out: NodeJS.WritableStream,
): Promise<{ subjects: number; records: number }> {
  let subjects = 0;
  let records = 0;
  let chunk = '';
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const data = chunk;
    chunk = '';
    if (!out.write(data)) await once(out, 'drain');
  };
  for (const item of simulateTown(o)) {
    if (item.kind === 'subject') {
      subjects++;
      continue;
    }
    records++;
    chunk += recordLine(item.record);
    if (chunk.length >= CHUNK_CHARS_MAX) await flush();
  }
  await flush();
  return { subjects, records };
}

// Workload 8: the ingest screen. Every record's free text (payload strings, evidence) is
// screened against the refused-kinds lexicon before it is stored. Measured per record over
// the simulated town's records, and over 200-character notes in English, German, simplified
// and traditional Chinese, against the ingest limit measured in the same run: workload 2's raw
// better-sqlite3 insert of the same records (same indexes, WAL, synchronous FULL, batches).
// Target: the screen costs at most a tenth of that raw insert, so it cannot become what
// ingest waits on.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { rawIngest } from './ingest-sqlite.ts';
import { screenFreeText } from '../../src/domain/screen.ts';
import { median, type Row } from '../report.ts';
import { timeRuns, townInputs, type BenchOptions } from '../lib/common.ts';
import type { RecordInput } from '../../src/domain/types.ts';

const W = '8 ingest screen';

const NOTES: Array<[string, string]> = [
  ['en', 'The debtor did not pay the electricity bill for three consecutive months despite two written reminders; the utility bureau recorded the arrears and the settlement offer made on 12 March.'],
  ['de', 'Der Schuldner hat die Stromrechnung trotz zweier schriftlicher Mahnungen drei Monate lang nicht bezahlt; das Versorgungsamt hat den Rückstand und das Vergleichsangebot vom 12. März erfasst.'],
  ['zh-Hans', '债务人在两次书面催告后仍连续三个月未缴纳电费，供电部门记录了欠费情况以及三月十二日提出的和解方案。该用户已于四月补缴部分款项，剩余欠款约为一千二百元，双方同意分期偿还。'],
  ['zh-Hant', '債務人在兩次書面催告後仍連續三個月未繳納電費，供電部門記錄了欠費情況以及三月十二日提出的和解方案。該用戶已於四月補繳部分款項，剩餘欠款約為一千二百元，雙方同意分期償還。'],
];

/** Seconds per record of the ingest limit: workload 2's raw insert of these records (same indexes, durable). */
async function rawInsert(file: string, inputs: RecordInput[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(file, { force: true });
    times.push(rawIngest(file, inputs));
  }
  return median(times) / inputs.length;
}

function costRow(name: string, screen: number, raw: number, note: string): Row {
  const limit = raw / 10;
  return {
    workload: W, name, unit: 'µs/record', credence: screen * 1e6, baseline: limit * 1e6, baselineName: 'a tenth of the raw SQLite insert (workload 2), same records',
    ratio: limit / screen, target: '<= 0.1x raw insert', met: screen <= limit, note,
  };
}

export async function run(o: BenchOptions): Promise<Row[]> {
  const inputs = townInputs(Math.max(2000, Math.round(20_000 * o.scale)), 365);
  screenFreeText({ payload: {}, evidence: [] }); // builds the automaton once, outside the timing
  const rows: Row[] = [];
  const raw = await rawInsert(path.join(o.tmpDir, 'screen-raw.db'), inputs, o.runs);
  const screenTown = median(await timeRuns(o.runs, () => {
    for (const r of inputs) if (screenFreeText({ payload: r.payload, evidence: r.evidence ?? [] })) throw new Error(`the screen refused a simulated record: ${JSON.stringify(r.payload)}`);
  })) / inputs.length;
  rows.push(costRow(`screen the simulated town's records (${inputs.length})`, screenTown, raw,
    `${(screenTown * 1e6).toFixed(2)} µs per record screened; a raw insert took ${(raw * 1e6).toFixed(2)} µs per record`));
  for (const [lang, note] of NOTES) {
    const payload = { points: -10, ground: note.slice(0, 200) };
    const n = 5000;
    const s = median(await timeRuns(o.runs, () => { for (let i = 0; i < n; i++) screenFreeText({ payload, evidence: [] }); })) / n;
    rows.push(costRow(`screen a 200-character ground (${lang})`, s, raw,
      `${(s * 1e6).toFixed(2)} µs per ground; long free text is rare in the delivered records (the row above is the typical mix)`));
  }
  return rows;
}

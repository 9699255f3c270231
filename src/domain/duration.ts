// ISO-8601 durations (PnYnMnDTnHnMnS, PnW) added to UTC instants, calendar-aware: P1Y from
// 29 Feb lands on 28 Feb (clamped to the month's last day), as retention periods are read.

export interface Duration {
  years: number;
  months: number;
  days: number;
  ms: number;
}

const RE = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseDuration(text: string): Duration | null {
  const m = RE.exec(text);
  if (!m) return null;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return {
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000,
  };
}

export function addDuration(at: number, d: Duration): number {
  const date = new Date(at);
  const totalMonths = date.getUTCMonth() + d.years * 12 + d.months;
  const year = date.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  const shifted = Date.UTC(
    year,
    month,
    day,
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return shifted + d.days * 86_400_000 + d.ms;
}

export const DAY_MS = 86_400_000;

/**
 * `at` plus `n` working days (Monday to Friday, UTC): the same time of day on the n-th
 * weekday after `at`'s day. Public holidays are not known, so the result is never later than
 * a deadline that also skips them.
 */
export function addWorkingDays(at: number, n: number): number {
  let t = at;
  for (let left = n; left > 0; ) {
    t += DAY_MS;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return t;
}

/** Parse an ISO date (YYYY-MM-DD, taken as 00:00 UTC) or date-time with zone; null if invalid. */
export function parseInstant(text: string): number | null {
  if (typeof text !== 'string' || text.length > 40) return null;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) {
    const [y, mo, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
    return t;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const t = Date.parse(text);
  if (Number.isNaN(t)) return null;
  // Reject impossible calendar dates that Date.parse rolls over (e.g. 2023-02-30).
  const datePart = text.slice(0, 10);
  if (parseInstant(datePart) === null) return null;
  return t;
}

export const iso = (t: number): string => new Date(t).toISOString();
/** An optional instant (null: not set) as ISO-8601. */
export const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t));
export const isoDate = (t: number): string => new Date(t).toISOString().slice(0, 10);

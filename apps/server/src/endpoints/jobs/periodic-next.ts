// A periodic job's next launch (Nomad's PeriodicConfig.Next with hashicorp/cronexpr), for a job
// plan's NextPeriodicLaunch. Cron specs of 5, 6 or 7 fields ([seconds] minutes hours
// day-of-month month day-of-week [year]) and the @yearly ... @hourly macros; `*`, `?`, lists,
// ranges, steps, month and weekday names, `L` (last day of the month), `xL` (last weekday x of
// the month) and `x#n` (the n-th weekday x). The `W` forms are refused. Times are searched in the
// job's TimeZone, second by matching field, up to the year 2099 as cronexpr does.
import type { PeriodicConfig } from '@berth/contract';
import { TimeSlice } from '../time-slice.js';

/** Go's zero time, what Nomad answers when nothing is due. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 * *',
  '@annually': '0 0 0 1 1 * *',
  '@monthly': '0 0 0 1 * * *',
  '@weekly': '0 0 0 * * 0 *',
  '@daily': '0 0 0 * * * *',
  '@midnight': '0 0 0 * * * *',
  '@hourly': '0 0 * * * * *',
};

const MAX_YEAR = 2099;

/** A cron spec that cannot be parsed. */
export class CronSpecError extends Error {}

interface DaySpec {
  /** Any day (the field was `*` or `?`). */
  any: boolean;
  days: Set<number>;
  /** Day of month: `L`. */
  last: boolean;
  /** Day of week: `xL`, the last weekday x of the month. */
  lastOf: Set<number>;
  /** Day of week: `x#n`. */
  nth: { day: number; n: number }[];
}

interface Cron {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  dom: DaySpec;
  months: Set<number>;
  dow: DaySpec;
  years: Set<number>;
}

function value(text: string, names: readonly string[] | undefined, offset: number): number {
  const upper = text.toUpperCase();
  const named = names?.indexOf(upper.slice(0, 3)) ?? -1;
  if (names && named >= 0 && upper.length === 3) return named + offset;
  if (!/^\d{1,4}$/.test(text)) throw new CronSpecError(`syntax error in '${text}'`);
  return Number(text);
}

/** One field's values within [min, max]; `names` map JAN.. or SUN.. onto numbers. */
function parseField(
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
  nameOffset = 0,
): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : value(stepText, undefined, 0);
    if (step < 1) throw new CronSpecError(`syntax error in '${part}'`);
    let from: number;
    let to: number;
    if (range === '*' || range === '?') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [value(a, names, nameOffset), value(b, names, nameOffset)];
    } else {
      from = value(range, names, nameOffset);
      to = stepText === undefined ? from : max;
    }
    if (from < min || to > max || from > to) {
      throw new CronSpecError(`value out of range in '${part}'`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function parseDays(field: string, weekday: boolean): DaySpec {
  const spec: DaySpec = {
    any: field === '*' || field === '?',
    days: new Set(),
    last: false,
    lastOf: new Set(),
    nth: [],
  };
  if (spec.any) return spec;
  const plain: string[] = [];
  for (const part of field.split(',')) {
    const upper = part.toUpperCase();
    if (upper.includes('W')) throw new CronSpecError(`unsupported 'W' in '${part}'`);
    if (!weekday && upper === 'L') spec.last = true;
    else if (weekday && /^[^#]+L$/.test(upper)) {
      spec.lastOf.add(value(part.slice(0, -1), DAYS, 0) % 7);
    } else if (weekday && part.includes('#')) {
      const [day = '', n = ''] = part.split('#');
      const nth = value(n, undefined, 0);
      if (nth < 1 || nth > 5) throw new CronSpecError(`value out of range in '${part}'`);
      spec.nth.push({ day: value(day, DAYS, 0) % 7, n: nth });
    } else plain.push(part);
  }
  if (plain.length > 0) {
    const values = weekday
      ? parseField(plain.join(','), 0, 7, DAYS)
      : parseField(plain.join(','), 1, 31);
    for (const v of values) spec.days.add(weekday ? v % 7 : v);
  }
  return spec;
}

/** Parses a cron spec as cronexpr does; throws CronSpecError. */
export function parseCron(spec: string): Cron {
  const trimmed = spec.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/);
  // Five fields: no seconds (0) and any year; six: no seconds.
  const five = fields.length === 5;
  if (five || fields.length === 6) fields.unshift('0');
  if (five) fields.push('*');
  if (fields.length !== 7) {
    throw new CronSpecError(`missing field(s) in '${spec}'`);
  }
  const [s, m, h, dom, month, dow, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    seconds: parseField(s, 0, 59),
    minutes: parseField(m, 0, 59),
    hours: parseField(h, 0, 23),
    dom: parseDays(dom, false),
    months: parseField(month, 1, 12, MONTHS, 1),
    dow: parseDays(dow, true),
    years: parseField(year, 1970, MAX_YEAR),
  };
}

/** Whether a day (UTC fields of a wall-clock date) is one the spec runs on. */
function dayMatches(cron: Cron, y: number, m: number, d: number): boolean {
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const weekday = new Date(Date.UTC(y, m, d)).getUTCDay();
  const domHit = cron.dom.days.has(d) || (cron.dom.last && d === lastDay);
  const dowHit =
    cron.dow.days.has(weekday) ||
    (cron.dow.lastOf.has(weekday) && d + 7 > lastDay) ||
    cron.dow.nth.some((x) => x.day === weekday && Math.ceil(d / 7) === x.n);
  // As crontab(5): when both are restricted, either one matching is enough.
  if (cron.dom.any && cron.dow.any) return true;
  if (cron.dom.any) return dowHit;
  if (cron.dow.any) return domHit;
  return domHit || dowHit;
}

/** The first wall-clock second after `fromWall` (ms, wall time as UTC) the spec matches. */
function nextWall(cron: Cron, fromWall: number): number | undefined {
  let t = Math.floor(fromWall / 1000) * 1000 + 1000;
  // Every step jumps to the start of the next unit that can match: a few per day at most, and a
  // day that never matches is passed in one step, so a spec takes a few thousand steps at worst.
  for (let steps = 0; steps < 200_000; steps++) {
    const at = new Date(t);
    const [y, mo, d] = [at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()];
    const [h, mi, s] = [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()];
    if (y > MAX_YEAR) return undefined;
    if (!cron.years.has(y)) t = Date.UTC(y + 1, 0, 1);
    else if (!cron.months.has(mo + 1)) t = Date.UTC(y, mo + 1, 1);
    else if (!dayMatches(cron, y, mo, d)) t = Date.UTC(y, mo, d + 1);
    else if (!cron.hours.has(h)) t = Date.UTC(y, mo, d, h + 1);
    else if (!cron.minutes.has(mi)) t = Date.UTC(y, mo, d, h, mi + 1);
    else if (!cron.seconds.has(s)) t = Date.UTC(y, mo, d, h, mi, s + 1);
    else return t;
  }
  return undefined;
}

/** The wall clock of `zone` at `instant`, as milliseconds of a UTC date with those fields. */
function wallOf(instant: number, zone: Intl.DateTimeFormat): number {
  const parts: Record<string, number> = {};
  for (const p of zone.formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour % 24, minute, second);
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** Go's RFC 3339 for `instant` at `offsetMs` from UTC (`Z` when the offset is zero). */
function rfc3339(instant: number, offsetMs: number): string {
  const wall = new Date(instant + offsetMs).toISOString().slice(0, 19);
  if (offsetMs === 0) return `${wall}Z`;
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${wall}${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}

/**
 * The next launch after `now` (ms) of a periodic config, RFC 3339 in its TimeZone, or Go's zero
 * time when it has none (not enabled, not a cron spec, nothing due before 2100). Throws
 * CronSpecError for a spec that does not parse or RangeError for an unknown time zone. `Specs`
 * may be long (the request's): the event loop runs between slices of them.
 */
export async function nextPeriodicLaunch(
  periodic: PeriodicConfig | null,
  now: number,
): Promise<string> {
  if (periodic === null || !periodic.Enabled) return ZERO_TIME;
  if (periodic.SpecType !== '' && periodic.SpecType !== 'cron') return ZERO_TIME;
  const specs = periodic.Spec !== '' ? [periodic.Spec] : (periodic.Specs ?? []);
  const zone = zoneFormat(periodic.TimeZone || 'UTC');
  // The earliest wall time of all the specs (the wall clock only goes back at a DST change).
  const from = wallOf(now, zone);
  let earliest: number | undefined;
  const slice = new TimeSlice();
  for (const spec of specs) {
    await slice.maybeYield();
    const wall = nextWall(parseCron(spec), from);
    if (wall !== undefined && (earliest === undefined || wall < earliest)) earliest = wall;
  }
  if (earliest === undefined) return ZERO_TIME;
  // The instant of that wall time: its offset, checked once more across a DST change.
  let best = earliest - (wallOf(earliest, zone) - earliest);
  best = earliest - (wallOf(best, zone) - best);
  return rfc3339(best, wallOf(best, zone) - best);
}

// The next launch of a periodic job, as Nomad's PeriodicConfig.Next (hashicorp/cronexpr) gives it.
import type { PeriodicConfig } from '@berth/contract';
import { expect, test } from 'vitest';
import { CronSpecError, nextPeriodicLaunch, ZERO_TIME } from './periodic-next.js';

const periodic = (spec: string, more: Partial<PeriodicConfig> = {}): PeriodicConfig => ({
  Enabled: true,
  Spec: spec,
  Specs: null,
  SpecType: 'cron',
  ProhibitOverlap: false,
  TimeZone: 'UTC',
  ...more,
});

// Wednesday 2026-12-02 10:20:30.5 UTC (05:20 in New York, 15:50 in Kolkata).
const NOW = Date.UTC(2026, 11, 2, 10, 20, 30, 500);
const next = (spec: string, more?: Partial<PeriodicConfig>) =>
  nextPeriodicLaunch(periodic(spec, more), NOW);

test('five-field specs, macros, names, lists, ranges and steps', async () => {
  expect(await next('*/15 * * * *')).toBe('2026-12-02T10:30:00Z');
  expect(await next('0 3 * * *')).toBe('2026-12-03T03:00:00Z');
  expect(await next('@hourly')).toBe('2026-12-02T11:00:00Z');
  expect(await next('@daily')).toBe('2026-12-03T00:00:00Z');
  expect(await next('@weekly')).toBe('2026-12-06T00:00:00Z');
  expect(await next('@yearly')).toBe('2027-01-01T00:00:00Z');
  expect(await next('30 9 * * MON-FRI')).toBe('2026-12-03T09:30:00Z');
  expect(await next('0 0 1 JAN,jul *')).toBe('2027-01-01T00:00:00Z');
  expect(await next('0 12 * * 7')).toBe('2026-12-06T12:00:00Z');
});

test('seconds and years fields; nothing due is the zero time', async () => {
  expect(await next('45 20 10 * * * *')).toBe('2026-12-02T10:20:45Z');
  expect(await next('0 0 1 1 * 2030')).toBe('2030-01-01T00:00:00Z');
  expect(await next('0 0 1 1 * 2020')).toBe(ZERO_TIME);
  expect(await next('0 0 30 2 *')).toBe(ZERO_TIME);
});

test('L, xL and x#n; day of month or of week when both are given', async () => {
  expect(await next('0 0 L * *')).toBe('2026-12-31T00:00:00Z');
  expect(await next('0 0 * * 5L')).toBe('2026-12-25T00:00:00Z');
  expect(await next('0 0 * * 1#2')).toBe('2026-12-14T00:00:00Z');
  expect(await next('0 0 15 * MON')).toBe('2026-12-07T00:00:00Z');
});

test("the job's time zone: the wall clock there, with its offset", async () => {
  expect(await next('0 9 * * *', { TimeZone: 'America/New_York' })).toBe(
    '2026-12-02T09:00:00-05:00',
  );
  expect(await next('0 9 * * *', { TimeZone: 'Asia/Kolkata' })).toBe('2026-12-03T09:00:00+05:30');
  expect(await next('0 9 * * *', { TimeZone: 'Europe/London' })).toBe('2026-12-03T09:00:00Z');
});

test('the earliest of several specs; disabled or non-periodic is the zero time', async () => {
  expect(await next('', { Specs: ['0 9 * * *', '0 11 * * *'] })).toBe('2026-12-02T11:00:00Z');
  expect(await next('* * * * *', { Enabled: false })).toBe(ZERO_TIME);
  expect(await nextPeriodicLaunch(null, NOW)).toBe(ZERO_TIME);
});

test('a spec that does not parse, or an unknown zone, throws', async () => {
  await expect(next('* * *')).rejects.toThrow(CronSpecError);
  await expect(next('61 * * * *')).rejects.toThrow(CronSpecError);
  await expect(next('0 0 1W * *')).rejects.toThrow(CronSpecError);
  await expect(next('* * * * *', { TimeZone: 'Mars/Olympus' })).rejects.toThrow(RangeError);
});

test('a long list of specs lets the event loop run between slices', async () => {
  const specs = Array.from({ length: 5_000 }, (_, i) => `${i % 60} 0 29 2 * 2096`);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const answer = await next('', { Specs: specs });
  clearInterval(timer);
  expect(answer).toBe('2096-02-29T00:00:00Z');
  expect(ticks).toBeGreaterThan(0);
});

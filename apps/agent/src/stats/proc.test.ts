import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  mountOf,
  parseCpuTimes,
  parseMeminfo,
  parseMounts,
  parseProcessMemory,
  parseProcessStat,
  parseUptime,
  processGroupMembers,
} from './proc.js';

// A real /proc/<pid>/stat line, its command name holding a space and a ')'.
const STAT =
  '4242 (we) ird) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 37 0 0 20 0 3 0 987654 ' +
  '123456789 2048 18446744073709551615 1 1 0 0 0 0 0 4096 17 0 0 0 0 0 0\n';

test('a process stat: state, group, user and system ticks, start time', () => {
  expect(parseProcessStat(STAT)).toEqual({
    state: 'S',
    pgrp: 4242,
    utime: 150,
    stime: 37,
    startTime: 987654,
  });
  expect(parseProcessStat('garbage')).toBeUndefined();
  expect(parseProcessStat('1 (x) R 1 x')).toBeUndefined();
});

test('a process status: VmRSS and VmSwap in bytes; none is 0', () => {
  const status = 'Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   51200 kB\nVmSwap:\t      12 kB\n';
  expect(parseProcessMemory(status)).toEqual({ rss: 51200 * 1024, swap: 12 * 1024 });
  // A kernel thread has no Vm* lines.
  expect(parseProcessMemory('Name:\tkthreadd\nState:\tS (sleeping)\n')).toEqual({
    rss: 0,
    swap: 0,
  });
});

test('meminfo: total, available, free, and used without buffers and caches', () => {
  const meminfo = [
    'MemTotal:       16000000 kB',
    'MemFree:         2000000 kB',
    'MemAvailable:    9000000 kB',
    'Buffers:          500000 kB',
    'Cached:          6000000 kB',
    'SwapCached:            0 kB',
    'SReclaimable:     300000 kB',
  ].join('\n');
  expect(parseMeminfo(meminfo)).toEqual({
    total: 16000000 * 1024,
    available: 9000000 * 1024,
    free: 2000000 * 1024,
    used: (16000000 - 2000000 - 500000 - 6000000 - 300000) * 1024,
  });
});

test('cpu times: one entry per CPU, the summary line skipped, busy without idle', () => {
  const stat = [
    'cpu  300 10 200 5000 40 0 6 0 0 0',
    'cpu0 100 5 100 2500 20 0 3 0 0 0',
    'cpu1 200 5 100 2500 20 0 3 0 0 0',
    'intr 12345 0 0',
    'ctxt 99',
  ].join('\n');
  expect(parseCpuTimes(stat)).toEqual([
    { cpu: 'cpu0', user: 100, system: 100, idle: 2500, busy: 100 + 5 + 100 + 20 + 3 },
    { cpu: 'cpu1', user: 200, system: 100, idle: 2500, busy: 200 + 5 + 100 + 20 + 3 },
  ]);
});

test('uptime: whole seconds; nonsense is 0', () => {
  expect(parseUptime('35035.62 69123.45\n')).toBe(35035);
  expect(parseUptime('')).toBe(0);
});

test('mounts: the longest mount point holding a path, escapes decoded', () => {
  const mounts = parseMounts(
    [
      '/dev/sda1 / ext4 rw 0 0',
      'tmpfs /tmp tmpfs rw 0 0',
      '/dev/sdb1 /data\\040dir xfs rw 0 0',
    ].join('\n'),
  );
  expect(mountOf(mounts, '/data dir/berth')).toEqual({
    device: '/dev/sdb1',
    mountpoint: '/data dir',
  });
  expect(mountOf(mounts, '/tmpx/a')?.mountpoint).toBe('/');
  expect(mountOf(mounts, '/tmp')?.mountpoint).toBe('/tmp');
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function fakeProcess(proc: string, pid: number, pgrp: number, state: string, rssKb: number) {
  mkdirSync(join(proc, String(pid)));
  writeFileSync(
    join(proc, String(pid), 'stat'),
    `${pid} (sh) ${state} 1 ${pgrp} ${pgrp} 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 100 0 0`,
  );
  writeFileSync(join(proc, String(pid), 'status'), `Name:\tsh\nVmRSS:\t${rssKb} kB\n`);
}

test("a group's members: every live process with that group, zombies and others left out", () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-proc-'));
  fakeProcess(dir, 10, 10, 'S', 100);
  fakeProcess(dir, 11, 10, 'R', 200);
  fakeProcess(dir, 12, 10, 'Z', 0);
  fakeProcess(dir, 20, 20, 'S', 300);
  mkdirSync(join(dir, 'self'));
  const groups = processGroupMembers(new Set([10, 30]), dir);
  expect(
    groups
      .get(10)
      ?.map((m) => [m.pid, m.memory.rss])
      .sort(),
  ).toEqual([
    [10, 100 * 1024],
    [11, 200 * 1024],
  ]);
  expect(groups.get(30)).toEqual([]);
  expect(groups.has(20)).toBe(false);
});

test('the real /proc: this process is among its group, with memory', () => {
  const self = parseProcessStat(readFileSync('/proc/self/stat', 'utf8'));
  expect(self).toBeDefined();
  const pgrp = self?.pgrp ?? -1;
  const me = processGroupMembers(new Set([pgrp]))
    .get(pgrp)
    ?.find((m) => m.pid === process.pid);
  expect(me?.memory.rss).toBeGreaterThan(0);
});

import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Driver } from '../drivers/driver.js';
import { fingerprintNode } from './node.js';

const fakeDriver = (name: string, healthy: boolean): Driver =>
  ({
    name,
    fingerprint: () => ({
      detected: true,
      healthy,
      healthDescription: healthy ? 'Healthy' : 'broken',
      attributes: { [`driver.${name}.version`]: '1.0' },
    }),
  }) as unknown as Driver;

describe('fingerprintNode', () => {
  it('reports the host attributes and resources a scheduler constrains on', () => {
    const fp = fingerprintNode(tmpdir(), []);
    for (const key of [
      'kernel.name',
      'kernel.version',
      'os.name',
      'cpu.arch',
      'cpu.numcores',
      'cpu.totalcompute',
      'memory.totalbytes',
      'unique.hostname',
      'unique.network.ip-address',
      'berth.version',
    ]) {
      expect(fp.Attributes[key], key).toBeTruthy();
    }
    const cores = Number(fp.Attributes['cpu.numcores']);
    expect(fp.NodeResources.Cpu.CpuShares).toBe(cores * Number(fp.Attributes['cpu.frequency']));
    expect(fp.NodeResources.Memory.MemoryMB).toBe(
      Math.floor(Number(fp.Attributes['memory.totalbytes']) / 1024 / 1024),
    );
    expect(fp.NodeResources.Disk.DiskMB).toBeGreaterThan(0);
  });

  it('sets driver.<name> for healthy drivers only, and lists every driver', () => {
    const fp = fingerprintNode(tmpdir(), [fakeDriver('raw_exec', true), fakeDriver('mock', false)]);
    expect(fp.Attributes['driver.raw_exec']).toBe('1');
    expect(fp.Attributes['driver.mock']).toBeUndefined();
    expect(fp.Attributes['driver.raw_exec.version']).toBe('1.0');
    expect(fp.Drivers.raw_exec).toMatchObject({ Detected: true, Healthy: true });
    expect(fp.Drivers.mock).toMatchObject({ Healthy: false, HealthDescription: 'broken' });
  });
});

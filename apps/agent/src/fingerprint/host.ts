// The host part of Nomad's client fingerprinting (client/fingerprint: arch, cpu, host, memory,
// network, storage): node attributes and resources read from this machine.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { NodeResources } from '@berth/contract';

/** The version berth reports as `berth.version` (and `nomad.version`, which jobs constrain on). */
export const BERTH_VERSION = '0.1.0';

/** The first non-internal IPv4 address, else loopback (Nomad's network fingerprint). */
export function hostIP(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** `os.release()` on Linux is the kernel version; the OS name comes from /etc/os-release. */
function osRelease(): { name: string; version: string } {
  try {
    const info = os.type() === 'Linux' ? readOsRelease() : {};
    return {
      name: info.ID ?? os.type().toLowerCase(),
      version: info.VERSION_ID ?? os.release(),
    };
  } catch {
    return { name: os.type().toLowerCase(), version: os.release() };
  }
}

function readOsRelease(): Record<string, string> {
  const text = readFileSync('/etc/os-release', 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return out;
}

/** Disk space of the filesystem holding `dir`, in MB (0 when it cannot be read). */
function diskMB(dir: string): { total: number; free: number } {
  try {
    const s = statfsSync(dir);
    return {
      total: Math.floor((s.blocks * s.bsize) / 1024 / 1024),
      free: Math.floor((s.bavail * s.bsize) / 1024 / 1024),
    };
  } catch {
    return { total: 0, free: 0 };
  }
}

export interface HostFingerprint {
  attributes: Record<string, string>;
  resources: NodeResources;
}

/** Reads the host: attributes as Nomad names them, and the resources allocations may use. */
export function fingerprintHost(dataDir: string): HostFingerprint {
  const cpus = os.cpus();
  const cores = Math.max(cpus.length, os.availableParallelism());
  // Some virtual machines report 0 MHz; Nomad then falls back to a default too.
  const mhz = cpus.find((c) => c.speed > 0)?.speed ?? 1000;
  const totalCompute = cores * mhz;
  const memBytes = os.totalmem();
  const disk = diskMB(dataDir);
  const release = osRelease();
  const hostname = os.hostname();
  const attributes: Record<string, string> = {
    'kernel.name': os.type().toLowerCase(),
    'kernel.version': os.release(),
    'kernel.arch': os.arch(),
    'os.name': release.name,
    'os.version': release.version,
    'cpu.arch': os.arch() === 'x64' ? 'amd64' : os.arch(),
    'cpu.numcores': String(cores),
    'cpu.totalcompute': String(totalCompute),
    'cpu.frequency': String(mhz),
    'cpu.modelname': cpus[0]?.model ?? '',
    'memory.totalbytes': String(memBytes),
    'unique.hostname': hostname,
    'unique.network.ip-address': hostIP(),
    'unique.storage.volume': dataDir,
    'unique.storage.bytestotal': String(disk.total * 1024 * 1024),
    'unique.storage.bytesfree': String(disk.free * 1024 * 1024),
    'berth.version': BERTH_VERSION,
    'nomad.version': BERTH_VERSION,
  };
  return {
    attributes,
    resources: {
      Cpu: { CpuShares: totalCompute, TotalCpuCores: cores, ReservableCpuCores: [] },
      Memory: { MemoryMB: Math.floor(memBytes / 1024 / 1024) },
      Disk: { DiskMB: disk.free },
      // Berth detects no CPU topology, devices or host network interfaces.
      Processors: { Topology: null },
      Devices: null,
      NodeNetworks: null,
      Networks: [],
      MinDynamicPort: 20000,
      MaxDynamicPort: 32000,
    },
  };
}

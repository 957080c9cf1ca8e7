// What a registering node says it offers, checked before the scheduler relies on it (berth's own
// check; Nomad trusts its clients). The contract has already checked every number as its Go type
// (int64 amounts, int ports...); this refuses the values Go takes but that make no sense for a
// machine: a negative amount (a negative disk would even lift the disk check), an amount the
// scheduler cannot add exactly, more reserved than the node has, a port outside 0..65535.
import { formatGoInt, type NodeRegistration, type NetworkResource } from '@berth/contract';

/**
 * The largest CPU (MHz), memory or disk (MB) amount a node may report: the scheduler adds and
 * subtracts amounts as doubles, exact up to 2^53 - 1.
 */
export const MAX_NODE_AMOUNT = Number.MAX_SAFE_INTEGER;

/** The largest port number (TCP and UDP). */
export const MAX_PORT = 65535;

/** The amounts both a node's resources and its reserved resources have. */
interface Amounts {
  Cpu: { CpuShares: number };
  Memory: { MemoryMB: number };
  Disk: { DiskMB: number };
}

const DIMENSIONS = [
  ['Cpu.CpuShares', (r: Amounts) => r.Cpu.CpuShares],
  ['Memory.MemoryMB', (r: Amounts) => r.Memory.MemoryMB],
  ['Disk.DiskMB', (r: Amounts) => r.Disk.DiskMB],
] as const;

const outside = (field: string, value: number, min: number, max: number): string[] =>
  value < min || value > max
    ? [`${field} must be between ${min} and ${max}; got ${formatGoInt(value)}`]
    : [];

/** The problems of a network's throughput and ports. */
function networkProblems(network: NetworkResource, where: string): string[] {
  const problems = outside(`${where}.MBits`, network.MBits, 0, MAX_NODE_AMOUNT);
  for (const kind of ['ReservedPorts', 'DynamicPorts'] as const) {
    (network[kind] ?? []).forEach((port, i) => {
      problems.push(...outside(`${where}.${kind}[${i}].Value`, port.Value, 0, MAX_PORT));
      // -1 maps the host port to the same port inside (Nomad's convention).
      problems.push(...outside(`${where}.${kind}[${i}].To`, port.To, -1, MAX_PORT));
    });
  }
  return problems;
}

/** At most this many problems are listed (a body may carry thousands of bad ports). */
export const MAX_LISTED_PROBLEMS = 10;

/**
 * The problems of a registration's resources, in field order (the first
 * {@link MAX_LISTED_PROBLEMS}, then how many more); empty when they are sound.
 */
export function nodeResourceProblems(node: NodeRegistration): string[] {
  const problems = allProblems(node);
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  const more = problems.length - MAX_LISTED_PROBLEMS;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `and ${more} more`];
}

function allProblems(node: NodeRegistration): string[] {
  const problems: string[] = [];
  const resources = node.NodeResources;
  const reserved = node.ReservedResources;
  for (const [name, amount] of DIMENSIONS) {
    const total = resources ? amount(resources) : 0;
    const kept = reserved ? amount(reserved) : 0;
    if (resources) {
      problems.push(...outside(`NodeResources.${name}`, total, 0, MAX_NODE_AMOUNT));
    }
    if (reserved) {
      problems.push(...outside(`ReservedResources.${name}`, kept, 0, MAX_NODE_AMOUNT));
    }
    if (kept > 0 && kept > total) {
      problems.push(
        `ReservedResources.${name} (${formatGoInt(kept)}) is more than NodeResources.${name} (${formatGoInt(total)})`,
      );
    }
  }
  if (resources) {
    const { MinDynamicPort: min, MaxDynamicPort: max } = resources;
    problems.push(...outside('NodeResources.MinDynamicPort', min, 0, MAX_PORT));
    problems.push(...outside('NodeResources.MaxDynamicPort', max, 0, MAX_PORT));
    if (min > 0 && max > 0 && min > max) {
      problems.push(`NodeResources.MinDynamicPort (${min}) is more than MaxDynamicPort (${max})`);
    }
    (resources.Networks ?? []).forEach((network, i) => {
      problems.push(...networkProblems(network, `NodeResources.Networks[${i}]`));
    });
  }
  return problems;
}

import { NodeRegistrationSchema, type NodeRegistration } from '@berth/contract';
import { describe, expect, test } from 'vitest';
import { mockNode } from '../../test-support/mock.js';
import { MAX_LISTED_PROBLEMS, nodeResourceProblems } from './node-resources.js';

type Json = Record<string, unknown>;

/** A registration with these resources (and reserved resources), as the contract parses it. */
const node = (NodeResources: Json | null, ReservedResources: Json | null = null) =>
  NodeRegistrationSchema.parse({
    ...mockNode(),
    SecretID: '0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
    NodeResources,
    ReservedResources,
  });

const between = (field: string, min: number, max: number, got: string) =>
  `${field} must be between ${min} and ${max}; got ${got}`;
const SAFE = Number.MAX_SAFE_INTEGER;

describe('nodeResourceProblems', () => {
  test('a typical node, and one that reports nothing, are sound', () => {
    expect(nodeResourceProblems(mockNode() as NodeRegistration)).toEqual([]);
    expect(nodeResourceProblems(node(null))).toEqual([]);
    expect(
      nodeResourceProblems(
        node(
          {
            Cpu: { CpuShares: 4000 },
            Memory: { MemoryMB: 8192 },
            MinDynamicPort: 20000,
            MaxDynamicPort: 32000,
          },
          { Cpu: { CpuShares: 4000 }, Memory: { MemoryMB: 512 } },
        ),
      ),
    ).toEqual([]);
  });

  test('negative amounts, amounts past 2^53 - 1, and more reserved than there is', () => {
    expect(
      nodeResourceProblems(
        node(
          { Cpu: { CpuShares: -1 }, Memory: { MemoryMB: 2 ** 62 }, Disk: { DiskMB: 100 } },
          { Memory: { MemoryMB: -5 }, Disk: { DiskMB: 101 } },
        ),
      ),
    ).toEqual([
      between('NodeResources.Cpu.CpuShares', 0, SAFE, '-1'),
      between('NodeResources.Memory.MemoryMB', 0, SAFE, '4611686018427387904'),
      between('ReservedResources.Memory.MemoryMB', 0, SAFE, '-5'),
      'ReservedResources.Disk.DiskMB (101) is more than NodeResources.Disk.DiskMB (100)',
    ]);
  });

  test('dynamic port range and network ports within 0..65535', () => {
    expect(
      nodeResourceProblems(
        node({
          MinDynamicPort: 70000,
          MaxDynamicPort: 20000,
          Networks: [
            {
              MBits: -1,
              ReservedPorts: [
                { Value: 22, To: -1 },
                { Value: 65536, To: -2 },
              ],
            },
          ],
        }),
      ),
    ).toEqual([
      between('NodeResources.MinDynamicPort', 0, 65535, '70000'),
      'NodeResources.MinDynamicPort (70000) is more than MaxDynamicPort (20000)',
      between('NodeResources.Networks[0].MBits', 0, SAFE, '-1'),
      between('NodeResources.Networks[0].ReservedPorts[1].Value', 0, 65535, '65536'),
      between('NodeResources.Networks[0].ReservedPorts[1].To', -1, 65535, '-2'),
    ]);
  });

  test('thousands of bad ports list the first few and how many more', () => {
    const ports = Array.from({ length: 5000 }, () => ({ Value: -1 }));
    const problems = nodeResourceProblems(node({ Networks: [{ DynamicPorts: ports }] }));
    expect(problems).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(problems.at(-1)).toBe(`and ${5000 - MAX_LISTED_PROBLEMS} more`);
  });
});

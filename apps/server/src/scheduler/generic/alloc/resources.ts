// What a task group asks for and what an allocation of it is given, in the dimensions the
// binpacker checks (Nomad's ComparableResources, flattened): CPU shares, memory and ephemeral disk.
// What an allocation holds once placed is ../../capacity.ts.
import type {
  AllocatedResources,
  AllocatedTaskResources,
  Resources,
  TaskGroup,
} from '@berth/contract';
import { AllocatedTaskResourcesSchema, ResourcesSchema } from '@berth/contract';
import type { ResourceAmounts } from '../../capacity.js';

/** Nomad's defaults for a task that declares no resources (structs.DefaultResources). */
const DEFAULT_CPU = 100;
const DEFAULT_MEMORY_MB = 300;

/** The CPU and memory a task asks for. */
export function taskAsk(resources: Resources | null): { cpu: number; memoryMB: number } {
  if (resources === null) return { cpu: DEFAULT_CPU, memoryMB: DEFAULT_MEMORY_MB };
  return { cpu: resources.CPU, memoryMB: resources.MemoryMB };
}

/** The sum of a group's task asks, and its ephemeral disk. */
export function groupAsk(tg: TaskGroup): ResourceAmounts {
  let cpu = 0;
  let memoryMB = 0;
  for (const task of tg.Tasks ?? []) {
    const ask = taskAsk(task.Resources);
    cpu += ask.cpu;
    memoryMB += ask.memoryMB;
  }
  return { cpu, memoryMB, diskMB: tg.EphemeralDisk?.SizeMB ?? 0 };
}

/** The resources an allocation of `tg` is given, in the current and the legacy shapes. */
export interface GroupResources {
  allocated: AllocatedResources;
  taskResources: Record<string, Resources>;
  resources: Resources;
  sharedResources: Resources;
}

/**
 * Builds the resources of one allocation of `tg`. Task networks are kept from `keep` (an in-place
 * update keeps its ports); otherwise none are assigned.
 */
export function groupResources(tg: TaskGroup, keep?: AllocatedResources | null): GroupResources {
  const tasks: Record<string, AllocatedTaskResources> = {};
  const lifecycles: AllocatedResources['TaskLifecycles'] = {};
  const taskResources: Record<string, Resources> = {};
  let cpu = 0;
  let memoryMB = 0;
  const diskMB = tg.EphemeralDisk?.SizeMB ?? 0;
  for (const task of tg.Tasks ?? []) {
    const ask = taskAsk(task.Resources);
    const networks = keep?.Tasks?.[task.Name]?.Networks ?? null;
    tasks[task.Name] = AllocatedTaskResourcesSchema.parse({
      Cpu: { CpuShares: ask.cpu },
      Memory: { MemoryMB: ask.memoryMB, MemoryMaxMB: task.Resources?.MemoryMaxMB ?? 0 },
      Networks: networks,
    });
    lifecycles[task.Name] = task.Lifecycle;
    taskResources[task.Name] = ResourcesSchema.parse({
      CPU: ask.cpu,
      MemoryMB: ask.memoryMB,
      MemoryMaxMB: task.Resources?.MemoryMaxMB ?? 0,
      Networks: networks,
    });
    cpu += ask.cpu;
    memoryMB += ask.memoryMB;
  }
  const sharedNetworks = keep?.Shared.Networks ?? null;
  const allocated: AllocatedResources = {
    Tasks: tasks,
    TaskLifecycles: lifecycles,
    Shared: { Networks: sharedNetworks, DiskMB: diskMB, Ports: keep?.Shared.Ports ?? null },
  };
  return {
    allocated,
    taskResources,
    resources: ResourcesSchema.parse({ CPU: cpu, MemoryMB: memoryMB, DiskMB: diskMB }),
    sharedResources: ResourcesSchema.parse({ DiskMB: diskMB, Networks: sharedNetworks }),
  };
}

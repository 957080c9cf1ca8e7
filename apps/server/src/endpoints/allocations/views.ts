// The two wire views of a stored allocation: the list stub (Nomad's Allocation.Stub) and the read
// body (with Nomad's read-time post-processing). Stored objects are immutable, so each view is
// built once per allocation version and reused by every later request.
import {
  AllocationSchema,
  taskEventDisplayMessage,
  type AllocatedResources,
  type Allocation,
  type AllocListStub,
  type TaskState,
} from '@berth/contract';
import { jobWireView } from '../jobs/views.js';
import { withStoredDefaults } from '../stored-defaults.js';

/** Which optional parts a list stub carries (`resources`, `task_states`). */
export interface StubFields {
  resources: boolean;
  taskStates: boolean;
}

interface Views {
  read?: Allocation;
  stubs: (AllocListStub | undefined)[];
}

const cache = new WeakMap<Allocation, Views>();

function viewsOf(alloc: Allocation): Views {
  let views = cache.get(alloc);
  if (!views) {
    views = { stubs: [] };
    cache.set(alloc, views);
  }
  return views;
}

/** The list stub of an allocation, with `TaskStates` and `AllocatedResources` as asked. */
export function allocStub(alloc: Allocation, fields: StubFields): AllocListStub {
  const views = viewsOf(alloc);
  const slot = (fields.resources ? 2 : 0) + (fields.taskStates ? 1 : 0);
  return (views.stubs[slot] ??= buildStub(alloc, fields));
}

function buildStub(alloc: Allocation, fields: StubFields): AllocListStub {
  const stub: AllocListStub = {
    ID: alloc.ID,
    EvalID: alloc.EvalID,
    Name: alloc.Name,
    Namespace: alloc.Namespace,
    NodeID: alloc.NodeID,
    NodeName: alloc.NodeName,
    JobID: alloc.JobID,
    JobType: alloc.Job?.Type ?? '',
    JobVersion: alloc.Job?.Version ?? 0,
    TaskGroup: alloc.TaskGroup,
    DesiredStatus: alloc.DesiredStatus,
    DesiredDescription: alloc.DesiredDescription,
    ClientStatus: alloc.ClientStatus,
    ClientDescription: alloc.ClientDescription,
    DesiredTransition: alloc.DesiredTransition,
    TaskStates: fields.taskStates ? withDisplayMessages(alloc.TaskStates) : null,
    DeploymentStatus: alloc.DeploymentStatus,
    FollowupEvalID: alloc.FollowupEvalID,
    NextAllocation: alloc.NextAllocation,
    PreviousAllocation: alloc.PreviousAllocation,
    RescheduleTracker: alloc.RescheduleTracker,
    PreemptedAllocations: alloc.PreemptedAllocations,
    PreemptedByAllocation: alloc.PreemptedByAllocation,
    CreateIndex: alloc.CreateIndex,
    ModifyIndex: alloc.ModifyIndex,
    CreateTime: alloc.CreateTime,
    ModifyTime: alloc.ModifyTime,
  };
  if (fields.resources && alloc.AllocatedResources) {
    stub.AllocatedResources = alloc.AllocatedResources;
  }
  return stub;
}

/**
 * The read body: every field Nomad sends (its `Job` too), display messages filled in and the
 * allocated ports canonicalised.
 */
export function allocReadView(alloc: Allocation): Allocation {
  const views = viewsOf(alloc);
  return (views.read ??= buildRead(alloc));
}

function buildRead(alloc: Allocation): Allocation {
  // The Job is filled apart, once per job version, as allocations share it.
  const filled = withStoredDefaults(AllocationSchema, { ...alloc, Job: null });
  return {
    ...filled,
    Job: alloc.Job && jobWireView(alloc.Job),
    TaskStates: withDisplayMessages(filled.TaskStates),
    AllocatedResources: filled.AllocatedResources && canonicalPorts(filled.AllocatedResources),
  };
}

/** Fills each event's empty `DisplayMessage` as Nomad's `PopulateEventDisplayMessage` does. */
function withDisplayMessages(states: Allocation['TaskStates']): Allocation['TaskStates'] {
  if (!states) return states;
  const out: Record<string, TaskState> = {};
  for (const [task, state] of Object.entries(states)) {
    const needsFill = state.Events?.some((e) => e.DisplayMessage === '');
    out[task] = needsFill
      ? {
          ...state,
          Events: state.Events!.map((e) =>
            e.DisplayMessage === '' ? { ...e, DisplayMessage: taskEventDisplayMessage(e) } : e,
          ),
        }
      : state;
  }
  return out;
}

/**
 * Nomad's AllocatedResources.Canonicalize (the 0.12 ports upgrade path): the first shared
 * network's ports become `Shared.Ports` when it has none, then every task network's ports are
 * appended, each with the network's IP as `HostIP`.
 */
function canonicalPorts(resources: AllocatedResources): AllocatedResources {
  const ports = [...(resources.Shared.Ports ?? [])];
  const first = resources.Shared.Networks?.[0];
  if (first && ports.length === 0) {
    for (const p of [...(first.DynamicPorts ?? []), ...(first.ReservedPorts ?? [])]) {
      ports.push({ Label: p.Label, Value: p.Value, To: p.To, HostIP: first.IP });
    }
  }
  for (const task of Object.values(resources.Tasks ?? {})) {
    for (const network of task.Networks ?? []) {
      for (const p of [...(network.DynamicPorts ?? []), ...(network.ReservedPorts ?? [])]) {
        ports.push({ Label: p.Label, Value: p.Value, To: p.To, HostIP: network.IP });
      }
    }
  }
  if (ports.length === 0) return resources;
  return { ...resources, Shared: { ...resources.Shared, Ports: ports } };
}

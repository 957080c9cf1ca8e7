// The seed document's samples must parse, and parse to berth's complete shape.
import { describe, expect, test } from 'vitest';
import { AllocListSchema } from './alloc-list-stub.js';
import { AllocationSchema, ClientStatus, DesiredStatus } from './allocation.js';
import { AllocStopResponseSchema, GenericResponseSchema } from './responses.js';
import { TaskEventSchema } from './task-event.js';
import { TaskStateSchema, ZERO_TIME } from './task-state.js';
import list from './fixtures/seed-alloc-list.json' with { type: 'json' };
import read from './fixtures/seed-alloc-read.json' with { type: 'json' };
import stop from './fixtures/seed-alloc-stop.json' with { type: 'json' };
import signalResponse from './fixtures/seed-signal-response.json' with { type: 'json' };

describe('seed samples', () => {
  test('list', () => {
    const [stub] = AllocListSchema.parse(list);
    expect(stub).toBeDefined();
    expect(stub?.ID).toBe('a8198d79-cfdb-6593-a999-1e9adabcba2e');
    expect(stub?.PreviousAllocation).toBe('516d2753-0513-cfc7-57ac-2d6fac18b9dc');
    expect(stub?.ClientStatus).toBe(ClientStatus.Running);
    // The sample sends Delay as a string of nanoseconds.
    expect(stub?.RescheduleTracker?.Events?.[0]?.Delay).toBe(5_000_000_000);
    // Absent fields parse to Go zero values: the sample predates these keys.
    expect(stub?.DesiredTransition).toEqual({
      Migrate: null,
      Reschedule: null,
      ForceReschedule: null,
      NoShutdownDelay: null,
      MigrateDisablePlacement: null,
    });
    expect(stub?.AllocatedResources).toBeUndefined();
    const events = stub?.TaskStates?.redis?.Events ?? [];
    expect(events.map((e) => e.Type)).toEqual(['Received', 'Driver', 'Started']);
    expect(events[1]?.DriverMessage).toBe('Downloading image redis:3.2');
    expect(events[0]?.Details).toBeNull();
    expect(stub?.TaskStates?.redis?.FinishedAt).toBe(ZERO_TIME);
  });

  test('read', () => {
    const alloc = AllocationSchema.parse(read);
    expect(alloc.DesiredStatus).toBe(DesiredStatus.Run);
    expect(alloc.Job?.TaskGroups?.[0]?.Tasks?.[0]?.Resources?.Networks?.[0]?.DynamicPorts).toEqual([
      { Label: 'db', Value: 0, To: 0, HostNetwork: '' },
    ]);
    expect(alloc.Job?.TaskGroups?.[0]?.RestartPolicy?.Interval).toBe(300_000_000_000);
    expect(alloc.Job?.Update).toMatchObject({ Stagger: 10_000_000_000, MaxParallel: 0, Canary: 0 });
    expect(alloc.TaskResources?.redis?.Networks?.[0]?.IP).toBe('127.0.0.1');
    expect(alloc.Metrics?.Scores).toEqual({
      'fb2170a8-257d-3c64-b14d-bc06cc94e34c.binpack': 0.6205732522109244,
    });
    expect(alloc.AllocModifyIndex).toBe(54);
    // Fields absent from the sample are present after parsing, with Go zero values.
    expect(alloc.DeploymentID).toBe('');
    expect(alloc.PreemptedAllocations).toBeNull();
    expect(alloc.NetworkStatus).toBeNull();
    // Unknown job keys are kept so a job round-trips.
    expect(alloc.Job).toHaveProperty('VaultToken', '');
  });

  test('stop, signal and restart answers', () => {
    expect(AllocStopResponseSchema.parse(stop)).toEqual({
      EvalID: '5456bd7a-9fc0-c0dd-6131-cbee77f57577',
      Index: 54,
    });
    expect(GenericResponseSchema.parse(signalResponse)).toEqual({});
    expect(GenericResponseSchema.parse({ Index: 0 })).toEqual({ Index: 0 });
  });
});

test('a task event has 24 keys after parsing', () => {
  expect(Object.keys(TaskEventSchema.parse({ Type: 'Started' }))).toHaveLength(24);
});

test('task state times accept null and the zero time', () => {
  expect(TaskStateSchema.parse({ State: 'dead', StartedAt: null }).StartedAt).toBeNull();
  expect(TaskStateSchema.parse({ State: 'dead', StartedAt: ZERO_TIME }).StartedAt).toBe(ZERO_TIME);
  expect(TaskStateSchema.safeParse({ State: 'weird' }).success).toBe(false);
});

test('a list stub has the 27 stub keys plus PreviousAllocation; AllocatedResources only when sent', () => {
  const min = { ID: 'x', DesiredStatus: 'run', ClientStatus: 'pending' };
  expect(Object.keys(AllocListSchema.parse([min])[0] ?? {})).toHaveLength(27);
  expect(
    Object.keys(AllocListSchema.parse([{ ...min, AllocatedResources: {} }])[0] ?? {}),
  ).toHaveLength(28);
});

test('an allocation has all 36 keys after parsing', () => {
  expect(
    Object.keys(AllocationSchema.parse({ ID: 'x', DesiredStatus: 'run', ClientStatus: 'pending' })),
  ).toHaveLength(36);
});

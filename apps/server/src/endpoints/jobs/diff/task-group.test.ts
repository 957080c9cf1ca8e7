// Nomad's TaskGroup.Diff and taskGroupDiffs on cases worked out from its rules: groups by name,
// the group's own fields, its policies, networks, services, volumes and scaling.
import type { TaskGroupDiff } from '@berth/contract';
import { describe, expect, test } from 'vitest';
import { jobDiff } from './index.js';
import { taskGroupDiff } from './task-group.js';
import { asJob, field } from './test-support.js';

const group = (fields: Record<string, unknown>) => ({ Name: 'web', Count: 1, ...fields });
const diffOf = (a: Record<string, unknown>, b: Record<string, unknown>, contextual = false) =>
  taskGroupDiff(group(a), group(b), contextual);

describe('groups of a job', () => {
  test('are matched by name and sorted by name; an unchanged one is listed as None', () => {
    const diff = jobDiff(
      asJob({
        TaskGroups: [group({ Name: 'db' }), group({ Name: 'web' }), group({ Name: 'old' })],
      }),
      asJob({
        TaskGroups: [
          group({ Name: 'web' }),
          group({ Name: 'cache' }),
          group({ Name: 'db', Count: 2 }),
        ],
      }),
      false,
    );
    expect(diff.Type).toBe('Edited');
    expect(diff.TaskGroups?.map((g) => [g.Name, g.Type])).toEqual([
      ['cache', 'Added'],
      ['db', 'Edited'],
      ['old', 'Deleted'],
      ['web', 'None'],
    ]);
    const added = diff.TaskGroups![0]!;
    expect(added.Fields).toEqual([field('Added', 'Count', '', '1')]);
    expect(added.Updates).toBeNull();
  });

  test("a group's own fields: count and meta entries, never its name", () => {
    const diff = diffOf({ Meta: { a: '1' } }, { Count: 3, Meta: { a: '2' } });
    expect(diff).toEqual<TaskGroupDiff>({
      Type: 'Edited',
      Name: 'web',
      Fields: [field('Edited', 'Count', '1', '3'), field('Edited', 'Meta[a]', '1', '2')],
      Objects: null,
      Tasks: null,
      Updates: null,
    });
  });

  test('ShutdownDelay counts though a pointer: added, edited and removed, in nanoseconds', () => {
    expect(diffOf({}, { ShutdownDelay: 5e9 }).Fields).toEqual([
      field('Added', 'ShutdownDelay', '', '5000000000'),
    ]);
    expect(diffOf({ ShutdownDelay: 5e9 }, { ShutdownDelay: 3e10 }).Fields).toEqual([
      field('Edited', 'ShutdownDelay', '5000000000', '30000000000'),
    ]);
    expect(diffOf({ ShutdownDelay: 5e9 }, { ShutdownDelay: null }).Fields).toEqual([
      field('Deleted', 'ShutdownDelay', '5000000000', ''),
    ]);
    // Other pointer fields are left out, as Go's flatten skips them.
    expect(diffOf({ MaxClientDisconnect: 1 }, { MaxClientDisconnect: 2 }).Fields).toBeNull();
  });
});

describe('policies of a group', () => {
  const restart = { Attempts: 2, Interval: 1_800_000_000_000, Delay: 15e9, Mode: 'fail' };

  test('an edited restart policy lists the changed fields, contextually all of them', () => {
    expect(
      diffOf({ RestartPolicy: restart }, { RestartPolicy: { ...restart, Attempts: 5 } }).Objects,
    ).toEqual([
      {
        Type: 'Edited',
        Name: 'RestartPolicy',
        Fields: [field('Edited', 'Attempts', '2', '5')],
        Objects: null,
      },
    ]);
    const contextual = diffOf(
      { RestartPolicy: restart },
      { RestartPolicy: { ...restart, Mode: 'delay' } },
      true,
    );
    expect(contextual.Objects?.[0]?.Fields).toEqual([
      field('None', 'Attempts', '2', '2'),
      field('None', 'Delay', '15000000000', '15000000000'),
      field('None', 'Interval', '1800000000000', '1800000000000'),
      field('Edited', 'Mode', 'fail', 'delay'),
    ]);
  });

  test('added and deleted policies; an unchanged one is not listed even in context', () => {
    const disk = { Sticky: false, SizeMB: 300, Migrate: false };
    expect(diffOf({}, { EphemeralDisk: disk }).Objects?.[0]).toMatchObject({
      Type: 'Added',
      Name: 'EphemeralDisk',
    });
    expect(diffOf({ EphemeralDisk: disk }, {}).Objects?.[0]).toMatchObject({
      Type: 'Deleted',
      Name: 'EphemeralDisk',
    });
    expect(diffOf({ EphemeralDisk: disk }, { EphemeralDisk: disk }, true).Objects).toBeNull();
  });

  test("the update block's Stagger is ignored", () => {
    const update = { Stagger: 30e9, MaxParallel: 1, HealthCheck: 'checks' };
    expect(diffOf({ Update: update }, { Update: { ...update, Stagger: 60e9 } }).Objects).toBeNull();
    expect(
      diffOf({ Update: update }, { Update: { ...update, MaxParallel: 2 } }).Objects?.[0]?.Fields,
    ).toEqual([field('Edited', 'MaxParallel', '1', '2')]);
  });

  test('a disconnect block is flattened in full, pointers followed, nil shown as nil', () => {
    const diff = diffOf(
      { Disconnect: { LostAfter: 0, Replace: null, Reconcile: 'best_score' } },
      { Disconnect: { LostAfter: 6e10, Replace: true, Reconcile: 'best_score' } },
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Disconnect',
        Fields: [
          field('Edited', 'LostAfter', '0', '60000000000'),
          field('Edited', 'Replace', 'nil', 'true'),
        ],
        Objects: null,
      },
    ]);
  });

  test('a scaling policy lists its bounds and its policy, not the IDs the server sets', () => {
    const scaling = {
      ID: 'p1',
      Type: 'horizontal',
      Target: { Namespace: 'default', Job: 'web', Group: 'web' },
      Min: 1,
      Max: 10,
      Enabled: true,
      Policy: { cooldown: '1m' },
      CreateIndex: 5,
      ModifyIndex: 5,
    };
    const diff = diffOf(
      { Scaling: scaling },
      { Scaling: { ...scaling, ID: 'p2', Max: 20, Policy: { cooldown: '2m' }, ModifyIndex: 9 } },
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Scaling',
        Fields: [field('Edited', 'Max', '10', '20')],
        Objects: [
          {
            Type: 'Edited',
            Name: 'Policy',
            Fields: [field('Edited', 'cooldown', '1m', '2m')],
            Objects: null,
          },
        ],
      },
    ]);
  });
});

describe('networks, services and volumes of a group', () => {
  test('a changed network is one deleted and one added; dynamic port values are ignored', () => {
    const net = {
      Mode: 'bridge',
      MBits: 0,
      ReservedPorts: [{ Label: 'http', Value: 8080, To: 0, HostNetwork: '' }],
      DynamicPorts: null,
      DNS: null,
    };
    const next = {
      ...net,
      ReservedPorts: null,
      DynamicPorts: [{ Label: 'http', Value: 0, To: 8080, HostNetwork: '' }],
      DNS: { Servers: ['1.1.1.1', '8.8.8.8'], Searches: null, Options: null },
    };
    const diff = diffOf({ Networks: [net] }, { Networks: [next] });
    expect(diff.Objects).toEqual([
      {
        Type: 'Added',
        Name: 'Network',
        Fields: [field('Added', 'Mode', '', 'bridge')],
        Objects: [
          {
            Type: 'Added',
            Name: 'Dynamic Port',
            Fields: [field('Added', 'Label', '', 'http'), field('Added', 'To', '', '8080')],
            Objects: null,
          },
          {
            Type: 'Added',
            Name: 'DNS',
            Fields: [field('Added', 'Servers', '', '1.1.1.1,8.8.8.8')],
            Objects: null,
          },
        ],
      },
      {
        Type: 'Deleted',
        Name: 'Network',
        Fields: [field('Deleted', 'Mode', 'bridge', '')],
        Objects: [
          {
            Type: 'Deleted',
            Name: 'Static Port',
            // Go's zero values are there too (IgnoreCollision is no field of berth's port).
            Fields: [
              field('Deleted', 'IgnoreCollision', 'false', ''),
              field('Deleted', 'Label', 'http', ''),
              field('Deleted', 'To', '0', ''),
              field('Deleted', 'Value', '8080', ''),
            ],
            Objects: null,
          },
        ],
      },
    ]);
    // The same network in another order of its fields is no change.
    expect(diffOf({ Networks: [net] }, { Networks: [{ ...net }] }).Objects).toBeNull();
  });

  test('services are paired by name and port label, then by position', () => {
    const svc = (Name: string, PortLabel: string, Tags: string[]) => ({
      Name,
      PortLabel,
      Provider: 'nomad',
      Tags,
      Checks: null,
    });
    const diff = diffOf(
      { Services: [svc('api', 'http', ['v1']), svc('metrics', 'prom', [])] },
      {
        Services: [svc('metrics', 'prom', []), svc('api', 'http', ['v2']), svc('admin', 'adm', [])],
      },
    );
    // `api` moved but is paired with itself; `admin` is new; `metrics` is unchanged.
    expect(diff.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Service',
        Fields: null,
        Objects: [
          {
            Type: 'Edited',
            Name: 'Tags',
            Fields: [field('Added', 'Tags', '', 'v2'), field('Deleted', 'Tags', 'v1', '')],
            Objects: null,
          },
        ],
      },
      {
        Type: 'Added',
        Name: 'Service',
        Fields: [
          field('Added', 'EnableTagOverride', '', 'false'),
          field('Added', 'Name', '', 'admin'),
          field('Added', 'PortLabel', '', 'adm'),
          field('Added', 'Provider', '', 'nomad'),
        ],
        Objects: null,
      },
    ]);
  });

  test("a field left out equals Go's zero value: no change", () => {
    const svc = { Name: 'api', PortLabel: 'http', Checks: [{ Name: 'alive', Type: 'tcp' }] };
    const explicit = {
      ...svc,
      EnableTagOverride: false,
      Checks: [{ Name: 'alive', Type: 'tcp', Interval: 0, SuccessBeforePassing: 0 }],
    };
    expect(
      diffOf({ Services: [svc, svc] }, { Services: [explicit, explicit] }, true).Objects,
    ).toBeNull();
  });

  test("a service's checks are matched by name", () => {
    const check = { Name: 'alive', Type: 'http', Path: '/health', Interval: 1e10, Timeout: 2e9 };
    const svc = (checks: unknown[]) => ({ Name: 'api', PortLabel: 'http', Checks: checks });
    const diff = diffOf(
      { Services: [svc([check])] },
      { Services: [svc([{ ...check, Path: '/ready' }])] },
    );
    expect(diff.Objects?.[0]?.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Check',
        Fields: [field('Edited', 'Path', '/health', '/ready')],
        Objects: null,
      },
    ]);
  });

  test('volumes are keyed by their name in the map', () => {
    const vol = { Name: 'data', Type: 'host', Source: 'data', ReadOnly: false };
    const diff = diffOf(
      { Volumes: { data: vol, logs: { ...vol, Name: 'logs', Source: 'logs' } } },
      { Volumes: { data: { ...vol, ReadOnly: true } } },
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Volume',
        Fields: [field('Edited', 'ReadOnly', 'false', 'true')],
        Objects: null,
      },
      {
        Type: 'Deleted',
        Name: 'Volume',
        Fields: [
          field('Deleted', 'Name', 'logs', ''),
          field('Deleted', 'PerAlloc', 'false', ''),
          field('Deleted', 'ReadOnly', 'false', ''),
          field('Deleted', 'Source', 'logs', ''),
          field('Deleted', 'Sticky', 'false', ''),
          field('Deleted', 'Type', 'host', ''),
        ],
        Objects: null,
      },
    ]);
  });
});

describe('Consul Connect of a group service', () => {
  const connect = (port: number, upstreams: unknown[]) => ({
    Native: false,
    SidecarService: {
      Port: '',
      Proxy: { LocalServicePort: port, Upstreams: upstreams, Config: null },
    },
    SidecarTask: null,
  });
  const svc = (c: unknown) => ({ Name: 'api', PortLabel: '9090', Connect: c });

  test('the sidecar proxy: fields, upstreams by datacenter and destination, the transparent proxy always listed', () => {
    const db = { DestinationName: 'db', Datacenter: '', LocalBindPort: 5432 };
    const diff = diffOf(
      { Services: [svc(connect(9090, [db]))] },
      { Services: [svc(connect(9091, [{ ...db, LocalBindPort: 6432 }]))] },
    );
    expect(diff.Objects?.[0]?.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'ConsulConnect',
        Fields: null,
        Objects: [
          {
            Type: 'Edited',
            Name: 'SidecarService',
            Fields: null,
            Objects: [
              {
                Type: 'Edited',
                Name: 'ConsulProxy',
                Fields: [field('Edited', 'LocalServicePort', '9090', '9091')],
                Objects: [
                  {
                    Type: 'Edited',
                    Name: 'ConsulUpstreams',
                    Fields: [field('Edited', 'LocalBindPort', '5432', '6432')],
                    Objects: null,
                  },
                  // Nomad lists an unchanged transparent proxy as an empty None diff.
                  { Type: 'None', Name: 'TransparentProxy', Fields: null, Objects: null },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });
});

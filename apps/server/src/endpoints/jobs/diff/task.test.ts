// Nomad's Task.Diff on cases worked out from its rules: the task's fields, its driver config
// flattened, resources, artifacts by destination, templates by destination, identities.
import { expect, test } from 'vitest';
import { taskDiff, taskDiffs } from './task.js';
import { field } from './test-support.js';

const task = (fields: Record<string, unknown>) => ({ Name: 'app', Driver: 'exec', ...fields });
const diffOf = (a: Record<string, unknown>, b: Record<string, unknown>, contextual = false) =>
  taskDiff(task(a), task(b), contextual);

test('tasks are matched by name and sorted by name', () => {
  const diffs = taskDiffs(
    [task({ Name: 'web' }), task({ Name: 'log' })],
    [task({ Name: 'log', Driver: 'docker' }), task({ Name: 'agent' })],
    false,
  );
  expect(diffs?.map((t) => [t.Name, t.Type])).toEqual([
    ['agent', 'Added'],
    ['log', 'Edited'],
    ['web', 'Deleted'],
  ]);
  expect(diffs?.[1]?.Fields).toEqual([field('Edited', 'Driver', 'exec', 'docker')]);
  expect(taskDiffs(null, [], false)).toBeNull();
});

test("a task's own fields: durations in nanoseconds, env and meta entries, never Config", () => {
  const diff = diffOf(
    { KillTimeout: 5e9, Env: { PORT: '80' }, Leader: false, Config: { command: 'a' } },
    {
      KillTimeout: 3e10,
      Env: { PORT: '8080', DEBUG: '1' },
      Leader: true,
      Config: { command: 'a' },
    },
  );
  expect(diff.Type).toBe('Edited');
  expect(diff.Fields).toEqual([
    field('Added', 'Env[DEBUG]', '', '1'),
    field('Edited', 'Env[PORT]', '80', '8080'),
    field('Edited', 'KillTimeout', '5000000000', '30000000000'),
    field('Edited', 'Leader', 'false', 'true'),
  ]);
  expect(diff.Objects).toBeNull();
  expect(diff.Annotations).toBeNull();
});

test('a driver config is flattened into keys such as args[0]; contextual adds the rest', () => {
  const diff = diffOf(
    { Config: { command: '/bin/app', args: ['-v'], ports: ['http'] } },
    { Config: { command: '/bin/app', args: ['-v', '-x'] } },
    true,
  );
  expect(diff.Objects).toEqual([
    {
      Type: 'Edited',
      Name: 'Config',
      Fields: [
        field('None', 'args[0]', '-v', '-v'),
        field('Added', 'args[1]', '', '-x'),
        field('None', 'command', '/bin/app', '/bin/app'),
        field('Deleted', 'ports[0]', 'http', ''),
      ],
      Objects: null,
    },
  ]);
  expect(diffOf({ Config: null }, { Config: { command: 'x' } }).Objects?.[0]?.Type).toBe('Added');
  expect(diffOf({ Config: { command: 'x' } }, { Config: {} }).Objects?.[0]?.Type).toBe('Deleted');
});

test("resources: the task's own fields, then its networks and devices", () => {
  const diff = diffOf(
    {
      Resources: {
        CPU: 100,
        MemoryMB: 128,
        Networks: null,
        Devices: [{ Name: 'nvidia/gpu', Count: 1 }],
      },
    },
    {
      Resources: {
        CPU: 500,
        MemoryMB: 128,
        Networks: null,
        Devices: [{ Name: 'nvidia/gpu', Count: 2 }],
      },
    },
  );
  expect(diff.Objects).toEqual([
    {
      Type: 'Edited',
      Name: 'Resources',
      Fields: [field('Edited', 'CPU', '100', '500')],
      Objects: [
        {
          Type: 'Edited',
          Name: 'Device',
          Fields: [field('Edited', 'Count', '1', '2')],
          Objects: null,
        },
      ],
    },
  ]);
});

test('artifacts are matched by destination, so a changed source is an edit', () => {
  const artifact = {
    GetterSource: 'https://example.com/a.tgz',
    GetterOptions: { checksum: 'sha256:1' },
    GetterMode: 'any',
    RelativeDest: 'local/',
  };
  const diff = diffOf(
    { Artifacts: [artifact] },
    {
      Artifacts: [
        {
          ...artifact,
          GetterSource: 'https://example.com/b.tgz',
          GetterOptions: { checksum: 'sha256:2' },
        },
      ],
    },
  );
  expect(diff.Objects).toEqual([
    {
      Type: 'Edited',
      Name: 'Artifact',
      Fields: [
        field('Edited', 'GetterOptions[checksum]', 'sha256:1', 'sha256:2'),
        field('Edited', 'GetterSource', 'https://example.com/a.tgz', 'https://example.com/b.tgz'),
      ],
      Objects: null,
    },
  ]);
});

const templateFields = (type: string) =>
  [
    'ChangeMode',
    'DestPath',
    'EmbeddedTmpl',
    'Envvars',
    'ErrMissingKey',
    'Once',
    'Splay',
    'VaultGrace',
  ].map((name) => `${name}:${type}`);

test('templates are matched by destination; their wait block is compared in full', () => {
  const tmpl = (dest: string, data: string) => ({
    DestPath: dest,
    EmbeddedTmpl: data,
    ChangeMode: 'restart',
    Uid: null,
    Wait: null,
  });
  const diff = diffOf(
    { Templates: [tmpl('local/a', 'x'), tmpl('local/b', 'y')] },
    {
      Templates: [
        { ...tmpl('local/b', 'y2'), Uid: 1000, Wait: { Min: 5e9, Max: null } },
        tmpl('local/c', 'z'),
      ],
    },
  );
  expect(
    diff.Objects?.map((o) => [o.Name, o.Type, o.Fields?.map((f) => `${f.Name}:${f.Type}`)]),
  ).toEqual([
    ['Template', 'Edited', ['EmbeddedTmpl:Edited', 'Uid:Added']],
    // An added or deleted template lists Go's zero values too (Envvars, Splay...).
    ['Template', 'Added', templateFields('Added')],
    ['Template', 'Deleted', templateFields('Deleted')],
  ]);
  // Nomad names the wait block's diff "Template" too.
  expect(diff.Objects?.[0]?.Objects).toEqual([
    {
      Type: 'Added',
      Name: 'Template',
      Fields: [field('Added', 'Max', '', 'nil'), field('Added', 'Min', '', '5000000000')],
      Objects: null,
    },
  ]);
});

test('identities: the default one, and alternate ones by name with their audiences as a set', () => {
  const diff = diffOf(
    { Identity: null, Identities: [{ Name: 'vault_default', Audience: ['vault.io'], TTL: 0 }] },
    {
      Identity: { Name: 'default', Env: true },
      Identities: [{ Name: 'vault_default', Audience: ['vault.io', 'other'], TTL: 0 }],
    },
  );
  expect(diff.Objects).toEqual([
    {
      Type: 'Added',
      Name: 'Identity',
      Fields: [
        field('Added', 'Env', '', 'true'),
        // Go's zero values of a workload identity.
        field('Added', 'File', '', 'false'),
        field('Added', 'Name', '', 'default'),
        field('Added', 'TTL', '', '0'),
      ],
      Objects: null,
    },
    {
      Type: 'Edited',
      Name: 'Identity',
      Fields: null,
      Objects: [
        {
          Type: 'Added',
          Name: 'Audience',
          Fields: [field('Added', 'Audience', '', 'other')],
          Objects: null,
        },
      ],
    },
  ]);
});

test('a task changed only where the diff does not look is Edited with nothing listed', () => {
  // The task's restart policy is not part of Nomad's task diff, but the task is not equal.
  const diff = diffOf({ RestartPolicy: { Attempts: 1 } }, { RestartPolicy: { Attempts: 2 } });
  expect(diff).toMatchObject({ Type: 'Edited', Fields: null, Objects: null });
});

// Nomad's Job.Diff, on cases worked out from its rules: which job fields count, how lists are
// matched, what contextual adds, and how everything is ordered.
import { describe, expect, test } from 'vitest';
import { jobDiff } from './index.js';
import { asJob, field } from './test-support.js';

describe('the job itself', () => {
  test('no jobs, and the same job, are no change', () => {
    expect(jobDiff(undefined, null, true)).toEqual({
      Type: 'None',
      ID: '',
      Fields: null,
      Objects: null,
      TaskGroups: null,
    });
    const job = asJob({ Name: 'web', Priority: 50, Meta: { a: '1' }, Datacenters: ['dc1'] });
    expect(jobDiff(job, { ...job }, true)).toMatchObject({ Type: 'None', ID: 'web', Fields: null });
  });

  test('jobs with different IDs cannot be compared', () => {
    expect(() => jobDiff(asJob({ ID: 'a' }), asJob({ ID: 'b' }), false)).toThrow(
      'can not diff jobs with different IDs: "a" and "b"',
    );
  });

  test('edited fields are listed by name; what the server sets on every version is not', () => {
    const old = asJob({
      Region: 'global',
      Type: 'service',
      Priority: 50,
      AllAtOnce: false,
      Meta: { owner: 'ops', gone: 'x' },
      Version: 1,
      SubmitTime: 1,
      ModifyIndex: 10,
      JobModifyIndex: 10,
      CreateIndex: 5,
      Status: 'running',
      StatusDescription: '',
      Stable: true,
      NomadTokenID: 'a',
      VaultToken: 'v1',
    });
    const next = asJob({
      Region: 'eu',
      Type: 'batch',
      Priority: 70,
      AllAtOnce: true,
      Meta: { owner: 'dev', added: 'y' },
      Version: 2,
      SubmitTime: 2,
      ModifyIndex: 20,
      JobModifyIndex: 20,
      CreateIndex: 5,
      Status: 'pending',
      StatusDescription: 'x',
      Stable: false,
      NomadTokenID: 'b',
      VaultToken: 'v2',
    });
    const diff = jobDiff(old, next, false);
    expect(diff.Type).toBe('Edited');
    expect(diff.Fields).toEqual([
      field('Edited', 'AllAtOnce', 'false', 'true'),
      field('Added', 'Meta[added]', '', 'y'),
      field('Deleted', 'Meta[gone]', 'x', ''),
      field('Edited', 'Meta[owner]', 'ops', 'dev'),
      field('Edited', 'Priority', '50', '70'),
      field('Edited', 'Region', 'global', 'eu'),
      field('Edited', 'Type', 'service', 'batch'),
    ]);
  });

  test('only the filtered fields changing is no change at all', () => {
    const diff = jobDiff(
      asJob({ Version: 1, ModifyIndex: 3, Stable: false, SubmitTime: 1, ConsulToken: '' }),
      // Tokens are secrets: never shown, even when a plan's job carries one.
      asJob({ Version: 2, ModifyIndex: 9, Stable: true, SubmitTime: 2, ConsulToken: 's3cret' }),
      true,
    );
    expect(diff).toMatchObject({ Type: 'None', Fields: null, Objects: null });
  });

  test('an added job lists every field that has a value, zero values included', () => {
    const diff = jobDiff(
      null,
      asJob({ Name: 'web', Priority: 0, Stop: false, ParentID: '' }),
      false,
    );
    expect(diff.Type).toBe('Added');
    expect(diff.ID).toBe('web');
    // "" is absent to Go, so ParentID is not listed; false and 0 are values.
    expect(diff.Fields).toEqual([
      field('Added', 'Name', '', 'web'),
      field('Added', 'Priority', '', '0'),
      field('Added', 'Stop', '', 'false'),
    ]);
  });

  test('a deleted job lists its fields as deleted', () => {
    const diff = jobDiff(asJob({ Name: 'web', Dispatched: false }), undefined, true);
    expect(diff.Type).toBe('Deleted');
    expect(diff.Fields).toEqual([
      field('Deleted', 'Dispatched', 'false', ''),
      field('Deleted', 'Name', 'web', ''),
    ]);
  });
});

describe('lists of the job', () => {
  test('datacenters are a set: order does not matter, members are added or deleted', () => {
    expect(
      jobDiff(asJob({ Datacenters: ['a', 'b'] }), asJob({ Datacenters: ['b', 'a'] }), true).Type,
    ).toBe('None');
    const diff = jobDiff(
      asJob({ Datacenters: ['a', 'b'] }),
      asJob({ Datacenters: ['c', 'b'] }),
      true,
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Datacenters',
        Fields: [
          field('Added', 'Datacenters', '', 'c'),
          field('Deleted', 'Datacenters', 'a', ''),
          // Contextual: the member kept is listed too.
          field('None', 'Datacenters', 'b', 'b'),
        ],
        Objects: null,
      },
    ]);
    const added = jobDiff(asJob({ Datacenters: ['a'] }), asJob({ Datacenters: ['a', 'z'] }), false);
    expect(added.Objects).toEqual([
      {
        Type: 'Added',
        Name: 'Datacenters',
        Fields: [field('Added', 'Datacenters', '', 'z')],
        Objects: null,
      },
    ]);
  });

  test('a changed constraint is one deleted and one added, the unchanged one not listed', () => {
    const keep = { LTarget: '${attr.kernel.name}', Operand: '=', RTarget: 'linux' };
    const diff = jobDiff(
      asJob({ Constraints: [keep, { LTarget: '${node.class}', Operand: '=', RTarget: 'x' }] }),
      asJob({ Constraints: [{ LTarget: '${node.class}', Operand: '=', RTarget: 'y' }, keep] }),
      true,
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Added',
        Name: 'Constraint',
        Fields: [
          field('Added', 'LTarget', '', '${node.class}'),
          field('Added', 'Operand', '', '='),
          field('Added', 'RTarget', '', 'y'),
        ],
        Objects: null,
      },
      {
        Type: 'Deleted',
        Name: 'Constraint',
        Fields: [
          field('Deleted', 'LTarget', '${node.class}', ''),
          field('Deleted', 'Operand', '=', ''),
          field('Deleted', 'RTarget', 'x', ''),
        ],
        Objects: null,
      },
    ]);
  });

  test('an affinity whose weight changes is deleted and added (the weight is part of it)', () => {
    const a = { LTarget: '${node.datacenter}', Operand: '=', RTarget: 'dc1', Weight: 50 };
    const diff = jobDiff(
      asJob({ Affinities: [a] }),
      asJob({ Affinities: [{ ...a, Weight: -20 }] }),
      false,
    );
    expect(diff.Objects?.map((o) => [o.Type, o.Name, o.Fields?.length])).toEqual([
      ['Added', 'Affinity', 4],
      ['Deleted', 'Affinity', 4],
    ]);
    expect(diff.Objects?.[0]?.Fields).toContainEqual(field('Added', 'Weight', '', '-20'));
  });
});

describe('nested configs of the job', () => {
  const periodic = {
    Enabled: true,
    Spec: '*/5 * * * *',
    Specs: null,
    SpecType: 'cron',
    ProhibitOverlap: false,
    TimeZone: 'UTC',
  };

  test('a periodic config edited shows its fields, contextually the unchanged ones too', () => {
    const diff = jobDiff(
      asJob({ Periodic: periodic }),
      asJob({ Periodic: { ...periodic, Spec: '0 * * * *', TimeZone: 'Europe/Paris' } }),
      true,
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Periodic',
        Fields: [
          field('None', 'Enabled', 'true', 'true'),
          field('None', 'ProhibitOverlap', 'false', 'false'),
          field('Edited', 'Spec', '*/5 * * * *', '0 * * * *'),
          field('None', 'SpecType', 'cron', 'cron'),
          field('Edited', 'TimeZone', 'UTC', 'Europe/Paris'),
        ],
        Objects: null,
      },
    ]);
  });

  test('moving from one spec to several lists the specs as a set of their own', () => {
    const diff = jobDiff(
      asJob({ Periodic: periodic }),
      asJob({ Periodic: { ...periodic, Spec: '', Specs: ['0 1 * * *', '0 2 * * *'] } }),
      false,
    );
    expect(diff.Objects?.[0]).toEqual({
      Type: 'Edited',
      Name: 'Periodic',
      Fields: [field('Deleted', 'Spec', '*/5 * * * *', '')],
      Objects: [
        {
          Type: 'Added',
          Name: 'Specs',
          Fields: [
            field('Added', 'Specs', '', '0 1 * * *'),
            field('Added', 'Specs', '', '0 2 * * *'),
          ],
          Objects: null,
        },
      ],
    });
  });

  test('an added parameterized config lists its payload and meta keys', () => {
    const diff = jobDiff(
      asJob({}),
      asJob({
        ParameterizedJob: { Payload: 'required', MetaRequired: ['input'], MetaOptional: null },
      }),
      false,
    );
    expect(diff.Objects).toEqual([
      {
        Type: 'Added',
        Name: 'ParameterizedJob',
        Fields: [field('Added', 'Payload', '', 'required')],
        Objects: [
          {
            Type: 'Added',
            Name: 'MetaRequired',
            Fields: [field('Added', 'MetaRequired', '', 'input')],
            Objects: null,
          },
        ],
      },
    ]);
  });

  test('multiregion regions are matched by name, sorted after the strategy by name', () => {
    const west = { Name: 'west', Count: 1, Datacenters: ['w1'], Meta: null };
    const diff = jobDiff(
      asJob({ Multiregion: { Strategy: { MaxParallel: 1, OnFailure: '' }, Regions: [west] } }),
      asJob({
        Multiregion: {
          Strategy: { MaxParallel: 2, OnFailure: '' },
          Regions: [
            { ...west, Count: 2 },
            { Name: 'east', Count: 1, Datacenters: ['e1'], Meta: null },
          ],
        },
      }),
      false,
    );
    const multiregion = diff.Objects?.[0];
    expect(
      multiregion?.Objects?.map((o) => [o.Name, o.Type, o.Fields?.map((f) => f.Name)]),
    ).toEqual([
      ['Region', 'Edited', ['Count']],
      ['Region', 'Added', ['Count', 'Name']],
      ['Strategy', 'Edited', ['MaxParallel']],
    ]);
  });

  test('UI links are compared by position', () => {
    const diff = jobDiff(
      asJob({ UI: { Description: 'x', Links: [{ Label: 'docs', Url: 'https://a' }] } }),
      asJob({
        UI: {
          Description: 'x',
          Links: [
            { Label: 'docs', Url: 'https://b' },
            { Label: 'logs', Url: 'https://c' },
          ],
        },
      }),
      false,
    );
    expect(diff.Objects?.[0]?.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Link',
        Fields: [field('Edited', 'Url', 'https://a', 'https://b')],
        Objects: null,
      },
      {
        Type: 'Added',
        Name: 'Link',
        Fields: [field('Added', 'Label', '', 'logs'), field('Added', 'Url', '', 'https://c')],
        Objects: null,
      },
    ]);
  });
});

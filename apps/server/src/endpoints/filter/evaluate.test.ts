import { describe, expect, test } from 'vitest';
import { rootValue } from './datum.js';
import { evaluate, EvaluationError } from './evaluate.js';
import { parseExpression } from './parser.js';
import { allocation } from './test-support/allocation.js';

const alloc = allocation();

function run(expression: string, datum: unknown = alloc): boolean {
  const parsed = parseExpression(expression);
  if ('error' in parsed) throw new Error(parsed.error);
  return evaluate(parsed.ast, rootValue(datum));
}

function failure(expression: string, datum: unknown = alloc): string {
  try {
    run(expression, datum);
  } catch (err) {
    if (err instanceof EvaluationError) return err.message;
    throw err;
  }
  throw new Error('no error');
}

describe('a missing map key is "not present", and each operator has its answer for that', () => {
  test.each([
    ['Job.Meta.nope == "x"', false],
    ['Job.Meta.nope != "x"', true],
    ['"x" in Job.Meta.nope', false],
    ['"x" not in Job.Meta.nope', true],
    ['Job.Meta.nope is empty', true],
    ['Job.Meta.nope is not empty', false],
    ['Job.Meta.nope matches "x"', false],
    ['Job.Meta.nope not matches "x"', true],
    ['Job.Meta.nope is nil', true],
    ['Job.Meta.nope is not nil', false],
    ['any Job.Meta.nope as x { x == 1 }', false],
    ['all Job.Meta.nope as x { x == 1 }', true],
    // A nil map (null) has no keys either.
    ['Job.TaskGroups.0.Meta.owner == "ops"', false],
    ['Job.TaskGroups.0.Tasks.0.Env.HOME != "/root"', true],
  ])('%s → %s', (expression, want) => {
    expect(run(expression)).toBe(want);
  });

  test('but only one level down: the parent of the missing key must exist', () => {
    expect(failure('Job.Meta.nope.deeper == "x"')).toBe(
      'error finding value in datum: /Job/Meta/nope/deeper at part 2: couldn\'t find key "nope"',
    );
  });

  test('a missing top-level field is always an error', () => {
    expect(failure('Nope is empty')).toBe(
      'error finding value in datum: /Nope at part 0: couldn\'t find key: struct field with name "Nope"',
    );
  });
});

describe('nil values', () => {
  test('nil pointers are nil, and neither empty nor traversable', () => {
    expect(run('DeploymentStatus is nil')).toBe(true);
    expect(run('Job is nil')).toBe(false);
    expect(failure('DeploymentStatus is empty')).toBe(
      'cannot perform is-empty operations on type invalid for selector: "DeploymentStatus"',
    );
    expect(failure('"x" in DeploymentStatus')).toBe(
      'cannot perform in/contains operations on type invalid for selector: "DeploymentStatus"',
    );
    expect(failure('DeploymentStatus == "x"')).toBe(
      'unable to find suitable primitive comparison function for matching',
    );
  });

  test('nil slices and maps are empty and nil', () => {
    expect(run('PreemptedAllocations is empty and PreemptedAllocations is nil')).toBe(true);
    expect(run('"x" in PreemptedAllocations')).toBe(false);
    expect(run('TaskResources is empty and "web" not in TaskResources')).toBe(true);
    expect(run('Job.Datacenters is not nil and Job.Meta is not nil')).toBe(true);
    expect(failure('PreemptedAllocations.0 == "x"')).toBe(
      'error finding value in datum: /PreemptedAllocations/0 at part 1: index 0 is out of range (length = 0)',
    );
  });

  test('structs are never nil nor empty', () => {
    expect(run('DesiredTransition is not nil')).toBe(true);
    expect(failure('DesiredTransition is empty')).toBe(
      'cannot perform is-empty operations on type struct for selector: "DesiredTransition"',
    );
    expect(failure('Name is nil')).toBe(
      'cannot perform is-nil operations on type string for selector: "Name"',
    );
  });

  test('a set *bool compares as a bool', () => {
    const moving = allocation({
      DesiredTransition: { ...(alloc['DesiredTransition'] as object), Migrate: true },
    });
    expect(run('DesiredTransition.Migrate == true', moving)).toBe(true);
    // Once dereferenced it is a bool, which is neither nil nor not nil for go-bexpr.
    expect(failure('DesiredTransition.Migrate is not nil', moving)).toBe(
      'cannot perform is-nil operations on type bool for selector: "DesiredTransition.Migrate"',
    );
    expect(failure('DesiredTransition.Migrate is empty', moving)).toBe(
      'cannot perform is-empty operations on type bool for selector: "DesiredTransition.Migrate"',
    );
  });
});

describe('values are converted to the type of the field', () => {
  test.each([
    ['Job.Priority == "0x32"', true],
    ['Job.Priority == 5_0', false], // a bare `5_0` is not a number literal but a selector-like word…
    ['Job.Priority == "5_0"', true], // …while as a string it is ParseInt("5_0", 0) = 50.
    ['Job.Priority == -50', false],
    ['CreateIndex == "1_000"', true],
    ['Job.Stop == 0', true],
    ['Job.Stop == F', true],
    ['Metrics.ScoreMetaData.0.Scores.binpack == 0.75', true],
    ['Metrics.ScoreMetaData.0.Scores.binpack == "7.5e-1"', true],
    ['Metrics.AllocationTime == 120000', true],
    ['TaskStates.redis.Events.0.Time == 1700000000000000000', true],
  ])('%s → %s', (expression, want) => {
    if (expression === 'Job.Priority == 5_0') {
      expect(parseExpression(expression)).toHaveProperty('error');
      return;
    }
    expect(run(expression)).toBe(want);
  });
});

describe('in and contains', () => {
  test('free-form maps hold interface{} values: numbers are float64, other types are skipped', () => {
    expect(run('Job.TaskGroups.0.Tasks.0.Config.port == 6379')).toBe(true);
    expect(run('Job.TaskGroups.0.Tasks.0.Config.port == "6379.0"')).toBe(true);
    expect(run('Job.TaskGroups.0.Tasks.0.Config.labels.tier == cache')).toBe(true);
    expect(run('"db" in Job.TaskGroups.0.Tasks.0.Config.ports')).toBe(true);
    expect(run('"x" in Job.TaskGroups.0.Tasks.0.Config.args')).toBe(false);
    const mixed = allocation({ Job: { Config: { list: ['a', 5, true, null] } } });
    expect(run('5 in Job.Config.list', mixed)).toBe(true);
    expect(run('"true" in Job.Config.list', mixed)).toBe(true);
    expect(run('"b" in Job.Config.list', mixed)).toBe(false);
    const nested = allocation({ Job: { Config: { list: [{ a: 1 }] } } });
    expect(failure('"a" in Job.Config.list', nested)).toBe(
      'unable to find suitable primitive comparison function for "in" comparison in interface slice: map',
    );
  });

  test('typed slices convert the value once for the element type', () => {
    const typed = allocation({ Job: { Ports: [80, 443] } });
    expect(run('443 in Job.Ports', typed)).toBe(true);
    expect(run('"0x50" in Job.Ports', typed)).toBe(true);
    expect(failure('"http" in Job.Ports', typed)).toBe(
      'error getting match value in expression: strconv.ParseInt: parsing "http": invalid syntax',
    );
    expect(failure('"x" in Job.Constraints')).toBe(
      'unable to find suitable primitive comparison function for "in" comparison',
    );
  });

  test('on strings it is a substring test', () => {
    expect(run('"" in Name')).toBe(true);
    expect(run('Name contains "web[0]"')).toBe(true);
  });
});

describe('any and all', () => {
  test('bindings name keys, indexes and values', () => {
    expect(run('any Job.Datacenters as i, _ { i == 1 }')).toBe(true);
    expect(run('any Job.Datacenters as i, dc { i == 1 and dc == "dc2" }')).toBe(true);
    expect(run('all Job.Meta as k { k matches "^[a-z.]+$" }')).toBe(true);
    expect(run('any TaskStates as _, s { s.Events.0.Type == "Started" }')).toBe(true);
  });

  test('names resolve through enclosing bindings', () => {
    expect(
      run('any Job.TaskGroups as tg { any tg.Tasks as t { t.Config.image == "redis:7" } }'),
    ).toBe(true);
    expect(run('all Job.TaskGroups as tg { all tg.Tasks as t { t.Driver == "exec" } }')).toBe(
      false,
    );
  });

  test('an empty collection: any is false, all is true', () => {
    expect(run('any PreemptedAllocations as a { a == "x" }')).toBe(false);
    expect(run('all PreemptedAllocations as a { a == "x" }')).toBe(true);
  });

  test('errors', () => {
    expect(failure('any Job.Datacenters as i, i { i == 1 }')).toBe(
      '"i" cannot be used as a placeholder for both the index and the value',
    );
    expect(failure('any Job.Datacenters as i, _ { i.x == 1 }')).toBe(
      '/i references a int so /i/x is invalid',
    );
    expect(failure('any Job as j { j == 1 }')).toBe('Job is not a list or a map');
  });
});

test('JSON pointer selectors reach keys a dotted selector cannot', () => {
  const odd = allocation({ Job: { Meta: { 'a/b': 'slash', 'c~d': 'tilde' } } });
  expect(run('"/Job/Meta/a~1b" == slash', odd)).toBe(true);
  expect(run('"/Job/Meta/c~0d" == tilde', odd)).toBe(true);
  expect(run('Job.Meta["a/b"] == slash', odd)).toBe(true);
});

import { describe, expect, test } from 'vitest';
import { EndpointError } from '../endpoint-error.js';
import { compileFilter } from './filter.js';
import { allocation } from './test-support/allocation.js';

const alloc = allocation();

/** Evaluates `expression` against `item` (the fixture allocation by default). */
function run(expression: string, item: unknown = alloc): boolean {
  const predicate = compileFilter(expression);
  if (!predicate) throw new Error('no filter');
  return predicate(item);
}

/** The EndpointError thrown by `fn`. */
function endpointError(fn: () => unknown): EndpointError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EndpointError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

const PARSE = 'failed to create result paginator: failed to read filter expression: ';
const PAGE = 'failed to read result page: ';

test('an empty expression is no filter', () => {
  expect(compileFilter('')).toBeUndefined();
});

describe('expressions Nomad users write', () => {
  test.each([
    ['TaskGroup == "web"', true],
    ['TaskGroup == "db"', false],
    ['TaskGroup == web', true],
    ['ClientStatus != "running"', false],
    ['ClientStatus == "running" and DesiredStatus == "run"', true],
    ['Namespace == "non-default"', false],
    ['ID contains "aaa"', true],
    ['ID contains "zzz"', false],
    ['"aaaa" in ID', true],
    ['ID matches "^aaaa[0-9]+-"', true],
    ['ID not matches "^b"', true],
    ['Name matches `web\\.web\\[\\d+\\]`', true],
    ['Job.Priority == 50', true],
    ['Job.Priority == "50"', true],
    ['Job.Priority != 70', true],
    ['Job.Stop == false', true],
    ['Job.Stop == "False"', true],
    ['Job.Stable == true', true],
    ['"dc2" in Job.Datacenters', true],
    ['Job.Datacenters contains "dc3"', false],
    ['"redis" in TaskStates', true],
    ['TaskStates contains "postgres"', false],
    ['"postgres" not in TaskStates', true],
    ['TaskStates.redis.State == "running"', true],
    ['TaskStates.redis.Failed == false and TaskStates.redis.Restarts == 1', true],
    ['TaskStates["redis"].State == "running"', true],
    ['TaskStates.postgres == "running"', false],
    ['TaskStates.postgres != "running"', true],
    ['Job.Meta.owner == "ops"', true],
    ['Job.Meta["team.name"] == "platform"', true],
    ['Job.Meta.missing == "ops"', false],
    ['Job.Meta contains "owner"', true],
    ['Job.Meta is not empty', true],
    ['Job.TaskGroups.0.Meta is empty', true],
    ['Job.TaskGroups.0.Meta.owner == "ops"', false],
    ['Job.TaskGroups.0.Tasks.0.Config.image == "redis:7"', true],
    ['Job.TaskGroups.0.Tasks.0.Driver == docker', true],
    ['PreemptedAllocations is empty', true],
    ['DesiredTransition.Migrate is nil', true],
    ['DeploymentStatus is nil', true],
    ['Job is not nil', true],
    ['NextAllocation is empty', true],
    ['"/TaskStates/redis/State" == "running"', true],
    ['Metrics.NodesAvailable.dc1 == 2', true],
    ['Metrics.ScoreMetaData.0.NormScore == 0.75', true],
    ['CreateIndex == 1000', true],
    ['ModifyTime == 1700000000123456789', true],
  ])('%s → %s', (expression, want) => {
    expect(run(expression)).toBe(want);
  });

  test('and, or, not and parentheses nest', () => {
    expect(
      run('TaskGroup == "web" and (ClientStatus == "failed" or ClientStatus == "running")'),
    ).toBe(true);
    expect(
      run('TaskGroup == "web" and not (ClientStatus == "failed" or ClientStatus == "running")'),
    ).toBe(false);
    expect(run('not TaskGroup == "db" and Job.Meta.owner == "ops"')).toBe(true);
    expect(
      run('(TaskGroup == "db" or Job.Priority == 50) and not not Namespace == "default"'),
    ).toBe(true);
    // `and` binds tighter than `or`.
    expect(run('TaskGroup == "db" and Job.Priority == 1 or Job.Priority == 50')).toBe(true);
    expect(run('TaskGroup == "db" and (Job.Priority == 1 or Job.Priority == 50)')).toBe(false);
  });

  test('any and all iterate over slices and maps', () => {
    expect(run('any Job.Datacenters as dc { dc == "dc2" }')).toBe(true);
    expect(run('all Job.Datacenters as dc { dc == "dc2" }')).toBe(false);
    expect(
      run('any TaskStates as name, state { name == "redis" and state.State == "running" }'),
    ).toBe(true);
    expect(run('all TaskStates as _, state { state.Failed == false }')).toBe(true);
    expect(run('any Job.TaskGroups as tg { any tg.Tasks as t { t.Driver == "docker" } }')).toBe(
      true,
    );
  });

  test('a filter compiled once serves many items', () => {
    const predicate = compileFilter('TaskGroup == "web" and TaskStates.redis.State == "running"');
    const items = Array.from({ length: 10_000 }, (_, i) =>
      allocation({ TaskGroup: i % 2 === 0 ? 'web' : 'db', ID: `${i}` }),
    );
    expect(items.filter((item) => predicate?.(item)).length).toBe(5_000);
  });
});

describe("`matches` is Go's regexp: RE2 syntax, linear time", () => {
  test.each([
    ['Name matches "(?i)WEB"', true],
    ['Name matches `\\Qweb.web[0]\\E`', true],
    ['Name matches `\\Qweb.webX0]\\E`', false],
    ['TaskGroup matches "^[[:alpha:]]+$"', true],
    ['TaskGroup matches `^\\pL+$`', true],
    ['Job.Meta.owner matches "(?i)^OPS$"', true],
  ])('%s → %s', (expression, want) => {
    expect(run(expression)).toBe(want);
  });

  test('(?i) folds as Go does: "s" matches the long s', () => {
    expect(run('Name matches "(?i)s"', allocation({ Name: 'ſ' }))).toBe(true);
    expect(run('Name matches "s"', allocation({ Name: 'ſ' }))).toBe(false);
  });

  test('a pattern with nested quantifiers answers at once over a long ID', () => {
    const predicate = compileFilter('ID matches "^(a+)+$"');
    expect(predicate?.(allocation({ ID: `${'a'.repeat(10_000)}!` }))).toBe(false);
    expect(predicate?.(allocation({ ID: 'a'.repeat(10_000) }))).toBe(true);
  });

  test("a pattern Go refuses is a 400 with Go's text", () => {
    for (const [expression, detail] of [
      [
        'ID matches "a(?=b)"',
        '"a(?=b)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
      ],
      ['ID matches `(a)\\1`', '"(a)\\\\1": error parsing regexp: invalid escape sequence: `\\1`'],
      ['ID matches "(a"', '"(a": error parsing regexp: missing closing ): `(a`'],
    ] as const) {
      const err = endpointError(() => run(expression));
      expect(err.status).toBe(400);
      expect(err.message).toBe(`${PAGE}failed to compile regular expression ${detail}`);
    }
  });
});

describe('selectors resolve as go-bexpr v0.1.16 resolves them', () => {
  const job = alloc.Job as Record<string, unknown>;
  const group = (job.TaskGroups as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  const withoutGroups = allocation({ Job: { ...job, TaskGroups: null } });
  const withoutTasks = allocation({ Job: { ...job, TaskGroups: [{ ...group, Tasks: null }] } });

  test('the empty JSON pointer "" is the key "", not the whole object', () => {
    const err = endpointError(() => run('"" == "x"'));
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      `${PAGE}error finding value in datum: / at part 0: couldn't find key: struct field with name ""`,
    );
    expect(() => run('"" is not nil')).toThrow('struct field with name ""');
  });

  test('a null TaskGroups is a nil list: indexing it is out of range', () => {
    const err = endpointError(() => run('Job.TaskGroups.0 == web', withoutGroups));
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      `${PAGE}error finding value in datum: /Job/TaskGroups/0 at part 2: index 0 is out of range (length = 0)`,
    );
    expect(run('Job.TaskGroups is empty', withoutGroups)).toBe(true);
    expect(run('Job.TaskGroups is nil', withoutGroups)).toBe(true);
    expect(run('any Job.TaskGroups as tg { tg.Name == web }', withoutGroups)).toBe(false);
  });

  test('a null Tasks of a task group is a nil list too', () => {
    expect(
      endpointError(() => run('Job.TaskGroups.0.Tasks.0.Driver == docker', withoutTasks)).message,
    ).toBe(
      `${PAGE}error finding value in datum: /Job/TaskGroups/0/Tasks/0/Driver at part 4: index 0 is out of range (length = 0)`,
    );
    expect(run('Job.TaskGroups.0.Tasks is empty', withoutTasks)).toBe(true);
  });

  test("AllocatedResources' Tasks is a map, null or not", () => {
    expect(run('AllocatedResources.Tasks.redis is not nil')).toBe(true);
    const nilTasks = allocation({
      AllocatedResources: { ...(alloc.AllocatedResources as object), Tasks: null },
    });
    expect(run('AllocatedResources.Tasks.redis is nil', nilTasks)).toBe(true);
    expect(run('AllocatedResources.Tasks contains "redis"', nilTasks)).toBe(false);
  });
});

describe('parse errors are 400 "failed to read filter expression"', () => {
  test.each([
    // go-bexpr has no ordering operators.
    [
      'Job.Priority > 50',
      '1:14 (13): no match found, expected: "!=", "==", "contains", "in", "is", "matches", "not" or [ \\t\\r\\n]',
    ],
    [
      'TaskGroup == ',
      '1:14 (13): no match found, expected: "-", "0", "\\"", "`", [ \\t\\r\\n], [1-9] or [a-zA-Z]',
    ],
    ['(TaskGroup == "web"', '1:20 (19): rule "grouping": Unmatched parentheses'],
    ['TaskGroup == "web")', '1:19 (18): no match found, expected: [ \\t\\r\\n] or EOF'],
    ['TaskGroup == "web', '1:18 (17): rule "string": Unterminated string literal'],
    ['TaskGroup == "w\\q"', '1:14 (13): rule "string": invalid syntax'],
    ['Job.Priority == 01', '1:18 (17): rule "number": Invalid number literal'],
    ['"web" in 1', '1:10 (9): rule "match": Invalid selector'],
    ['TaskStates[redis] == 1', '1:12 (11): rule "index": Invalid index'],
    ['TaskStates["redis" == 1', '1:20 (19): rule "index": Unclosed index expression'],
    ['TaskGroup == "web" and', '1:23 (22): no match found, expected: [ \\t\\r\\n]'],
    // '' is "no filter", but a blank expression is parsed (and fails).
    [
      ' ',
      '1:2 (1): no match found, expected: "(", "-", "0", "\\"", "`", "all", "any", "not", [ \\t\\r\\n], [1-9] or [a-zA-Z]',
    ],
  ])('%j', (expression, detail) => {
    const err = endpointError(() => compileFilter(expression));
    expect(err.status).toBe(400);
    expect(err.message).toBe(PARSE + detail);
  });

  test('every error found while parsing is reported, one per line', () => {
    expect(endpointError(() => compileFilter('a == "\\q" and b == "\\z"')).message).toBe(
      `${PARSE}1:6 (5): rule "string": invalid syntax\n1:20 (19): rule "string": invalid syntax`,
    );
  });

  test('positions count characters for the column and UTF-8 bytes for the offset', () => {
    expect(endpointError(() => compileFilter('Name == "é" )')).message).toBe(
      `${PARSE}1:13 (13): no match found, expected: "and", "or", [ \\t\\r\\n] or EOF`,
    );
    expect(endpointError(() => compileFilter('Name == "x"\nand')).message).toBe(
      `${PARSE}2:4 (15): no match found, expected: [ \\t\\r\\n]`,
    );
  });
});

describe('evaluation errors are 400 "failed to read result page"', () => {
  test.each([
    // List stubs have JobType/JobVersion; the full Allocation does not.
    [
      'JobType == "service"',
      'error finding value in datum: /JobType at part 0: couldn\'t find key: struct field with name "JobType"',
    ],
    [
      'JobVersion == 3',
      'error finding value in datum: /JobVersion at part 0: couldn\'t find key: struct field with name "JobVersion"',
    ],
    [
      'Job.JobType == "x"',
      'error finding value in datum: /Job/JobType at part 1: couldn\'t find key: struct field with name "JobType"',
    ],
    [
      'taskgroup == "web"',
      'error finding value in datum: /taskgroup at part 0: couldn\'t find key: struct field with name "taskgroup"',
    ],
    [
      'TaskStates.postgres.State == "running"',
      'error finding value in datum: /TaskStates/postgres/State at part 1: couldn\'t find key "postgres"',
    ],
    [
      'TaskStates.redis.Nope == "x"',
      'error finding value in datum: /TaskStates/redis/Nope at part 2: couldn\'t find key: struct field with name "Nope"',
    ],
    [
      'DeploymentStatus.Healthy == true',
      'error finding value in datum: /DeploymentStatus/Healthy: at part 1, invalid value kind: invalid',
    ],
    [
      'TaskGroup.x == "y"',
      'error finding value in datum: /TaskGroup/x: at part 1, invalid value kind: string',
    ],
    [
      'Job.Datacenters.5 == "dc1"',
      'error finding value in datum: /Job/Datacenters/5 at part 2: index 5 is out of range (length = 2)',
    ],
    // A `*bool` is never "empty" for go-bexpr: nil has kind invalid, set it has kind bool.
    [
      'DesiredTransition.Migrate is empty',
      'cannot perform is-empty operations on type invalid for selector: "DesiredTransition.Migrate"',
    ],
    [
      'Job.Priority is empty',
      'cannot perform is-empty operations on type int for selector: "Job.Priority"',
    ],
    [
      '"5" in Job.Priority',
      'cannot perform in/contains operations on type int for selector: "Job.Priority"',
    ],
    [
      'Job.Priority == 50.5',
      'error getting match value in expression: strconv.ParseInt: parsing "50.5": invalid syntax',
    ],
    [
      'Job.Priority == high',
      'error getting match value in expression: strconv.ParseInt: parsing "high": invalid syntax',
    ],
    [
      'Job.Stop == yes',
      'error getting match value in expression: strconv.ParseBool: parsing "yes": invalid syntax',
    ],
    [
      'Job.Version == -1',
      'error getting match value in expression: strconv.ParseUint: parsing "-1": invalid syntax',
    ],
    ['Job.Meta == "ops"', 'unable to find suitable primitive comparison function for matching'],
    ['Job.Priority matches "5"', 'value of type int is not convertible to []byte'],
    [
      'ID matches "("',
      'failed to compile regular expression "(": error parsing regexp: missing closing ): `(`',
    ],
    ['any Job.Priority as p { p == 1 }', 'Job.Priority is not a list or a map'],
    [
      'any TaskStates as name { name.State == "x" }',
      '/name references a string so /name/State is invalid',
    ],
  ])('%s', (expression, detail) => {
    const err = endpointError(() => run(expression));
    expect(err.status).toBe(400);
    expect(err.message).toBe(PAGE + detail);
  });

  test('errors come from evaluation: short-circuiting can skip a bad selector', () => {
    expect(run('TaskGroup == "web" or JobType == "service"')).toBe(true);
    expect(() => run('TaskGroup == "db" or JobType == "service"')).toThrow(EndpointError);
  });
});

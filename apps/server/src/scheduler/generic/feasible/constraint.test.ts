import { describe, expect, it } from 'vitest';

import { mockNode } from '../../../test-support/mock.js';
import { checkOperand, constraintText, meetsConstraint, resolveTarget } from './constraint.js';
import { versionMatches } from './go-version.js';
import { globMatch } from './glob.js';

const node = mockNode({
  ID: '11111111-2222-3333-4444-555555555555',
  Name: 'web-1',
  Datacenter: 'dc1',
  NodeClass: 'large',
  NodePool: '',
  Attributes: {
    'kernel.name': 'linux',
    'cpu.numcores': '8',
    'nomad.version': '1.7.3',
    tags: 'a, b,c',
  },
  Meta: { rack: 'r1' },
});

const c = (LTarget: string, Operand: string, RTarget: string) => ({ LTarget, Operand, RTarget });

describe('constraint targets', () => {
  it('interpolates node fields, attributes and meta', () => {
    expect(resolveTarget('${node.unique.id}', node)).toBe(node.ID);
    expect(resolveTarget('${node.unique.name}', node)).toBe('web-1');
    expect(resolveTarget('${node.datacenter}', node)).toBe('dc1');
    expect(resolveTarget('${node.class}', node)).toBe('large');
    expect(resolveTarget('${node.pool}', node)).toBe('default');
    expect(resolveTarget('${attr.kernel.name}', node)).toBe('linux');
    expect(resolveTarget('${meta.rack}', node)).toBe('r1');
    expect(resolveTarget('${meta.missing}', node)).toBeUndefined();
    expect(resolveTarget('${bogus}', node)).toBeUndefined();
    expect(resolveTarget('literal', node)).toBe('literal');
  });
});

describe('constraint operands', () => {
  const cases: [string, string, string, boolean][] = [
    ['${attr.kernel.name}', '=', 'linux', true],
    ['${attr.kernel.name}', '==', 'windows', false],
    ['${attr.kernel.name}', 'is', 'linux', true],
    ['${attr.kernel.name}', '!=', 'windows', true],
    ['${attr.kernel.name}', 'not', 'linux', false],
    ['${attr.missing}', '!=', 'x', true],
    ['${attr.missing}', '=', '${attr.other}', false],
    ['${attr.cpu.numcores}', '>', '4', true],
    ['${attr.cpu.numcores}', '<', '10', true], // numerically, not "8" < "10" lexically
    ['${attr.cpu.numcores}', '>=', '8', true],
    ['${attr.cpu.numcores}', '<=', '7.5', false],
    ['${meta.rack}', '<', 'r2', true], // lexically
    ['${attr.missing}', '<', '1', false],
    ['${attr.kernel.name}', 'regexp', '^lin', true],
    ['${attr.kernel.name}', 'regexp', 'nux', true],
    ['${attr.kernel.name}', 'regexp', '[', false],
    ['${attr.kernel.name}', 'regexp', '(?i)^LINUX$', true],
    ['${attr.kernel.name}', 'regexp', '^\\pL+$', true],
    ['${attr.kernel.name}', 'regexp', '\\Qli.ux\\E', false],
    ['${attr.kernel.name}', 'is_set', '', true],
    ['${attr.missing}', 'is_set', '', false],
    ['${attr.missing}', 'is_not_set', '', true],
    ['${attr.tags}', 'set_contains', 'a,c', true],
    ['${attr.tags}', 'set_contains', 'a,d', false],
    ['${attr.tags}', 'set_contains_all', 'b', true],
    ['${attr.tags}', 'set_contains_any', 'x,c', true],
    ['${attr.tags}', 'set_contains_any', 'x,y', false],
    ['${attr.nomad.version}', 'version', '>= 1.2, < 2.0', true],
    ['${attr.nomad.version}', 'version', '~> 1.6', true],
    ['${attr.nomad.version}', 'version', '~> 1.6.0', false],
    ['${attr.nomad.version}', 'version', '> 1.7.3', false],
    ['${attr.nomad.version}', 'version', 'garbage', false],
    ['${attr.kernel.name}', 'unknown-op', 'linux', false],
    ['', 'distinct_hosts', 'true', true],
  ];
  for (const [l, op, r, want] of cases) {
    it(`${l} ${op} ${r} → ${want}`, () => {
      expect(meetsConstraint(c(l, op, r), node)).toBe(want);
    });
  }

  it('prints a constraint as Nomad does', () => {
    expect(constraintText(c('${attr.kernel.name}', '=', 'linux'))).toBe(
      '${attr.kernel.name} = linux',
    );
  });

  it("regexp is Go's: RE2 syntax, linear time", () => {
    const long = mockNode({ Attributes: { 'unique.hostname': `${'a'.repeat(10_000)}!` } });
    expect(meetsConstraint(c('${attr.unique.hostname}', 'regexp', '^(a+)+$'), long)).toBe(false);
    expect(meetsConstraint(c('${attr.unique.hostname}', 'regexp', '^(a+)+!$'), long)).toBe(true);
  });

  it('a pattern interpolated from the node that Go refuses matches nothing', () => {
    const patterned = mockNode({ Meta: { pattern: 'lin(?=ux)' }, Attributes: { os: 'linux' } });
    expect(meetsConstraint(c('${attr.os}', 'regexp', '${meta.pattern}'), patterned)).toBe(false);
    const valid = mockNode({ Meta: { pattern: '(?i)LIN' }, Attributes: { os: 'linux' } });
    expect(meetsConstraint(c('${attr.os}', 'regexp', '${meta.pattern}'), valid)).toBe(true);
  });

  it('orders a long run of digits without backtracking', () => {
    const digits = '1'.repeat(200_000);
    // Not a number (the trailing x), so compared as text.
    expect(checkOperand('<', `${digits}x`, '2')).toBe(true);
    expect(checkOperand('>', `${digits}.5`, '2')).toBe(true);
  });

  it('is_set ignores the right target', () => {
    expect(checkOperand('is_set', 'x', undefined)).toBe(true);
  });
});

describe('go-version constraints', () => {
  it('follows go-version for pre-releases and padding', () => {
    expect(versionMatches('1.2', '= 1.2.0')).toBe(true);
    expect(versionMatches('v1.2.3', '>= 1.2')).toBe(true);
    expect(versionMatches('1.3.0-beta1', '>= 1.2')).toBe(false);
    expect(versionMatches('1.3.0-beta2', '>= 1.3.0-beta1')).toBe(true);
    expect(versionMatches('1.3.0', '> 1.3.0-beta1')).toBe(true);
    expect(versionMatches('2.0.0', '~> 1.2')).toBe(false);
    expect(versionMatches('1.9.0', '~> 1.2')).toBe(true);
    expect(versionMatches('1.2.9', '~> 1.2.3')).toBe(true);
    expect(versionMatches('1.3.0', '~> 1.2.3')).toBe(false);
    expect(versionMatches('1.0', '!= 1.0.0')).toBe(false);
  });

  it('parses long versions and constraints without backtracking', () => {
    expect(versionMatches(`1-${'a-'.repeat(100_000)}!`, '>= 1')).toBe(false);
    expect(versionMatches(`1-${'a'.repeat(200_000)}`, '>= 0.1')).toBe(false); // a pre-release
    expect(versionMatches('1.0', `${' '.repeat(200_000)}>= 1`)).toBe(true);
    expect(versionMatches('1.0', `${' '.repeat(200_000)}1 1`)).toBe(false);
  });
});

describe('datacenter globs', () => {
  it('matches * anywhere', () => {
    expect(globMatch('*', 'dc1')).toBe(true);
    expect(globMatch('dc*', 'dc1')).toBe(true);
    expect(globMatch('dc*', 'xdc1')).toBe(false);
    expect(globMatch('*-west', 'eu-west')).toBe(true);
    expect(globMatch('eu-*-1', 'eu-west-1')).toBe(true);
    expect(globMatch('eu-*-1', 'eu-west-2')).toBe(false);
    expect(globMatch('dc1', 'dc1')).toBe(true);
    expect(globMatch('dc1', 'dc10')).toBe(false);
  });
});

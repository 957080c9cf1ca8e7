import { describe, expect, it } from 'vitest';
import { compileAcl, denyAllAcl, managementAcl, maxPrivilege, parsePolicy } from './index.js';
import type { Acl } from './index.js';

/** The ACL of a token holding the policies with these rules. */
const aclOf = (...rules: string[]): Acl => compileAcl(rules.map((r) => parsePolicy(r)));

// Nomad's acl_test.go policies.
const readAll = `
namespace "default" { policy = "read" }
node_pool "my-pool" { policy = "read" }
agent { policy = "read" }
node { policy = "read" }
operator { policy = "read" }
quota { policy = "read" }
`;
const writeAll = readAll.replaceAll('"read"', '"write"');
const denyAll = readAll.replaceAll('"read"', '"deny"');

/** Every coarse check, in a fixed order, for comparing ACLs at a glance. */
const coarse = (acl: Acl) => ({
  agent: [acl.allowAgentRead(), acl.allowAgentWrite()],
  node: [acl.allowNodeRead(), acl.allowNodeWrite()],
  operator: [acl.allowOperatorRead(), acl.allowOperatorWrite()],
  quota: [acl.allowQuotaRead(), acl.allowQuotaWrite()],
});

describe('maxPrivilege', () => {
  it('ranks deny over write over read over list, and drops anything else', () => {
    for (const [winner, losers] of [
      ['deny', ['deny', 'write', 'read', 'list', '']],
      ['write', ['write', 'read', 'list', '']],
      ['read', ['read', 'list', '']],
      ['list', ['list', '']],
    ] as const) {
      for (const loser of losers) {
        expect(maxPrivilege(winner, loser)).toBe(winner);
        expect(maxPrivilege(loser, winner)).toBe(winner);
      }
    }
    expect(maxPrivilege('scale', '')).toBe('');
    expect(maxPrivilege('scale', 'read')).toBe('read');
  });
});

describe('managementAcl and denyAllAcl', () => {
  it('allow everything, and nothing', () => {
    expect(managementAcl.isManagement()).toBe(true);
    expect(managementAcl.allowNamespaceOperation('anything', 'submit-job')).toBe(true);
    expect(managementAcl.allowAnyNamespaceOperation('alloc-exec')).toBe(true);
    expect(managementAcl.allowNodePoolOperation('my-pool', 'write')).toBe(true);
    expect(coarse(managementAcl)).toEqual({
      agent: [true, true],
      node: [true, true],
      operator: [true, true],
      quota: [true, true],
    });

    expect(denyAllAcl.isManagement()).toBe(false);
    expect(denyAllAcl.allowNamespaceOperation('default', 'read-job')).toBe(false);
    expect(denyAllAcl.allowNamespace('*')).toBe(false);
    expect(denyAllAcl.allowAnyNamespaceOperation('read-job')).toBe(false);
    expect(denyAllAcl.allowPluginList()).toBe(false);
    expect(coarse(denyAllAcl)).toEqual({
      agent: [false, false],
      node: [false, false],
      operator: [false, false],
      quota: [false, false],
    });
  });
});

describe('compileAcl merges policies as Nomad does (TestACLMerge)', () => {
  it('read + write: the most privilege', () => {
    const acl = aclOf(readAll, writeAll);
    expect(acl.isManagement()).toBe(false);
    expect(acl.allowNamespaceOperation('default', 'list-jobs')).toBe(true);
    expect(acl.allowNamespaceOperation('default', 'submit-job')).toBe(true);
    expect(acl.allowNamespace('default')).toBe(true);
    expect(acl.allowNamespaceOperation('foo', 'list-jobs')).toBe(false);
    expect(acl.allowNamespace('foo')).toBe(false);
    expect(acl.allowNodePoolOperation('my-pool', 'write')).toBe(true);
    expect(acl.allowNodePool('other-pool')).toBe(false);
    expect(coarse(acl)).toEqual({
      agent: [true, true],
      node: [true, true],
      operator: [true, true],
      quota: [true, true],
    });
  });

  it('read + an empty policy: read', () => {
    const acl = compileAcl([parsePolicy(readAll), parsePolicy('')]);
    expect(acl.allowNamespaceOperation('default', 'list-jobs')).toBe(true);
    expect(acl.allowNamespaceOperation('default', 'submit-job')).toBe(false);
    expect(acl.allowNamespaceOperation('default', 'host-volume-register')).toBe(false);
    expect(acl.allowNodePoolOperation('my-pool', 'read')).toBe(true);
    expect(acl.allowNodePoolOperation('my-pool', 'write')).toBe(false);
    expect(coarse(acl)).toEqual({
      agent: [true, false],
      node: [true, false],
      operator: [true, false],
      quota: [true, false],
    });
  });

  it('read + deny: deny wins everywhere, whichever policy comes first', () => {
    for (const acl of [aclOf(readAll, denyAll), aclOf(denyAll, readAll)]) {
      expect(acl.allowNamespaceOperation('default', 'list-jobs')).toBe(false);
      expect(acl.allowNamespace('default')).toBe(false);
      expect(acl.allowNodePoolOperation('my-pool', 'read')).toBe(false);
      expect(acl.allowNodePool('my-pool')).toBe(false);
      expect(coarse(acl)).toEqual({
        agent: [false, false],
        node: [false, false],
        operator: [false, false],
        quota: [false, false],
      });
    }
  });

  it('a deny capability in one policy clears what another grants for that name', () => {
    const acl = aclOf(
      'namespace "prod" { policy = "write" }',
      'namespace "prod" { capabilities = ["read-logs", "deny"] }',
    );
    expect(acl.allowNamespaceOperation('prod', 'read-job')).toBe(false);
    expect(acl.allowNamespaceOperation('prod', 'read-logs')).toBe(false);
    expect(acl.allowNamespace('prod')).toBe(false);
  });

  it('the union of capabilities for a name across policies', () => {
    const acl = aclOf(
      'namespace "prod" { capabilities = ["read-job"] }',
      'namespace "prod" { capabilities = ["alloc-lifecycle"] }',
    );
    expect(acl.allowNamespaceOperation('prod', 'read-job')).toBe(true);
    expect(acl.allowNamespaceOperation('prod', 'alloc-lifecycle')).toBe(true);
    expect(acl.allowNamespaceOperation('prod', 'submit-job')).toBe(false);
  });
});

describe('namespace rules', () => {
  it.each([
    ['namespace "foo" {}', 'foo', false],
    ['namespace "foo" { policy = "deny" }', 'foo', false],
    ['namespace "foo" { capabilities = ["deny"] }', 'foo', false],
    ['namespace "foo" { capabilities = ["list-jobs"] }', 'foo', true],
    ['namespace "foo" { policy = "read" }', 'foo', true],
    ['namespace "foo" {}', '*', false],
    ['namespace "foo" { policy = "deny" }', '*', false],
    ['namespace "foo" { capabilities = ["deny"] }', '*', false],
    ['namespace "foo" { capabilities = ["list-jobs"] }', '*', true],
    ['namespace "foo" { policy = "read" }', '*', true],
    ['agent { policy = "read" }', '*', false],
  ])('%s: allowNamespace(%j) is %s (TestAllowNamespace)', (rules, namespace, allowed) => {
    expect(aclOf(rules).allowNamespace(namespace)).toBe(allowed);
  });

  it.each([
    ['namespace "prod-api-*" { policy = "write" }', 'prod-api-services', true],
    ['namespace "prod-api" { policy = "write" }', 'prod-api-services', false],
    [
      'namespace "prod-api-services" { policy = "deny" }\nnamespace "prod-api-*" { policy = "write" }',
      'prod-api-services',
      false,
    ],
    [
      'namespace "prod-api-*" { policy = "deny" }\nnamespace "prod-api-services" { policy = "write" }',
      'prod-api-services',
      true,
    ],
    [
      'namespace "*-api-services" { policy = "deny" }\nnamespace "prod-api-*" { policy = "write" }',
      'prod-api-services',
      false,
    ],
    [
      'namespace "prod-api-*" { policy = "write" }\nnamespace "*-api-services" { policy = "deny" }',
      'prod-api-services',
      false,
    ],
    [
      'namespace "prod-api-*" { policy = "deny" }\nnamespace "prod-api-services" { policy = "write" }',
      '*',
      true,
    ],
  ])(
    '%s: allowNamespace(%j) is %s (TestWildcardNamespaceMatching)',
    (rules, namespace, allowed) => {
      expect(aclOf(rules).allowNamespace(namespace)).toBe(allowed);
    },
  );

  it('takes the glob leaving the fewest characters to its stars', () => {
    const acl = aclOf(`
namespace "*" { capabilities = ["list-jobs"] }
namespace "production-*" { capabilities = ["read-job"] }
namespace "production-*-api" { capabilities = ["submit-job"] }
`);
    // production-admin-api: "*" leaves 20, "production-*" 9, "production-*-api" 5.
    expect(acl.allowNamespaceOperation('production-admin-api', 'submit-job')).toBe(true);
    expect(acl.allowNamespaceOperation('production-admin-api', 'read-job')).toBe(false);
    expect(acl.allowNamespaceOperation('production-web', 'read-job')).toBe(true);
    expect(acl.allowNamespaceOperation('staging', 'list-jobs')).toBe(true);
    expect(acl.allowNamespaceOperation('staging', 'read-job')).toBe(false);
  });

  it('breaks a tie between globs in favour of the one that sorts last, as Nomad does', () => {
    // "prod-*" and "*d-api" both leave 3 characters of "prod-api" to their star.
    const rules = [
      'namespace "prod-*" { policy = "read" }',
      'namespace "*d-api" { policy = "deny" }',
    ];
    for (const acl of [aclOf(...rules), aclOf(...rules.reverse())]) {
      expect(acl.allowNamespaceOperation('prod-api', 'read-job')).toBe(true);
    }
  });

  it('lets an exact rule without capabilities shadow the globs', () => {
    const acl = aclOf('namespace "default" {}\nnamespace "*" { policy = "write" }');
    expect(acl.allowNamespaceOperation('default', 'read-job')).toBe(false);
    expect(acl.allowNamespaceOperation('other', 'read-job')).toBe(true);
  });

  it('answers `*` requests by any rule granting the capability (allowAnyNamespaceOperation)', () => {
    const acl = aclOf(
      'namespace "prod" { capabilities = ["read-job"] }\nnamespace "dev-*" { capabilities = ["alloc-lifecycle"] }\nnamespace "secret" { policy = "deny" }',
    );
    expect(acl.allowAnyNamespaceOperation('read-job')).toBe(true);
    expect(acl.allowAnyNamespaceOperation('alloc-lifecycle')).toBe(true);
    expect(acl.allowAnyNamespaceOperation('submit-job')).toBe(false);
    expect(acl.allowNamespaceOperation('*', 'read-job')).toBe(true);
    // The filter after the coarse check: per namespace.
    expect(acl.allowNamespaceOperation('dev-1', 'read-job')).toBe(false);
    expect(acl.allowNamespaceOperation('secret', 'read-job')).toBe(false);
  });
});

describe('node pool and host volume rules', () => {
  it('follow the same merging and glob rules (TestNodePool, TestWildcardHostVolumeMatching)', () => {
    const pools = aclOf(
      'node_pool "my-pool" { capabilities = ["write"] }\nnode_pool "*" { policy = "read" }',
    );
    expect(pools.allowNodePoolOperation('my-pool', 'write')).toBe(true);
    expect(pools.allowNodePoolOperation('my-pool', 'read')).toBe(false);
    expect(pools.allowNodePoolOperation('other', 'read')).toBe(true);
    expect(pools.allowNodePool('other')).toBe(true);

    for (const [rules, allowed] of [
      ['host_volume "prod-api-*" { policy = "write" }', true],
      ['host_volume "prod-api" { policy = "write" }', false],
      [
        'host_volume "prod-api-services" { policy = "deny" }\nhost_volume "prod-api-*" { policy = "write" }',
        false,
      ],
      [
        'host_volume "prod-api-*" { policy = "deny" }\nhost_volume "prod-api-services" { policy = "write" }',
        true,
      ],
      [
        'host_volume "*-api-services" { policy = "deny" }\nhost_volume "prod-api-*" { policy = "write" }',
        false,
      ],
    ] as const) {
      expect(aclOf(rules).allowHostVolume('prod-api-services')).toBe(allowed);
    }
    const volumes = aclOf('host_volume "certs" { policy = "read" }');
    expect(volumes.allowHostVolumeOperation('certs', 'mount-readonly')).toBe(true);
    expect(volumes.allowHostVolumeOperation('certs', 'mount-readwrite')).toBe(false);
  });
});

describe('coarse blocks', () => {
  it('plugin: read allows read and list, list only list, write neither (Nomad)', () => {
    const plugin = (policy: string) => {
      const acl = aclOf(`plugin { policy = "${policy}" }`);
      return [acl.allowPluginRead(), acl.allowPluginList()];
    };
    expect(plugin('read')).toEqual([true, true]);
    expect(plugin('list')).toEqual([false, true]);
    expect(plugin('write')).toEqual([false, false]);
    expect(plugin('deny')).toEqual([false, false]);
  });

  it('scale grants no coarse access', () => {
    expect(coarse(aclOf('agent { policy = "scale" }\nnode { policy = "scale" }'))).toEqual({
      agent: [false, false],
      node: [false, false],
      operator: [false, false],
      quota: [false, false],
    });
  });

  it('operator capabilities: by shorthand or listed, deny in any policy clearing them', () => {
    expect(aclOf('operator { policy = "write" }').allowOperatorOperation('snapshot-save')).toBe(
      true,
    );
    expect(aclOf('operator { policy = "read" }').allowOperatorOperation('snapshot-save')).toBe(
      false,
    );
    expect(aclOf('operator { policy = "read" }').allowOperatorOperation('license-read')).toBe(true);
    const listed = aclOf('operator { capabilities = ["keyring-rotate"] }');
    expect(listed.allowOperatorOperation('keyring-rotate')).toBe(true);
    expect(listed.allowOperatorRead()).toBe(false);
    const denied = aclOf(
      'operator { capabilities = ["keyring-rotate"] }',
      'operator { capabilities = ["deny"] }',
    );
    expect(denied.allowOperatorOperation('keyring-rotate')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyParseError } from './index.js';
import type { Policy } from './index.js';

// Nomad's expansions, as listed in acl/policy_test.go.
const READ = [
  'list-jobs',
  'parse-job',
  'read-job',
  'csi-list-volume',
  'csi-read-volume',
  'read-job-scaling',
  'list-scaling-policies',
  'read-scaling-policy',
  'host-volume-read',
];
const WRITE = [
  ...READ,
  'scale-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-lifecycle',
  'csi-mount-volume',
  'csi-write-volume',
  'submit-recommendation',
  'host-volume-create',
  // implied by host-volume-create
  'host-volume-read',
];
const SCALE = [
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'read-job',
  'submit-recommendation',
];

const NOMAD_HCL = `
namespace "default" {
  policy = "read"
}
namespace "other" {
  policy = "write"
}
namespace "secret" {
  capabilities = ["deny", "read-logs"]
}
namespace "apps" {
  variables {
    path "jobs/write-does-not-imply-read-or-delete" {
      capabilities = ["write"]
    }
    path "project/read-implies-list" {
      capabilities = ["read"]
    }
    path "project/explicit" {
      capabilities = ["read", "list", "destroy"]
    }
  }
}
namespace "autoscaler" {
  policy = "scale"
}
host_volume "production-tls-*" {
  capabilities = ["mount-readonly"]
}
host_volume "staging-tls-*" {
  policy = "write"
}
node_pool "prod" {
  capabilities = ["read"]
}
node_pool "dev" {
  policy = "write"
}
agent {
  policy = "read"
}
node {
  policy = "write"
}
operator {
  policy = "deny"
}
sentinel {
  policy = "read"
  capabilities = ["sentinel-delete"]
}
quota {
  policy = "read"
}
plugin {
  policy = "read"
}
`;

// The same policy in JSON, with the trailing commas Nomad's own test carries.
const NOMAD_JSON = `
{
  "namespace": [
    { "default": { "policy": "read" }, },
    { "other": { "policy": "write" }, },
    { "secret": { "capabilities": ["deny", "read-logs"] } },
    { "apps": { "variables": [ { "path": [
      { "jobs/write-does-not-imply-read-or-delete": { "capabilities": ["write"], }, },
      { "project/read-implies-list": { "capabilities": ["read"], }, },
      { "project/explicit": { "capabilities": ["read", "list", "destroy"], }, },
    ], }, ], }, },
    { "autoscaler": { "policy": "scale" }, },
  ],
  "host_volume": [
    { "production-tls-*": { "capabilities": ["mount-readonly"] } },
    { "staging-tls-*": { "policy": "write" } }
  ],
  "node_pool": [
    { "prod": { "capabilities": ["read"] } },
    { "dev": { "policy": "write" } }
  ],
  "agent": { "policy": "read" },
  "node": { "policy": "write" },
  "operator": { "policy": "deny" },
  "sentinel": { "policy": "read", "capabilities": ["sentinel-delete"] },
  "quota": { "policy": "read" },
  "plugin": { "policy": "read" }
}`;

const NOMAD_EXPECTED: Policy = {
  namespaces: [
    {
      name: 'default',
      policy: 'read',
      capabilities: READ as Policy['namespaces'][0]['capabilities'],
    },
    {
      name: 'other',
      policy: 'write',
      capabilities: WRITE as Policy['namespaces'][0]['capabilities'],
    },
    { name: 'secret', policy: '', capabilities: ['deny', 'read-logs'] },
    {
      name: 'apps',
      policy: '',
      capabilities: [],
      variables: [
        { pathSpec: 'jobs/write-does-not-imply-read-or-delete', capabilities: ['write'] },
        { pathSpec: 'project/read-implies-list', capabilities: ['read', 'list'] },
        { pathSpec: 'project/explicit', capabilities: ['read', 'list', 'destroy'] },
      ],
    },
    {
      name: 'autoscaler',
      policy: 'scale',
      capabilities: SCALE as Policy['namespaces'][0]['capabilities'],
    },
  ],
  hostVolumes: [
    { name: 'production-tls-*', policy: '', capabilities: ['mount-readonly'] },
    { name: 'staging-tls-*', policy: 'write', capabilities: ['mount-readonly', 'mount-readwrite'] },
  ],
  nodePool: [
    { name: 'prod', policy: '', capabilities: ['read'] },
    { name: 'dev', policy: 'write', capabilities: ['delete', 'read', 'write'] },
  ],
  agent: 'read',
  node: 'write',
  operator: 'deny',
  operatorCapabilities: ['deny'],
  sentinel: 'read',
  sentinelCapabilities: ['sentinel-delete', 'sentinel-read'],
  quota: 'read',
  plugin: 'read',
};

describe('parsePolicy', () => {
  it("reads Nomad's full example policy in HCL", () => {
    expect(parsePolicy(NOMAD_HCL)).toEqual(NOMAD_EXPECTED);
  });

  it('reads the same policy written as JSON', () => {
    expect(parsePolicy(NOMAD_JSON)).toEqual(NOMAD_EXPECTED);
  });

  it("reads the documentation's example (acl-policy specification)", () => {
    const policy = parsePolicy(`
# this is a namespace rule for the "foo" namespace
namespace "foo" {
  policy = "write" # this is a policy field
  capabilities = ["alloc-exec"] # this is a capabilities list
  # this block controls access to variables in this namespace
  variables {
    path "project/*" {
      capabilities = ["read", "write"]
    }
  }
}
# this is a namespace rule, with a wildcard label
namespace "*" {
  policy = "read"
}
node {
  policy = "read"
}
agent {
  policy = "read"
}
operator {
  policy = "read"
}
quota {
  policy = "read"
}
# this is a host_volume rule, with a wildcard label
host_volume "*" {
  policy = "read"
}
plugin {
  policy = "read"
}
`);
    expect(policy.namespaces).toEqual([
      {
        name: 'foo',
        policy: 'write',
        capabilities: ['alloc-exec', ...WRITE],
        variables: [{ pathSpec: 'project/*', capabilities: ['read', 'write', 'list'] }],
      },
      { name: '*', policy: 'read', capabilities: READ },
    ]);
    expect(policy.hostVolumes).toEqual([
      { name: '*', policy: 'read', capabilities: ['mount-readonly'] },
    ]);
    expect([policy.node, policy.agent, policy.operator, policy.quota, policy.plugin]).toEqual([
      'read',
      'read',
      'read',
      'read',
      'read',
    ]);
    expect(policy.operatorCapabilities).toEqual(['license-read', 'keyring-read']);
  });

  it("reads the tutorial's JSON form, namespaces keyed by name", () => {
    const policy = parsePolicy(`{
  "namespace": {
    "default": { "policy": "read" },
    "foo": { "policy": "write" }
  },
  "agent": { "policy": "read" },
  "node": { "policy": "read" },
  "quota": { "policy": "read" }
}`);
    expect(policy.namespaces.map((ns) => [ns.name, ns.policy])).toEqual([
      ['default', 'read'],
      ['foo', 'write'],
    ]);
    expect([policy.agent, policy.node, policy.quota]).toEqual(['read', 'read', 'read']);
  });

  it("expands each shorthand to Nomad's capability list, after the listed capabilities", () => {
    const caps = (policy: string, extra = '') =>
      parsePolicy(`namespace "x" {\n  policy = "${policy}"\n  ${extra}\n}`).namespaces[0]
        ?.capabilities;
    expect(caps('read')).toEqual(READ);
    expect(caps('write')).toEqual(WRITE);
    expect(caps('scale')).toEqual(SCALE);
    expect(caps('deny')).toEqual(['deny']);
    expect(caps('read', 'capabilities = ["submit-job"]')).toEqual(['submit-job', ...READ]);
  });

  it('adds the host volume capabilities that finer ones imply', () => {
    const caps = (cap: string) =>
      parsePolicy(`namespace "x" { capabilities = ["${cap}"] }`).namespaces[0]?.capabilities;
    expect(caps('host-volume-register')).toEqual([
      'host-volume-register',
      'host-volume-create',
      'host-volume-read',
    ]);
    expect(caps('host-volume-create')).toEqual(['host-volume-create', 'host-volume-read']);
    expect(caps('host-volume-write')).toEqual([
      'host-volume-write',
      'host-volume-register',
      'host-volume-create',
      'host-volume-delete',
      'host-volume-read',
    ]);
  });

  it("expands node pool, host volume, operator and sentinel shorthands as Nomad's test lists", () => {
    const policy = parsePolicy(`
node_pool "pool-read-only" { policy = "read" }
node_pool "pool-read-write" { policy = "write" }
node_pool "pool-read-upsert" {
  policy = "read"
  capabilities = ["write"]
}
node_pool "pool-deny-policy" {
  policy = "deny"
  capabilities = ["write"]
}
node_pool "pool-deny-capability" { capabilities = ["deny", "read"] }
node_pool "pool-*" { policy = "read" }
operator { policy = "write" }
`);
    expect(policy.nodePool.map((np) => [np.name, np.capabilities])).toEqual([
      ['pool-read-only', ['read']],
      ['pool-read-write', ['delete', 'read', 'write']],
      ['pool-read-upsert', ['write', 'read']],
      ['pool-deny-policy', ['write', 'deny']],
      ['pool-deny-capability', ['deny', 'read']],
      ['pool-*', ['read']],
    ]);
    expect(policy.operatorCapabilities).toEqual([
      'snapshot-save',
      'license-read',
      'keyring-rotate',
      'keyring-read',
      'keyring-delete',
    ]);
  });

  it("accepts the capabilities Nomad's open-source parser accepts, enterprise ones too", () => {
    const policy = parsePolicy(
      'namespace "default" { capabilities = ["sentinel-override", "submit-recommendation", "purge-job"] }',
    );
    expect(policy.namespaces[0]?.capabilities).toEqual([
      'sentinel-override',
      'submit-recommendation',
      'purge-job',
    ]);
  });

  it('accepts the plugin block its extra `list` shorthand', () => {
    expect(parsePolicy('plugin { policy = "list" }').plugin).toBe('list');
  });

  it('tells an operator block granting nothing from none', () => {
    expect(parsePolicy('node { policy = "read" }').operatorCapabilities).toBeUndefined();
    expect(parsePolicy('operator {}').operatorCapabilities).toEqual([]);
    expect(parsePolicy('operator {}').operator).toBe('');
    expect(parsePolicy('sentinel { policy = "write" }').sentinelCapabilities).toEqual([
      'sentinel-read',
      'sentinel-submit',
      'sentinel-delete',
    ]);
  });

  it('treats empty rules as an empty policy, as Nomad does', () => {
    const policy = parsePolicy('');
    expect(policy.operatorCapabilities).toBeUndefined();
    expect(policy.namespaces).toEqual([]);
    expect([policy.node, policy.agent, policy.operator, policy.quota, policy.plugin]).toEqual([
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('matches block and field names case-insensitively, as hcl does, but not labels', () => {
    const policy = parsePolicy('Namespace "Default" { POLICY = "read" }\nNode { Policy = "read" }');
    expect(policy.namespaces[0]?.name).toBe('Default');
    expect(policy.namespaces[0]?.policy).toBe('read');
    expect(policy.node).toBe('read');
  });

  it('keeps the last of repeated fields and appends repeated capability lists', () => {
    const policy = parsePolicy(`namespace "x" {
  policy = "read"
  policy = "deny"
  capabilities = ["read-logs"]
  capabilities = ["read-fs"]
}`);
    expect(policy.namespaces[0]).toMatchObject({
      policy: 'deny',
      capabilities: ['read-logs', 'read-fs', 'deny'],
    });
  });

  it('reads values of other types as hcl does: numbers and booleans as their text', () => {
    expect(() => parsePolicy('node { policy = true }')).toThrow(
      'Invalid node policy: &acl.NodePolicy{Policy:"true"}',
    );
  });

  it('reads a heredoc value', () => {
    expect(() => parsePolicy('node {\n  policy = <<EOF\nread\nEOF\n}')).toThrow(
      'Invalid node policy: &acl.NodePolicy{Policy:"read\\n"}',
    );
  });

  describe('unknown and repeated top-level keys', () => {
    const extra = `
namespace "foo" {
  policy = "write"
}
namespace "bar" {
  policy = "write"
}
bogus {
  policy = "read"
}
anotherbogus {
  policy = "write"
}
node {
  policy = "read"
}
node {
  policy = "write"
}
agent {
  policy = "read"
}
agent {
  policy = "write"
}
operator {
  policy = "read"
}
operator {
  policy = "write"
}
quota {
  policy = "read"
}
quota {
  policy = "write"
}
host_volume "volume-read-only" {
  policy = "read"
}
host_volume "volume-read-write" {
  policy = "write"
}
plugin {
  policy = "read"
}
plugin {
  policy = "write"
}
node_pool "pool-read-only" {
  policy = "read"
}
node_pool "pool-read-write" {
  policy = "write"
}
`;

    it("are refused when writing a policy, all of them named as in Nomad's test", () => {
      expect(() => parsePolicy(extra)).toThrow(
        new PolicyParseError(
          'Invalid or duplicate policy keys: agent, anotherbogus, bogus, node, operator, plugin, quota',
        ),
      );
    });

    it('are ignored when reading a stored policy, the last repeat winning', () => {
      const policy = parsePolicy(extra, { strict: false });
      expect(policy.namespaces.map((ns) => ns.name)).toEqual(['foo', 'bar']);
      expect([policy.node, policy.agent, policy.operator, policy.quota, policy.plugin]).toEqual([
        'write',
        'write',
        'write',
        'write',
        'write',
      ]);
    });

    it('name the line of a single bad key, the repeat for a duplicate', () => {
      const error = catchError(() =>
        parsePolicy('node {\n  policy = "read"\n}\nnode {\n  policy = "write"\n}'),
      );
      expect(error.message).toBe('Invalid or duplicate policy keys: node (line 4)');
      expect(error.line).toBe(4);
    });

    it('count the label of a block that takes none as a key', () => {
      expect(() =>
        parsePolicy('namespace "x" { policy = "read" }\nagent { policy = "read" }\nx = 1'),
      ).toThrow('Invalid or duplicate policy keys: x (line 3)');
      // hcl's generic decoding cannot tell `agent "x" {}` from `agent { x {} }`: both refused,
      // where Nomad names the label `x` for the first.
      expect(() => parsePolicy('agent "x" { policy = "read" }')).toThrow(
        'Invalid agent policy: &acl.AgentPolicy{Policy:""} (line 1)',
      );
    });
  });
});

/** The PolicyParseError `run` throws. */
function catchError(run: () => unknown): PolicyParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
  throw new Error('expected a PolicyParseError');
}

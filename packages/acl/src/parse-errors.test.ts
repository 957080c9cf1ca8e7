import { describe, expect, it } from 'vitest';
import { MAX_POLICY_BYTES, parsePolicy, PolicyParseError } from './index.js';

/** The text and line parsePolicy refuses `rules` with. */
function refusal(rules: string): { message: string; line: number | undefined } {
  const error = catchError(() => parsePolicy(rules));
  return { message: error.message, line: error.line };
}

function catchError(run: () => unknown): PolicyParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
  throw new Error('expected a PolicyParseError');
}

const NS = (fields: string) =>
  `&acl.NamespacePolicy{${fields}, Variables:(*acl.VariablesPolicy)(nil)}`;

describe('parsePolicy refuses', () => {
  it('syntax errors with hcl’s own text and position', () => {
    expect(refusal('namespace "default" {\n  policy = "read"\n')).toEqual({
      message: 'Failed to parse ACL Policy: At 3:2: object expected closing RBRACE got: EOF',
      line: 3,
    });
    expect(refusal('node { policy = "read }')).toMatchObject({
      message: 'Failed to parse ACL Policy: At 1:24: literal not terminated',
    });
    // hcl's JSON parser words its errors without `At`.
    expect(refusal('{"node": {"policy": read}}')).toEqual({
      message: 'Failed to parse ACL Policy: 1:24: illegal char',
      line: 1,
    });
  });

  it('a panic inside the parser as Nomad recovers it', () => {
    expect(refusal('namespace "\\500" {}').message).toBe(
      'Failed to parse ACL Policy: invalid acl policy: unquote "\\500" err: invalid syntax',
    );
  });

  it('rules with no rule at all, quoting them whole', () => {
    const rules = '{\n  "Name": "my-policy",\n  "Rules": "anything"\n}';
    expect(refusal(rules).message).toBe(`Invalid policy: ${rules}`);
    expect(refusal(' \n').message).toBe('Invalid policy:  \n');
    expect(refusal('bogus { policy = "read" }').message).toBe(
      'Invalid policy: bogus { policy = "read" }',
    );
  });

  describe('namespace rules', () => {
    it('with a name Nomad does not allow', () => {
      expect(refusal('namespace "has a space"{\n  policy = "read"\n}')).toEqual({
        message: `Invalid namespace name: ${NS('Name:"has a space", Policy:"read", Capabilities:[]string(nil)')} (line 1)`,
        line: 1,
      });
      expect(refusal(`namespace "${'a'.repeat(129)}" {}`).message).toMatch(
        /^Invalid namespace name: /,
      );
    });

    it('without a name, in HCL or JSON', () => {
      expect(refusal('namespace {\n  policy = "read"\n}').message).toBe(
        `Invalid namespace name: ${NS('Name:"", Policy:"read", Capabilities:[]string(nil)')}`,
      );
      expect(refusal('{"namespace": [{"": {"policy": "read"}}]}').message).toBe(
        `Invalid namespace name: ${NS('Name:"", Policy:"read", Capabilities:[]string(nil)')} (line 1)`,
      );
    });

    it('empty and without a name, as the panic Nomad recovers', () => {
      expect(refusal('namespace {}').message).toBe(
        'Failed to parse ACL Policy: invalid acl policy: runtime error: index out of range [0] with length 0',
      );
    });

    it('with an unknown shorthand', () => {
      expect(refusal('namespace "default" {\n  policy = "foo"\n}')).toEqual({
        message: `Invalid namespace policy: ${NS('Name:"default", Policy:"foo", Capabilities:[]string(nil)')} (line 2)`,
        line: 2,
      });
    });

    it('with an unknown capability, listing those written', () => {
      expect(refusal('namespace "default" {\n  capabilities = ["deny", "foo"]\n}')).toEqual({
        message: `Invalid namespace capability 'foo': ${NS('Name:"default", Policy:"", Capabilities:[]string{"deny", "foo"}')} (line 2)`,
        line: 2,
      });
    });

    it('naming the line of the value in the right block when names repeat', () => {
      const rules = 'namespace "a" {\n  policy = "read"\n}\nnamespace "a" {\n  policy = "raed"\n}';
      expect(refusal(rules).line).toBe(5);
    });

    it('quoting odd characters as Go does', () => {
      expect(refusal('namespace "tab\\there" {}').message).toBe(
        `Invalid namespace name: ${NS('Name:"tab\\there", Policy:"", Capabilities:[]string(nil)')}`,
      );
    });
  });

  describe('variables blocks', () => {
    it('without paths', () => {
      expect(
        refusal(
          'namespace "dev" {\n  variables "*" {\n    capabilities = ["read", "write"]\n  }\n}',
        ),
      ).toEqual({
        message: 'Invalid variable policy: no variable paths in namespace dev (line 2)',
        line: 2,
      });
      expect(
        refusal(
          '{"namespace": [{"dev": {"policy": "read", "variables": [{"paths": [{"x": {"capabilities": ["read"]}}]}]}}]}',
        ).message,
      ).toBe('Invalid variable policy: no variable paths in namespace dev (line 1)');
    });

    it('with a path starting with a slash, stray backtick included', () => {
      expect(
        refusal(
          'namespace "dev" {\n  variables {\n    path "/nomad/job" {\n      capabilities = ["read"]\n    }\n  }\n}',
        ),
      ).toEqual({
        message:
          'Invalid variable path "/nomad/job" in namespace dev: cannot start with a leading \'/\'` (line 3)',
        line: 3,
      });
    });

    it('with a path without its name', () => {
      expect(
        refusal(
          'namespace "dev" {\n  variables {\n    path {\n      capabilities = ["read"]\n    }\n  }\n}',
        ).message,
      ).toBe('Invalid missing variable path in namespace dev (line 3)');
      expect(refusal('namespace "dev" {\n  variables {\n    path {}\n  }\n}').message).toBe(
        'Failed to parse ACL Policy: invalid acl policy: runtime error: index out of range [0] with length 0',
      );
    });

    it('with an unknown capability', () => {
      expect(
        refusal(
          'namespace "dev" {\n  variables {\n    path "a/*" {\n      capabilities = ["read", "submit"]\n    }\n  }\n}',
        ),
      ).toEqual({
        message: "Invalid variable capability 'submit' in namespace dev (line 4)",
        line: 4,
      });
    });
  });

  describe('node pool rules', () => {
    it('with a bad or missing name', () => {
      expect(refusal('node_pool "" {\n}').message).toBe("Invalid node pool name '' (line 1)");
      expect(refusal('node_pool "pool%" {\n}').message).toBe(
        "Invalid node pool name 'pool%' (line 1)",
      );
      expect(refusal('node_pool {\n  policy = "read"\n}').message).toBe(
        "Invalid node pool name ''",
      );
      expect(refusal('{"node_pool": [{"": {"policy": "read"}}]}').message).toBe(
        "Invalid node pool name '' (line 1)",
      );
    });

    it('with a bad shorthand or capability', () => {
      expect(refusal('node_pool "p" {\n  policy = "list"\n}').message).toBe(
        "Invalid node pool policy 'list' for 'p' (line 2)",
      );
      expect(
        refusal('node_pool "my-pool" {\n  capabilities = ["read", "invalid"]\n}').message,
      ).toBe("Invalid node pool capability 'invalid' for 'my-pool' (line 2)");
    });
  });

  describe('host volume rules', () => {
    it('with a bad or missing name', () => {
      expect(
        refusal('host_volume "volume has a space" {\n  capabilities = ["mount-readwrite"]\n}')
          .message,
      ).toBe(
        'Invalid host volume name: &acl.HostVolumePolicy{Name:"volume has a space", Policy:"", Capabilities:[]string{"mount-readwrite"}} (line 1)',
      );
      expect(refusal('host_volume {\n  policy = "read"\n}').message).toBe(
        'Invalid host volume name: &acl.HostVolumePolicy{Name:"", Policy:"read", Capabilities:[]string(nil)}',
      );
    });

    it('with a bad shorthand or capability', () => {
      expect(refusal('host_volume "v" {\n  policy = "mount"\n}').message).toBe(
        'Invalid host volume policy: &acl.HostVolumePolicy{Name:"v", Policy:"mount", Capabilities:[]string(nil)} (line 2)',
      );
      expect(refusal('host_volume "v" {\n  capabilities = ["mount"]\n}').message).toBe(
        `Invalid host volume capability 'mount': &acl.HostVolumePolicy{Name:"v", Policy:"", Capabilities:[]string{"mount"}} (line 2)`,
      );
    });
  });

  it('coarse blocks with a bad or missing shorthand', () => {
    expect(refusal('agent {\n  policy = "foo"\n}')).toEqual({
      message: 'Invalid agent policy: &acl.AgentPolicy{Policy:"foo"} (line 2)',
      line: 2,
    });
    expect(refusal('node {\n  policy = "foo"\n}').message).toBe(
      'Invalid node policy: &acl.NodePolicy{Policy:"foo"} (line 2)',
    );
    expect(refusal('node {}').message).toBe(
      'Invalid node policy: &acl.NodePolicy{Policy:""} (line 1)',
    );
    expect(refusal('operator {\n  policy = "foo"\n}').message).toBe(
      'Invalid operator policy: &acl.OperatorPolicy{Policy:"foo", Capabilities:[]string(nil)} (line 2)',
    );
    expect(refusal('quota {\n  policy = "foo"\n}').message).toBe(
      'Invalid quota policy: &acl.QuotaPolicy{Policy:"foo"} (line 2)',
    );
    expect(refusal('plugin {\n  policy = "reader"\n}').message).toBe(
      'Invalid plugin policy: &acl.PluginPolicy{Policy:"reader"} (line 2)',
    );
    expect(refusal('plugin {\n  policy = "scale"\n}').message).toBe(
      'Invalid plugin policy: &acl.PluginPolicy{Policy:"scale"} (line 2)',
    );
    expect(refusal('sentinel {\tpolicy = "invalid" }').message).toBe(
      'Invalid sentinel policy: &acl.SentinelPolicy{Policy:"invalid", Capabilities:[]string(nil)} (line 1)',
    );
  });

  it('operator and sentinel capabilities Nomad does not know', () => {
    expect(refusal('operator {\n  capabilities = ["snapshot-restore"]\n}').message).toBe(
      "Invalid operator capability 'snapshot-restore' (line 2)",
    );
    expect(refusal('sentinel { capabilities = ["invalid-capability"] }').message).toBe(
      "Invalid sentinel capability 'invalid-capability' (line 1)",
    );
  });

  it('values of the wrong type, with hcl’s decoder texts and positions', () => {
    expect(refusal('node { policy = ["read"] }')).toEqual({
      message:
        'Failed to parse ACL Policy: At 1:17: root.node.Policy: unknown type for string *ast.ListType',
      line: 1,
    });
    expect(refusal('node = "read"').message).toBe(
      'Failed to parse ACL Policy: At 1:8: root.node: not an object type for struct (*ast.LiteralType)',
    );
    expect(refusal('namespace "x" {\n  capabilities = "read-job"\n}').message).toBe(
      'Failed to parse ACL Policy: At 2:18: unknown slice type: *ast.LiteralType',
    );
    expect(
      refusal('namespace "a" {}\nnamespace "x" {\n  capabilities = ["read-job", ["x"]]\n}').message,
    ).toBe(
      'Failed to parse ACL Policy: At 3:18: root.namespace[1].Capabilities[1]: unknown type for string *ast.ListType',
    );
    expect(refusal('namespace "x" {\n  policy {\n    a = 1\n  }\n}').message).toBe(
      'Failed to parse ACL Policy: At 2:10: root.namespace[0].Policy: unknown type for string *ast.ObjectList',
    );
  });

  it('rules larger than the limit, before parsing them', () => {
    const rules = `namespace "x" { policy = "read" }\n# ${'x'.repeat(MAX_POLICY_BYTES)}`;
    expect(refusal(rules)).toEqual({
      message: `Failed to parse ACL Policy: the rules are ${Buffer.byteLength(rules)} bytes, more than the 65536 allowed`,
      line: undefined,
    });
  });

  it('with PolicyParseError, whose message is the whole text', () => {
    const error = catchError(() => parsePolicy('agent { policy = "foo" }'));
    expect(error).toBeInstanceOf(PolicyParseError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PolicyParseError');
  });
});

// Jobs from Nomad's documentation, parsed as Nomad's jobspec2 would, and checked against the
// contract's Job schema.
import { JobSchema } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { parseJobspec } from './job.js';

const SECOND = 1_000_000_000;

// `nomad job init -short`'s example job (docker redis style).
const EXAMPLE = `
job "example" {
  datacenters = ["dc1"]

  group "cache" {
    network {
      port "db" {
        to = 6379
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image          = "redis:7"
        ports          = ["db"]
        auth_soft_fail = true
      }

      identity {
        env  = true
        file = true
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
`;

describe('Nomad documentation jobs', () => {
  it('parses the example job of nomad job init', async () => {
    const job = await parseJobspec(EXAMPLE);
    expect(job).toEqual({
      ID: 'example',
      Name: 'example',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'cache',
          Networks: [{ DynamicPorts: [{ Label: 'db', To: 6379 }], ReservedPorts: null }],
          Tasks: [
            {
              Name: 'redis',
              Driver: 'docker',
              Config: { image: 'redis:7', ports: ['db'], auth_soft_fail: true },
              Identity: { Env: true, File: true },
              Identities: [],
              Resources: { CPU: 500, MemoryMB: 256 },
            },
          ],
        },
      ],
    });
    expect(JobSchema.safeParse(job).success).toBe(true);
  });

  it('parses a raw_exec batch job with runtime interpolations left as text', async () => {
    const job = await parseJobspec(`
job "sleeper" {
  type = "batch"
  datacenters = ["*"]

  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }

  group "g" {
    count = 2
    restart {
      attempts = 0
      mode     = "fail"
      delay    = "15s"
    }
    task "sleep" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo \${NOMAD_TASK_DIR} \${node.unique.id}; sleep 600"]
      }
      env {
        FROM_META = "\${NOMAD_META_owner}"
        KERNEL    = "\${env["PATH"]}"
      }
      meta {
        owner = "ops"
      }
      kill_timeout = "1h30m"
      template {
        data        = "hello {{ env \\"NOMAD_ALLOC_ID\\" }}"
        destination = "local/hello.txt"
      }
    }
  }
}
`);
    expect(job['Type']).toBe('batch');
    expect(job['Constraints']).toEqual([
      { LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' },
    ]);
    const group = (job['TaskGroups'] as Record<string, unknown>[])[0]!;
    expect(group['Count']).toBe(2);
    expect(group['RestartPolicy']).toEqual({ Attempts: 0, Mode: 'fail', Delay: 15 * SECOND });
    const task = (group['Tasks'] as Record<string, unknown>[])[0]!;
    expect(task['Config']).toEqual({
      command: '/bin/sh',
      args: ['-c', 'echo ${NOMAD_TASK_DIR} ${node.unique.id}; sleep 600'],
    });
    expect(task['Env']).toEqual({ FROM_META: '${NOMAD_META_owner}', KERNEL: '${env["PATH"]}' });
    expect(task['Meta']).toEqual({ owner: 'ops' });
    expect(task['KillTimeout']).toBe(5400 * SECOND);
    expect(task['Templates']).toEqual([
      {
        EmbeddedTmpl: 'hello {{ env "NOMAD_ALLOC_ID" }}',
        DestPath: 'local/hello.txt',
        ChangeMode: 'restart',
        Perms: '0644',
        Splay: 5 * SECOND,
        ErrMissingKey: false,
      },
    ]);
    expect(JobSchema.safeParse(job).success).toBe(true);
  });

  it('evaluates variables and locals, with values from a variables file', async () => {
    const hcl = `
variable "image" {
  type        = string
  default     = "redis:7"
  description = "the image"
}
variable "replicas" {
  type = number
}
variable "dcs" {
  type    = list(string)
  default = ["dc1", "dc2"]
}
locals {
  name   = "\${var.image}-cache"
  double = var.replicas * 2
  labels = { for i, dc in var.dcs : dc => i }
}
job "vars" {
  datacenters = var.dcs
  meta = {
    "app.name" = local.name
    big        = local.double > 4 ? "yes" : "no"
    first      = upper(var.dcs[0])
    index      = local.labels["dc2"]
  }
  group "g" {
    count = local.double
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/echo"
        args    = [format("%s:%d", var.image, var.replicas), join(",", var.dcs)]
      }
    }
  }
}
`;
    const job = await parseJobspec(hcl, { variables: 'replicas = "3"\nunknown = 1\n' });
    expect(job['Datacenters']).toEqual(['dc1', 'dc2']);
    expect(job['Meta']).toEqual({
      'app.name': 'redis:7-cache',
      big: 'yes',
      first: 'DC1',
      index: '1',
    });
    const group = (job['TaskGroups'] as Record<string, unknown>[])[0]!;
    expect(group['Count']).toBe(6);
    const task = (group['Tasks'] as Record<string, unknown>[])[0]!;
    expect(task['Config']).toEqual({ command: '/bin/echo', args: ['redis:7:3', 'dc1,dc2'] });
  });

  it('expands dynamic blocks with their iterator in scope', async () => {
    const job = await parseJobspec(`
variable "ports" {
  default = ["http", "admin"]
}
job "dyn" {
  group "g" {
    network {
      dynamic "port" {
        for_each = var.ports
        iterator = p
        labels   = [p.value]
        content {
          to = 8000 + p.key
        }
      }
    }
    dynamic "task" {
      for_each = { one = "/bin/true", two = "/bin/false" }
      labels   = [task.key]
      content {
        driver = "raw_exec"
        config {
          command = task.value
        }
      }
    }
  }
}
`);
    const group = (job['TaskGroups'] as Record<string, unknown>[])[0]!;
    expect(group['Networks']).toEqual([
      {
        DynamicPorts: [
          { Label: 'http', To: 8000 },
          { Label: 'admin', To: 8001 },
        ],
        ReservedPorts: null,
      },
    ]);
    expect(group['Tasks']).toEqual([
      { Name: 'one', Driver: 'raw_exec', Config: { command: '/bin/true' } },
      { Name: 'two', Driver: 'raw_exec', Config: { command: '/bin/false' } },
    ]);
  });
});

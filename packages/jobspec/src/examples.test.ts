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

  it('maps the repeated and labelled blocks of a larger service job', async () => {
    const job = await parseJobspec(`
job "web" {
  datacenters = ["dc1"]
  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
  }
  constraint {
    distinct_hosts = true
  }
  constraint {
    attribute = "\${attr.kernel.name}"
    operator  = "regexp"
    value     = "linux|darwin"
  }
  affinity {
    attribute = "\${node.datacenter}"
    value     = "dc1"
    weight    = 50
  }
  spread {
    attribute = "\${node.datacenter}"
    target "dc1" {
      percent = 70
    }
    target "dc2" {
      percent = 30
    }
  }
  group "frontend" {
    count = 3
    volume "certs" {
      type      = "host"
      source    = "certs"
      read_only = true
    }
    network {
      port "http" {
        static = 8080
      }
      port "metrics" {}
    }
    service {
      name = "web"
      port = "http"
      tags = ["urlprefix-/"]
      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }
    ephemeral_disk {
      size = 300
    }
    task "server" {
      driver = "exec"
      config {
        command = "/usr/bin/server"
        mount {
          type   = "bind"
          source = "local"
        }
        mount {
          type   = "bind"
          source = "secrets"
        }
      }
      artifact {
        source      = "https://example.com/server.tar.gz"
        destination = "local/"
        options {
          checksum = "sha256:abc"
        }
      }
      volume_mount {
        volume      = "certs"
        destination = "/etc/certs"
      }
      logs {
        max_files     = 3
        max_file_size = 10
      }
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }
    }
  }
}
`);
    expect(JobSchema.safeParse(job).success).toBe(true);
    expect(job['Update']).toEqual({
      MaxParallel: 1,
      MinHealthyTime: 10 * SECOND,
      HealthyDeadline: 180 * SECOND,
      AutoRevert: true,
    });
    expect(job['Constraints']).toEqual([
      { LTarget: '', RTarget: 'true', Operand: 'distinct_hosts' },
      { LTarget: '${attr.kernel.name}', RTarget: 'linux|darwin', Operand: 'regexp' },
    ]);
    expect(job['Affinities']).toEqual([
      { LTarget: '${node.datacenter}', RTarget: 'dc1', Operand: '=', Weight: 50 },
    ]);
    expect(job['Spreads']).toEqual([
      {
        Attribute: '${node.datacenter}',
        SpreadTarget: [
          { Value: 'dc1', Percent: 70 },
          { Value: 'dc2', Percent: 30 },
        ],
      },
    ]);
    const group = (job['TaskGroups'] as Record<string, unknown>[])[0]!;
    expect(group['Volumes']).toEqual({
      certs: { Name: 'certs', Type: 'host', Source: 'certs', ReadOnly: true },
    });
    expect(group['Networks']).toEqual([
      { DynamicPorts: [{ Label: 'metrics' }], ReservedPorts: [{ Label: 'http', Value: 8080 }] },
    ]);
    expect(group['Services']).toEqual([
      {
        Name: 'web',
        PortLabel: 'http',
        Tags: ['urlprefix-/'],
        Checks: [{ Type: 'http', Path: '/health', Interval: 10 * SECOND, Timeout: 2 * SECOND }],
      },
    ]);
    expect(group['EphemeralDisk']).toEqual({ SizeMB: 300 });
    const task = (group['Tasks'] as Record<string, unknown>[])[0]!;
    expect(task['Config']).toEqual({
      command: '/usr/bin/server',
      mount: [
        { type: 'bind', source: 'local' },
        { type: 'bind', source: 'secrets' },
      ],
    });
    expect(task['Artifacts']).toEqual([
      {
        GetterSource: 'https://example.com/server.tar.gz',
        RelativeDest: 'local/',
        GetterOptions: { checksum: 'sha256:abc' },
      },
    ]);
    expect(task['VolumeMounts']).toEqual([{ Volume: 'certs', Destination: '/etc/certs' }]);
    expect(task['LogConfig']).toEqual({ MaxFiles: 3, MaxFileSizeMB: 10 });
    expect(task['Lifecycle']).toEqual({ Hook: 'prestart', Sidecar: false });
  });

  it('maps a task secret block by its label', async () => {
    const job = await parseJobspec(`
job "s" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      secret "db" {
        provider = "nomad"
        path     = "secret/db"
        env {
          DB_PASS = "password"
        }
      }
    }
  }
}
`);
    const task = ((job['TaskGroups'] as Record<string, unknown>[])[0]!['Tasks'] as unknown[])[0];
    expect(task).toMatchObject({
      Secrets: [{ Name: 'db', Provider: 'nomad', Path: 'secret/db', Env: { DB_PASS: 'password' } }],
    });
  });
});

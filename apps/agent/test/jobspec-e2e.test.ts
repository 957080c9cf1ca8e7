// End to end, `nomad job run` of an HCL file through the API: a jobspec in the style of Nomad's
// documentation (raw_exec, with a variable and a local) parsed by a real server over HTTP
// (`PUT /v1/jobs/parse`), the parsed job registered as it came back, and its allocation running
// a real process on a real node agent.
import type { Allocation } from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { lines, recordedPidFiles, startCluster, waitFor, type Cluster } from './support/cluster.js';

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const JOBSPEC = `
variable "sleep_seconds" {
  type        = number
  description = "How long the task sleeps"
  default     = 30
}

locals {
  command = "echo $$ > pids; exec sleep \${var.sleep_seconds}"
}

job "docs-sleep" {
  datacenters = ["dc1"]
  type        = "service"

  meta {
    source = "nomad docs"
  }

  group "sleepers" {
    count = 1

    restart {
      attempts = 0
      mode     = "fail"
    }

    task "sleep" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", local.command]
      }

      env {
        TASK_DIR = "\${NOMAD_TASK_DIR}"
      }

      kill_timeout = "2s"

      resources {
        cpu    = 20
        memory = 32
      }
    }
  }
}
`;

const running = (allocs: Allocation[]) =>
  allocs.filter((a) => a.ClientStatus === 'running' && a.DesiredStatus === 'run');

describe('an HCL jobspec through the parse API', () => {
  it('is parsed by the server, registered, and runs on a real node', async () => {
    const c = (cluster = await startCluster({}));
    await c.startAgent('n1');

    const job = await c.api<Record<string, unknown>>('PUT', '/v1/jobs/parse', {
      JobHCL: JOBSPEC,
      Variables: 'sleep_seconds = 600\n',
    });
    expect(job).toMatchObject({
      ID: 'docs-sleep',
      Name: 'docs-sleep',
      Meta: { source: 'nomad docs' },
      TaskGroups: [
        {
          Name: 'sleepers',
          Count: 1,
          RestartPolicy: { Attempts: 0, Mode: 'fail' },
          Tasks: [
            {
              Name: 'sleep',
              Driver: 'raw_exec',
              Config: { command: '/bin/sh', args: ['-c', 'echo $$ > pids; exec sleep 600'] },
              Env: { TASK_DIR: '${NOMAD_TASK_DIR}' },
              KillTimeout: 2_000_000_000,
              Resources: { CPU: 20, MemoryMB: 32 },
            },
          ],
        },
      ],
    });

    await c.api('PUT', '/v1/jobs', { Job: job });
    const [alloc] = running(
      await waitFor(
        () => c.allocsOf('docs-sleep'),
        (a) => running(a).length === 1,
        60_000,
      ),
    );
    expect(alloc?.TaskStates?.['sleep']?.State).toBe('running');

    // The process the task started is alive: the shell wrote its pid, then became `sleep 600`.
    const files = await waitFor(
      () => recordedPidFiles(c.root),
      (f) => f.length === 1 && lines(f[0]!).length === 1,
      30_000,
    );
    const pid = Number(lines(files[0]!)[0]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).not.toThrow();
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { testAlloc, testNode } from '../allocrunner/test-support/fixtures.js';
import { buildTaskEnv } from './task-env.js';

const dirs = {
  allocDir: '/data/alloc/a/alloc',
  localDir: '/data/alloc/a/web/local',
  secretsDir: '/data/alloc/a/web/secrets',
};

function envOf(taskOverrides: Record<string, unknown> = {}) {
  const alloc = testAlloc([{ Name: 'web', Meta: { Task_Key: 't' }, ...taskOverrides }]);
  const task = alloc.Job!.TaskGroups![0]!.Tasks![0]!;
  return {
    alloc,
    env: buildTaskEnv({
      alloc,
      task,
      node: testNode,
      dirs,
      hostEnv: { HOME: '/home/u', FOO: 'host' },
    }),
  };
}

describe('task environment', () => {
  it('sets the NOMAD_* variables of the allocation, task, node and directories', () => {
    const { alloc, env } = envOf();
    expect(env.env).toMatchObject({
      NOMAD_ALLOC_ID: alloc.ID,
      NOMAD_SHORT_ALLOC_ID: alloc.ID.slice(0, 8),
      NOMAD_ALLOC_NAME: 'test-job.web[3]',
      NOMAD_ALLOC_INDEX: '3',
      NOMAD_TASK_NAME: 'web',
      NOMAD_GROUP_NAME: 'web',
      NOMAD_JOB_ID: alloc.JobID,
      NOMAD_JOB_NAME: 'test-job',
      NOMAD_NAMESPACE: 'default',
      NOMAD_DC: 'dc1',
      NOMAD_REGION: 'global',
      NOMAD_ALLOC_DIR: dirs.allocDir,
      NOMAD_TASK_DIR: dirs.localDir,
      NOMAD_SECRETS_DIR: dirs.secretsDir,
      NOMAD_CPU_LIMIT: '500',
      NOMAD_MEMORY_LIMIT: '256',
      NOMAD_META_owner: 'armon',
      NOMAD_META_OWNER: 'armon',
      NOMAD_META_group_key: 'g',
      NOMAD_META_Task_Key: 't',
      NOMAD_META_TASK_KEY: 't',
      HOME: '/home/u',
    });
  });

  it("interpolates the task's Env against NOMAD_*, node attributes, meta and the host environment", () => {
    const { alloc, env } = envOf({
      Env: {
        ID: 'id-${NOMAD_ALLOC_ID}',
        KERNEL: '${attr.kernel.name}',
        RACK: '${meta.rack}',
        NODE: '${node.unique.name}/${node.datacenter}/${node.class}/${node.pool}',
        HOMEDIR: '${env.HOME}',
        FOO: 'mine',
        UNKNOWN: '${attr.nope} ${nope}',
      },
    });
    expect(env.env).toMatchObject({
      ID: `id-${alloc.ID}`,
      KERNEL: 'linux',
      RACK: 'r1',
      NODE: 'node-1/dc1/linux-small/default',
      HOMEDIR: '/home/u',
      FOO: 'mine',
      UNKNOWN: '${attr.nope} ${nope}',
    });
  });

  it('interpolates every string of the Config, deeply, and leaves other values alone', () => {
    const { alloc, env } = envOf({ Env: { GREETING: 'hi' } });
    const config = env.interpolateConfig({
      command: '${NOMAD_TASK_DIR}/run',
      args: ['--id=${NOMAD_ALLOC_ID}', '${GREETING}', '${env.GREETING}', 3],
      nested: { host: '${attr.unique.hostname}', list: [{ x: '${meta.rack}' }], flag: true },
    });
    expect(config).toEqual({
      command: `${dirs.localDir}/run`,
      args: [`--id=${alloc.ID}`, 'hi', 'hi', 3],
      nested: { host: 'host-1', list: [{ x: 'r1' }], flag: true },
    });
  });
});

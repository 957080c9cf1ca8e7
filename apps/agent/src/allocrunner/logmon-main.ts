// The log monitor process of one task start (Nomad's logmon): reads the task's stdout from fd 3
// and its stderr from fd 4 and writes them to rotating files until every writer (the task and
// whatever it left running) has closed them. A process of its own, so the task's output is kept
// while the agent is away or restarting. Argument: the JSON of a `LogmonSpec`.
import { Socket } from 'node:net';
import { LogRotator } from './logger.js';
import type { LogmonSpec } from './logmon.js';

/** The allocation's directory was removed (the allocation was collected): nowhere to write. */
const dirGone = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

const spec = JSON.parse(process.argv[2] ?? '') as LogmonSpec;
for (const [fd, stream] of [
  [3, 'stdout'],
  [4, 'stderr'],
] as const) {
  const input = new Socket({ fd, readable: true, writable: false });
  let rotator: LogRotator | undefined;
  try {
    rotator = new LogRotator(spec.dir, `${spec.task}.${stream}`, spec.rotation);
  } catch (error) {
    if (!dirGone(error)) throw error;
  }
  // Without a directory the output is read and dropped, so the task never blocks on it.
  input.on('data', (chunk: Buffer) => {
    try {
      rotator?.write(chunk);
    } catch (error) {
      if (!dirGone(error)) throw error;
      rotator = undefined;
    }
  });
  input.once('close', () => rotator?.close());
}

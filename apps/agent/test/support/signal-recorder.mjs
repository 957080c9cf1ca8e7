// A raw_exec task for the agent's tests: appends its pid to `pids` and every signal it receives
// to `signals`, both in its working directory (or $RECORD_DIR), and exits on SIGINT or SIGTERM.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.RECORD_DIR || process.cwd();
appendFileSync(join(dir, 'pids'), `${process.pid}\n`);
for (const signal of ['SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    appendFileSync(join(dir, 'signals'), `${process.pid} ${signal}\n`);
    if (signal === 'SIGINT' || signal === 'SIGTERM') process.exit(0);
  });
}
setInterval(() => {}, 1 << 30);

// A task for tests: records its pid and every signal it receives in the directory given as its
// first argument. SIGINT and SIGTERM end it (exit 0) unless IGNORE_STOP=1. SPAWN_CHILD=1 starts a
// child in the same process group (its pid in child.pid); EXIT_AFTER_MS with EXIT_CODE ends it.
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const record = (file, line) => appendFileSync(join(dir, file), `${line}\n`);

for (const signal of ['SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    record('signals', signal);
    if ((signal === 'SIGINT' || signal === 'SIGTERM') && process.env.IGNORE_STOP !== '1') {
      process.exit(0);
    }
  });
}

if (process.env.SPAWN_CHILD === '1') {
  const child = spawn(
    process.execPath,
    ['-e', 'process.on("SIGINT", () => {}); setInterval(() => {}, 1000)'],
    {
      stdio: 'ignore',
    },
  );
  writeFileSync(join(dir, 'child.pid'), String(child.pid));
}

writeFileSync(
  join(dir, 'info.json'),
  JSON.stringify({ cwd: process.cwd(), argv: process.argv.slice(2), env: process.env }),
);
console.log(`started ${process.pid}`);
record('pids', process.pid);
writeFileSync(join(dir, 'pid'), String(process.pid));

if (process.env.EXIT_AFTER_MS) {
  setTimeout(
    () => process.exit(Number(process.env.EXIT_CODE ?? 0)),
    Number(process.env.EXIT_AFTER_MS),
  );
}
setInterval(() => {}, 1000);

// Run by proc-stat.test.ts as another user than the target process's: what raw_exec makes of a
// pid that belongs to someone else (kill(pid, 0) fails with EPERM). Prints one JSON line.
import { RawExecDriver } from '../raw-exec-driver.js';
import { pidStatus } from '../proc-stat.js';

const [pidArg, startTime = ''] = process.argv.slice(2);
const pid = Number(pidArg);
const handle = (start: string) => ({
  driver: 'raw_exec',
  taskName: 'web',
  startedAt: new Date().toISOString(),
  state: { pid, startTime: start },
});

let signal = 'sent';
const driver = new RawExecDriver({ pollIntervalMs: 20 });
const recovered = await driver.recoverTask(handle(startTime));
if (recovered) {
  await driver.signalTask(handle(startTime), 'SIGHUP').catch((error: unknown) => {
    signal = error instanceof Error ? error.message : String(error);
  });
}
const impostor = await new RawExecDriver().recoverTask(handle(`${startTime}1`));
process.stdout.write(
  `${JSON.stringify({
    status: pidStatus(pid, startTime),
    reusedStatus: pidStatus(pid, `${startTime}1`),
    unknownStartStatus: pidStatus(pid, ''),
    recovered,
    signal,
    impostor,
  })}\n`,
);
process.exit(0);

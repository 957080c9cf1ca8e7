#!/usr/bin/env node
// The `berth` command: dispatches to one file per subcommand.
import { agentUsage, parseAgentArgs, runAgent } from './commands/agent.js';

const usage = `Usage: berth <command> [options]

Commands:
  agent    Run a berth server, a node agent, or both (--dev)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'agent': {
      if (rest.includes('--help') || rest.includes('-h')) {
        console.log(agentUsage);
        return 0;
      }
      await runAgent(parseAgentArgs(rest));
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(usage);
      return command === undefined ? 1 : 0;
    default:
      console.error(`berth: unknown command "${command}"\n\n${usage}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`berth: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

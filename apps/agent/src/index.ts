// @berth/agent: the node agent, started in-process by the CLI's `agent` command.
export {};

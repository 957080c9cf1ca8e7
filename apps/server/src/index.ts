// @berth/server: the control plane, started in-process by the CLI's `agent` command.
export { buildApp, type AppOptions } from './http/app.js';
export { startServer, type RunningServer, type ServerConfig } from './server.js';

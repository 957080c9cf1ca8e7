export { buildAgentApp, type AgentAppOptions } from './app.js';

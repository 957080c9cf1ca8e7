export { exited, spawnBerth, type BerthProcess, type SpawnBerthOptions } from './berth-process.js';

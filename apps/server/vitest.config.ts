import base from '@berth/vitest-config';
import { defineConfig, mergeConfig } from 'vitest/config';

// nomad-client (a third-party Nomad client, test/third-party/) ships TypeScript sources only
// (`main: ./src/index.ts`): Node cannot load it, so vite transforms it instead of externalising
// it. Only files that import nomad-client are affected.
export default mergeConfig(
  base,
  defineConfig({ test: { server: { deps: { inline: ['nomad-client'] } } } }),
);

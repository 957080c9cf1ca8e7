export { default } from '@berth/vitest-config';

export { default } from '@berth/eslint-config';

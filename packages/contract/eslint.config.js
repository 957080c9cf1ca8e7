import config from '@berth/eslint-config';

export default [
  ...config,
  {
    // Schemas name their zod type with `interface XSchemaType extends z.ZodObject<...> {}` so that
    // declaration files stay small (TS7056 otherwise).
    rules: {
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends' },
      ],
    },
  },
];

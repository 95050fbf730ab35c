// Lint: typescript-eslint's recommended rules plus Nx module boundaries, which are enforced, not drawn:
// dsp, protocol, threads and tensorboard depend on none of our libs; each lib only on the libs listed for it; apps on libs;
// libs never on apps; only the `digits` CLI shell composes the apps; the end-to-end tests (tests/) use libs
// and reach into the apps by relative path.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * The module-boundary rule's options.
 * @param {string[]} allow imports exempt from the rule, besides the apps the CLI composes
 */
const boundaries = (allow) => ({
  enforceBuildableLibDependency: false,
  // Nx forbids importing application projects; the CLI shell composes the two apps' commands.
  allow: ['@digits/trainer', '@digits/live', ...allow],
  depConstraints: [
    { sourceTag: 'scope:dsp', onlyDependOnLibsWithTags: ['scope:none'] },
    { sourceTag: 'scope:protocol', onlyDependOnLibsWithTags: ['scope:none'] },
    { sourceTag: 'scope:threads', onlyDependOnLibsWithTags: ['scope:none'] },
    { sourceTag: 'scope:tensorboard', onlyDependOnLibsWithTags: ['scope:none'] },
    { sourceTag: 'scope:acoustics', onlyDependOnLibsWithTags: ['scope:dsp'] },
    { sourceTag: 'scope:embedding', onlyDependOnLibsWithTags: ['scope:dsp', 'scope:features', 'scope:acoustics'] },
    { sourceTag: 'scope:dataset', onlyDependOnLibsWithTags: ['scope:dsp'] },
    { sourceTag: 'scope:features', onlyDependOnLibsWithTags: ['scope:dsp', 'scope:dataset', 'scope:threads'] },
    {
      sourceTag: 'scope:model',
      onlyDependOnLibsWithTags: ['scope:features', 'scope:dataset', 'scope:dsp', 'scope:threads', 'scope:embedding'],
    },
    {
      sourceTag: 'scope:voice',
      onlyDependOnLibsWithTags: [
        'scope:model',
        'scope:features',
        'scope:dsp',
        'scope:dataset',
        'scope:embedding',
        'scope:threads',
      ],
    },
    {
      sourceTag: 'scope:stream',
      onlyDependOnLibsWithTags: ['scope:dsp', 'scope:features', 'scope:protocol', 'scope:threads', 'scope:acoustics'],
    },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:app', 'type:lib'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
  ],
});

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'runs/**',
      'data/**',
      '.cache/**',
      'test-artifacts/**',
      '**/*.min.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries([])],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The end-to-end tests (tests/) drive the apps through their internals (the trainer's model 5, the live
    // app's pipeline and test streams): relative imports into apps/ are allowed there, and only there.
    files: ['tests/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(['../../apps/**'])] },
  },
  {
    // The room benchmark (tools/bench) plays its streams with the live app's scoring helpers (apps/live/bench).
    files: ['tools/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(['../../apps/live/**'])] },
  },
];

// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Client libraries that only their own component may import (STYLE.md §5, DESIGN.md §3). */
const clientLibraries = {
  kafkajs: 'src/sources/kafka',
  '@azure/event-hubs': 'src/sources/eventhubs',
  '@azure/eventhubs-checkpointstore-blob': 'src/sources/eventhubs',
  '@azure/storage-blob': 'src/sources/eventhubs',
  undici: 'src/sinks/splunk-hec',
  solclientjs: 'src/sinks/solace',
  mqtt: 'src/sinks/mqtt',
  fastify: 'src/api',
};

/** A component is reached through its index.ts only; relative imports inside a component are not matched. */
const throughIndexOnly = {
  group: [
    '**/engine/*',
    '!**/engine/index.ts',
    '**/sources/*/*',
    '!**/sources/*/index.ts',
    '**/sinks/*/*',
    '!**/sinks/*/index.ts',
    '**/transforms/*',
    '!**/transforms/index.ts',
    '**/api/*',
    '!**/api/index.ts',
    '**/config/*',
    '!**/config/index.ts',
    '**/offsets/*',
    '!**/offsets/index.ts',
    '**/preview/*',
    '!**/preview/index.ts',
    '**/replay/*',
    '!**/replay/index.ts',
  ],
  message: 'Import another component through its index.ts, not a file inside it (STYLE.md §5).',
};

/** @param {string} owner the folder allowed to use its own client library */
const importRules = (owner) => [
  'error',
  {
    paths: Object.entries(clientLibraries)
      .filter(([, folder]) => folder !== owner)
      .map(([name, folder]) => ({ name, message: `${name} is used only inside ${folder}/ (DESIGN.md §3).` })),
    patterns: [throughIndexOnly],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'dist/', 'coverage/', 'lab/out/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use undici with an explicit dispatcher.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 40, skipBlankLines: true, skipComments: true }],
      'max-depth': ['warn', 3],
      'max-params': ['warn', 4],
      complexity: ['warn', 15],
      'no-restricted-imports': importRules(''),
    },
  },
  // Instrument declarations are long lists, not logic.
  { files: ['src/**/metrics.ts'], rules: { 'max-lines-per-function': 'off' } },
  ...Object.values(clientLibraries).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': importRules(folder) },
  })),
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: Object.keys(clientLibraries).map((name) => ({
            name,
            message: 'The engine imports no client library (DESIGN.md §3).',
          })),
          patterns: [
            {
              group: [
                '**/sources/**',
                '**/sinks/**',
                '**/transforms/**',
                '**/api/**',
                '**/cli/**',
                '**/config/**',
                '**/offsets/**',
              ],
              message: 'The engine depends on interfaces only (DESIGN.md §3).',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // The console's browser modules (served by src/api/ui): the browser's globals; fetch is the browser's own.
  {
    files: ['src/api/ui/static/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'document',
          'sessionStorage',
          'fetch',
          'Node',
          'HTMLElement',
          'Option',
          'setTimeout',
          'setInterval',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: { 'no-restricted-globals': 'off' },
  },
  prettier,
);

// Lint: neostandard style (what the Fastify org uses) plus typescript-eslint's type-checked rules.
import neostandard from 'neostandard'
import tseslint from 'typescript-eslint'

export default [
  // The generated model is data written by `npm run contract` (test/model/generated.test.ts keeps it exact).
  // A Python venv of a client test (npm run clients:*) ships the JavaScript of its packages.
  { ignores: ['dist/**', 'coverage/**', '.tap/**', 'node_modules/**', 'src/model/generated/**', '**/.venv/**'] },
  ...neostandard({ ts: true, noJsx: true }),
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      // Fastify plugins, hooks and handlers are async by contract, with or without an await.
      '@typescript-eslint/require-await': 'off',
      // `void promise` marks a promise deliberately not awaited (no-floating-promises).
      'no-void': ['error', { allowAsStatement: true }]
    }
  },
  {
    // tap awaits the subtests it is handed (`t.test(...)` returns a promise tap already tracks).
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off'
    }
  },
  {
    // The query engine and the store are pure: no HTTP framework in them.
    files: ['src/odata/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['fastify', 'fastify-*', '@fastify/*'], message: 'src/odata and src/store stay free of Fastify.' }] }]
    }
  }
]

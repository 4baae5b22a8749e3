// Lint and the dependency rules of DESIGN §1. Each zone gets one complete
// `no-restricted-imports` list (a later config object replaces the rule's
// options, it does not merge them), built from the named restrictions below.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NOT_APPS = {
  regex: '^@lmtt/(playground|storybook|e2e|tools)(/|$)|(^|/)(apps|storybook|tests|tools)/',
  message: 'Nothing imports apps/*, storybook/, tests/ or tools/ (DESIGN §1, rule 5).',
};
const NO_RUNTIME = {
  regex: '^onnxruntime-',
  message:
    'The engine core never imports ONNX Runtime: use the Backend interface; only src/node.ts, src/web.ts and src/runtime/ may (DESIGN §1, rule 2).',
};
const NO_TRANSFORMERS = {
  regex: '^@huggingface/transformers',
  message:
    '@huggingface/transformers loads ONNX Runtime as a side effect: only src/runtime/ may import it (DESIGN §1, rule 2).',
};
const COMPONENT_SAFE = {
  regex:
    '^(onnxruntime-|@huggingface/)|^@lmtt/(engine(?!/(schema|graph|trace-file|trace-query)$)|server)|(^|/)engine/src/',
  message:
    'Components import only @lmtt/engine/schema, /graph, /trace-file and /trace-query (the trace-source interface), never engine runtime code (DESIGN §1, rule 4).',
};
const TRACE_FILE_PURE = {
  regex: '^(?!\\./|\\.\\./schema/|\\.\\./errors\\.js$|valibot$)',
  message:
    '@lmtt/engine/trace-file imports only its folder, the schema, errors and valibot (DESIGN §1, rule 4).',
};
const GRAPH_ONLY_SCHEMA = {
  regex: '^(?!\\./|\\.\\./schema/)',
  message:
    '@lmtt/engine/graph is pure: it imports only its own folder and the schema (DESIGN §1, rule 3).',
};
const TRACE_QUERY_ONLY_SCHEMA = {
  regex: '^(?!\\./|\\.\\./schema/)',
  message:
    '@lmtt/engine/trace-query is pure: it imports only its own folder and the schema (DESIGN §1, rule 4).',
};
const SCHEMA_ONLY_SELF = {
  regex: '^(?!\\./)',
  message: '@lmtt/engine/schema imports nothing outside its own folder (DESIGN §1, rule 1).',
};
const BROWSER_ONLY = {
  regex: '^@lmtt/(engine/node|server)$|^onnxruntime-node',
  message: 'Browser code must not import Node-only packages (@lmtt/engine/node, @lmtt/server).',
};
const SERVER_NODE_ONLY = {
  regex: '^@lmtt/engine/web$|^onnxruntime-web',
  message: 'The server runs the Node engine: import @lmtt/engine/node (DESIGN §1, rule 5).',
};

/** Tests and their helpers may import test tooling. */
const TESTS = ['**/*.test.ts', '**/test-support/**'];

/** A `no-restricted-imports` setting made of the given restrictions. */
function restrict(...patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/storybook-static/**',
      '.nx/**',
      'models/**',
      'tests/screenshots/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  { files: ['packages/**'], rules: restrict(NOT_APPS) },
  { files: ['packages/engine/src/**'], rules: restrict(NOT_APPS, NO_RUNTIME, NO_TRANSFORMERS) },
  {
    files: [
      'packages/engine/src/node.ts',
      'packages/engine/src/web.ts',
      'packages/engine/src/runtime/**',
    ],
    rules: restrict(NOT_APPS),
  },
  {
    files: ['packages/engine/src/schema/**'],
    ignores: TESTS,
    rules: restrict(SCHEMA_ONLY_SELF),
  },
  {
    files: ['packages/engine/src/trace-file/**'],
    ignores: TESTS,
    rules: restrict(TRACE_FILE_PURE),
  },
  {
    files: ['packages/engine/src/graph/**'],
    ignores: TESTS,
    rules: restrict(GRAPH_ONLY_SCHEMA),
  },
  {
    files: ['packages/engine/src/trace-query/**'],
    ignores: TESTS,
    rules: restrict(TRACE_QUERY_ONLY_SCHEMA),
  },
  { files: ['packages/components/src/**'], rules: restrict(NOT_APPS, COMPONENT_SAFE) },
  { files: ['packages/server/src/**'], rules: restrict(NOT_APPS, SERVER_NODE_ONLY) },
  { files: ['apps/**', 'storybook/**'], rules: restrict(BROWSER_ONLY) },
);

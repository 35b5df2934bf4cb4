// One lint for the whole tree. Syntax-only on purpose: `tsc -b` already checks types, and
// type-aware rules would build every TypeScript program a second time on CI's 2 cores.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/dist/**',
    '**/node_modules/**',
    '**/coverage/**',
    'dist-desktop/**',
    'data/**',
    '.xephang-*/**',
    // The desktop toolchain is its own install (electron-builder), not our code.
    'apps/desktop/toolchain/**',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore is how this tree says "unused on purpose": a destructured field
      // dropped from a copy, a callback's argument kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Lazy requires on purpose: libusb loads only when a printer is looked for, and the
      // receipt encoder is an ES module required through its CommonJS build (see each file).
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^usb$', '^@point-of-sale/receipt-printer-encoder$'] },
      ],
      // A `let` declared before a closure that reads it (the hub's stop() reading discovery)
      // cannot become a `const` assigned later without a temporal-dead-zone error.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The screens. Only the two classic hook rules: the React Compiler's rules (v7's
    // recommended set) judge code written for the compiler, which these screens do not use.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);

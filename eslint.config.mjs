// One lint for the whole tree. Syntax-only on purpose: `tsc -b` already checks types, and
// type-aware rules would build every TypeScript program a second time on CI's 2 cores.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * The workspace a path belongs to: `apps/hub`, `packages/core`, `scripts`, `assets`; `.` for the
 * root's own files; a path outside the repository is its own answer (`..`).
 */
function workspaceOf(path) {
  const parts = relative(ROOT, path).split(sep);
  if (parts.length === 1) return '.';
  if (parts[0] === 'apps' || parts[0] === 'packages') return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/**
 * A relative import stays inside its own workspace: another workspace is entered by its package
 * name and declared entry points, so its layout can change without breaking its users, and a
 * path like `../../hub/test/helpers` cannot hide a dependency the package files do not state.
 */
const workspaceBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'relative imports that leave their workspace' },
    messages: { leaves: '"{{source}}" leaves {{from}} for {{to}}: import the package by its name and a declared entry point.' },
    // No exceptions: every cross-workspace import now goes through a package name.
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = workspaceOf(file);
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = workspaceOf(resolve(dirname(file), source.value));
      if (to !== from) context.report({ node: source, messageId: 'leaves', data: { source: source.value, from, to } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

/**
 * The same back doors in a path resolved at run time: `require.resolve('@xephang/hub/dist/src/cli.js')`
 * is no import, so neither tsc nor no-restricted-imports sees it, and once the package declared its
 * exports it threw at run time (the benchmarks and the screenshots broke so). Another package's own
 * layout (`espeak-ng/dist/…`) is its business; ours are entered by what they export.
 */
const resolvedFrontDoors = {
  meta: {
    type: 'problem',
    docs: { description: 'require.resolve into a workspace package\'s src/ or dist/' },
    messages: { backDoor: '"{{source}}" resolves a file the package does not export: resolve a subpath it exports (e.g. @xephang/hub/cli).' },
    schema: [],
  },
  create(context) {
    return {
      CallExpression: (node) => {
        const { callee } = node;
        const isResolve =
          callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'require' && callee.property.type === 'Identifier' && callee.property.name === 'resolve';
        if (!isResolve) return;
        const [first] = node.arguments;
        const source = first?.type === 'Literal' ? first.value : first?.type === 'TemplateLiteral' ? first.quasis[0]?.value.cooked : undefined;
        if (typeof source === 'string' && /^@xephang\/[^/]+\/(src|dist)(\/|$)/.test(source)) context.report({ node: first, messageId: 'backDoor', data: { source } });
      },
    };
  },
};

/** Back doors into any package, wherever the import is written. */
const BACK_DOORS = [
  { regex: '^@xephang/[^/]+/src(/|$)', message: 'A package is entered through its front door: its name or a subpath it exports, never its src/.' },
  { regex: '(^|/)dist(/|$)', message: 'Build output is no entry point: import the package, or a subpath it exports.' },
];
const noHub = { regex: '^@xephang/hub(/|$)', message: 'The screens and the shell talk to the hub through @xephang/client; their tests start it through @xephang/testing.' };

/**
 * `no-restricted-imports` with the back doors and `extra` patterns. (A later config object's
 * options replace an earlier one's, so each layer restates the back doors.)
 */
const restrict = (...extra) => ['error', { patterns: [...BACK_DOORS, ...extra] }];

/** Which workspaces a layer may import (@xephang/* names), for the layering below. */
const only = (allowed, why) => ({
  regex: allowed.length ? `^@xephang/(?!(${allowed.join('|')})(/|$))` : '^@xephang/',
  message: why,
});

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
      // Lazy requires on purpose: libusb and serialport load only when a printer is looked for
      // or opened (never in the hub), koffi only when a Windows printer is used, and the receipt
      // encoder is an ES module required through its CommonJS build (see each file). exceljs loads
      // at a report export or a catalog import, the ticket's drawing code (the canvas) at the first
      // ticket drawn in-process: the hub's main thread never pays for either (issue 16).
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^usb$', '^serialport$', '^koffi$', '^@point-of-sale/receipt-printer-encoder$', '^exceljs$', '^\\./render-job$'] },
      ],
      // A `let` declared before a closure that reads it (the hub's stop() reading discovery)
      // cannot become a `const` assigned later without a temporal-dead-zone error.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-restricted-imports': restrict(),
      'xephang/workspace-boundaries': 'error',
      'xephang/resolved-front-doors': 'error',
    },
    plugins: { xephang: { rules: { 'workspace-boundaries': workspaceBoundaries, 'resolved-front-doors': resolvedFrontDoors } } },
  },
  // The layering: the contract imports nothing of ours; the pure core only the contract; no
  // shared package reaches up into an app (testing starts the hub, that is its job); the screens
  // and the shell never import the hub.
  { files: ['packages/protocol/**'], rules: { 'no-restricted-imports': restrict(only([], 'The protocol is the contract every side imports: it imports no workspace.')) } },
  { files: ['packages/core/**'], rules: { 'no-restricted-imports': restrict(only(['protocol'], 'The core is pure queue logic: it imports only @xephang/protocol.')) } },
  // The report merge runs at the hub and at the province alike: no database in it, the tallies are read by its callers.
  {
    files: ['packages/reports/**'],
    rules: {
      'no-restricted-imports': restrict(only(['protocol', 'core'], 'The report merge is pure: it imports only @xephang/protocol and @xephang/core.'), {
        regex: '^better-sqlite3$',
        message: 'The report merge reads no database: its callers read the tallies (the hub from SQLite, the province from PostgreSQL).',
      }),
    },
  },
  {
    files: ['packages/**'],
    ignores: ['packages/protocol/**', 'packages/core/**', 'packages/reports/**', 'packages/testing/**'],
    rules: { 'no-restricted-imports': restrict({ regex: '^@xephang/(hub|web|desktop)(/|$)', message: 'A shared package imports no app.' }) },
  },
  // Their tests too: they start the hub as a process, through @xephang/testing.
  { files: ['apps/web/**', 'apps/desktop/**'], rules: { 'no-restricted-imports': restrict(noHub) } },

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

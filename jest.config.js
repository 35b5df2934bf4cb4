/** One jest run over every workspace; @swc/jest strips the types (tsc -b checks them). */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

const project = (name, extra = {}) => ({
  displayName: name,
  rootDir: `<rootDir>`,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@xephang/(protocol|core|client|voice|printer|catalog|reports)$': '<rootDir>/packages/$1/src',
    '^@xephang/printer/testing$': '<rootDir>/packages/printer/src/testing',
    '^@xephang/voice/browser$': '<rootDir>/packages/voice/src/browser',
    '^@xephang/reports/export$': '<rootDir>/packages/reports/src/export',
    '^@xephang/testing$': '<rootDir>/packages/testing/src',
    '^@xephang/testing/stage$': '<rootDir>/packages/testing/src/stage',
    '^@xephang/testing/pty$': '<rootDir>/packages/testing/src/pty',
    '^@xephang/testing/cups$': '<rootDir>/packages/testing/src/cups',
    '^@xephang/testing/province$': '<rootDir>/packages/testing/src/province',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  ...extra,
});

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests start a hub process; jest's 5 s default is for unit tests.
  testTimeout: 60_000,
  projects: [
    project('protocol', { testMatch: ['<rootDir>/packages/protocol/src/**/*.test.ts'] }),
    project('core', { testMatch: ['<rootDir>/packages/core/src/**/*.test.ts'] }),
    project('client', { testMatch: ['<rootDir>/packages/client/src/**/*.test.ts'] }),
    project('voice', { testMatch: ['<rootDir>/packages/voice/src/**/*.test.ts'] }),
    project('printer', { testMatch: ['<rootDir>/packages/printer/src/**/*.test.ts'] }),
    project('catalog', { testMatch: ['<rootDir>/packages/catalog/src/**/*.test.ts'] }),
    project('reports', { testMatch: ['<rootDir>/packages/reports/src/**/*.test.ts'] }),
    project('testing', { testMatch: ['<rootDir>/packages/testing/src/**/*.test.ts'] }),
    project('hub', { testMatch: ['<rootDir>/apps/hub/{src,test}/**/*.test.ts'] }),
    // The province server's integration tests: a real PostgreSQL and the built server as a process.
    project('province', { testMatch: ['<rootDir>/apps/province/{src,test}/**/*.test.ts'] }),
    project('web', { testMatch: ['<rootDir>/apps/web/e2e/**/*.test.ts'] }),
    // The screens' pure modules (formats, texts, the counter's rules for its buttons), no browser.
    project('web-unit', { testMatch: ['<rootDir>/apps/web/src/**/*.test.ts'] }),
    project('desktop', { testMatch: ['<rootDir>/apps/desktop/src/**/*.test.ts'] }),
  ],
};

import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The import rules of eslint.config.mjs, run through ESLint's Node API on small sources placed
 * (virtually) in the tree: each back door and each layering break is an error, the clean imports
 * are not. A rule switched off, or a pattern that stops matching, fails here before it lets a back
 * door in unnoticed. ESLint runs in a child process: it loads its ES-module config with
 * `import()`, which jest's module sandbox does not offer.
 */

const ROOT = join(__dirname, '../../..');

interface Sample {
  /** Where the source pretends to live, from the repository root. */
  file: string;
  code: string;
}

const LINT = `
const { ESLint } = require('eslint');
const samples = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
(async () => {
  const out = [];
  for (const s of samples) {
    const [result] = await eslint.lintText(s.code, { filePath: require('node:path').join(process.cwd(), s.file) });
    out.push(result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** The rule ids of the errors ESLint reports for each sample, in order. */
function lint(samples: Sample[]): string[][] {
  const stdout = execFileSync(process.execPath, ['-e', LINT], { cwd: ROOT, input: JSON.stringify(samples), encoding: 'utf8' });
  return JSON.parse(stdout) as string[][];
}

/** A source that imports `name` from `from` and uses it (so only the import can be wrong). */
const importing = (name: string, from: string) => `import { ${name} } from '${from}';\nexport const used = ${name};\n`;

const RESTRICTED = 'no-restricted-imports';
const BOUNDARY = 'xephang/workspace-boundaries';
const RESOLVED = 'xephang/resolved-front-doors';

describe('the import rules', () => {
  const cases: [string, Sample, string[]][] = [
    // Back doors, wherever they are written.
    ['a package entered through src/', { file: 'apps/web/src/Sample.tsx', code: importing('createAnnouncer', '@xephang/voice/src/browser/other') }, [RESTRICTED]],
    ['a package entered through dist/', { file: 'scripts/bench/sample.ts', code: importing('computeReport', '@xephang/hub/dist/src/reports') }, [RESTRICTED]],
    ['the build output of a package resolved at run time', { file: 'scripts/sample.ts', code: "export const cli = require.resolve('@xephang/hub/dist/src/cli.js');\n" }, [RESOLVED]],
    ['the source of a package resolved in a template', { file: 'packages/testing/src/sample.ts', code: 'export const dir = require.resolve(`@xephang/hub/src/${"cli"}.ts`);\n' }, [RESOLVED]],
    ['a relative path into another workspace', { file: 'apps/desktop/src/sample.test.ts', code: importing('startHubProcess', '../../hub/test/helpers') }, [BOUNDARY]],
    ['a relative path into scripts', { file: 'apps/web/e2e/sample.test.ts', code: importing('launchChromium', '../../../scripts/lib/browser') }, [BOUNDARY]],
    ['a relative path out of the repository', { file: 'packages/core/src/sample.ts', code: importing('x', '../../../../elsewhere') }, [BOUNDARY]],
    // The layering.
    ['the core importing the client', { file: 'packages/core/src/sample.ts', code: importing('connectHub', '@xephang/client') }, [RESTRICTED]],
    ['the core importing the hub', { file: 'packages/core/src/sample.ts', code: importing('startHub', '@xephang/hub') }, [RESTRICTED]],
    ['the protocol importing the core', { file: 'packages/protocol/src/sample.ts', code: importing('pickNext', '@xephang/core') }, [RESTRICTED]],
    ['a shared package importing an app', { file: 'packages/printer/src/sample.ts', code: importing('startHub', '@xephang/hub') }, [RESTRICTED]],
    ['a screen importing the hub', { file: 'apps/web/src/Sample.tsx', code: importing('computeReport', '@xephang/hub/reports') }, [RESTRICTED]],
    ['the shell importing the hub', { file: 'apps/desktop/src/sample.ts', code: importing('openDatabase', '@xephang/hub') }, [RESTRICTED]],
    ['a browser test importing the hub instead of @xephang/testing', { file: 'apps/web/e2e/sample.test.ts', code: importing('DEFAULT_CENTER_NAME', '@xephang/hub/default-center') }, [RESTRICTED]],
    // Clean imports: front doors, declared subpaths, relative paths inside a workspace.
    ['the core importing the protocol', { file: 'packages/core/src/sample.ts', code: importing('PROTOCOL_VERSION', '@xephang/protocol') + importing('pickNext', './pick-next').replace('used', 'used2') }, []],
    ['a screen importing core and its own files', { file: 'apps/web/src/Sample.tsx', code: importing('ticketNumber', '@xephang/core') + importing('App', './App').replace('used', 'used2') }, []],
    ['a hub test importing the hub source and the test helpers', { file: 'apps/hub/test/sample.test.ts', code: importing('createCommands', '../src/commands') + importing('startHubProcess', '@xephang/testing').replace('used', 'used2') }, []],
    ['a script importing a declared entry', { file: 'scripts/bench/sample.ts', code: importing('computeReport', '@xephang/hub/reports') + importing('FakePrinter', '@xephang/printer/testing').replace('used', 'used2') }, []],
    ['a script resolving the declared command line of the hub, and the own dist of another package', { file: 'scripts/sample.ts', code: "export const cli = [require.resolve('@xephang/hub/cli'), require.resolve('espeak-ng/dist/espeak-ng.js')];\n" }, []],
    ['the shell test starting the hub through @xephang/testing', { file: 'apps/desktop/src/sample.test.ts', code: importing('startHubProcess', '@xephang/testing') }, []],
  ];

  // One ESLint process for every sample: loading typescript-eslint takes seconds.
  const results = lint(cases.map(([, sample]) => sample));

  it.each(cases.map(([name, sample, expected], i) => [name, sample.file, expected, i] as const))('%s (%s)', (_name, _file, expected, i) => {
    expect(results[i]).toEqual(expected);
  });
});

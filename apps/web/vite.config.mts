import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const source = (pkg: string, entry = 'index.ts') => fileURLToPath(new URL(`../../packages/${pkg}/src/${entry}`, import.meta.url));

/** Text the hub serves to screens; fonts and pictures are compressed already, source maps only reach a debugger. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
/** Below this a compressed copy saves less than the headers it costs. */
const MIN_BYTES = 512;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : Promise.resolve([join(prefix, e.name)]))),
  );
  return nested.flat();
}

/**
 * Writes `x.br` and `x.gz` beside every built text file, compressed once at the strongest
 * settings: the hub (sirv) sends them as they are to a browser that accepts them, so an old
 * TV's browser on the LAN downloads a third of the bytes and the hub compresses nothing per request.
 */
function precompress(onlyOwnFiles: boolean): Plugin {
  let outDir = '';
  // The province's pass writes into the hub's dist beside the first pass's files, compressed already.
  const own = new Set<string>();
  return {
    name: 'xephang:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    writeBundle(_options, bundle) {
      for (const name of Object.keys(bundle)) own.add(name);
    },
    async closeBundle() {
      const files = (await filesUnder(outDir)).filter((f) => COMPRESSIBLE.test(f) && !f.startsWith('.vite') && (!onlyOwnFiles || own.has(f)));
      await Promise.all(
        files.map(async (name) => {
          const path = join(outDir, name);
          if ((await stat(path)).size < MIN_BYTES) return;
          const raw = await readFile(path);
          const [br, gz] = await Promise.all([
            brotli(raw, {
              params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
            }),
            gzipped(raw, { level: constants.Z_BEST_COMPRESSION }),
          ]);
          // A copy that is not smaller would only cost the browser a decompression.
          if (br.length < raw.length) await writeFile(`${path}.br`, br);
          if (gz.length < raw.length) await writeFile(`${path}.gz`, gz);
        }),
      );
    },
  };
}

/**
 * Asks for the screens' web fonts from the page itself (`<link rel=preload as=font>`), beside the
 * script: otherwise the browser learns of them only at the first layout that uses them, lays the
 * text out first in a system font (on Linux, looking fonts up took a TV's first layout 0.4 s at
 * CPU ÷4) and again once they arrive. Only the woff2 files: a browser without woff2 skips a
 * preload of that type and takes the woff from the style sheet as before.
 */
function preloadFonts(): Plugin {
  return {
    name: 'xephang:preload-fonts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const fonts = Object.keys(ctx.bundle ?? {}).filter((f) => f.endsWith('.woff2')).sort();
        return fonts.map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'font', type: 'font/woff2', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const }));
      },
    },
  };
}

/**
 * The shared packages build to CommonJS for Node; the screens bundle their TypeScript source.
 *
 * Two passes into one dist (package.json's build): the hub's screens (index.html), then with
 * `--mode province` the province server's pages (province.html, issue 19), which the hub never
 * serves. Apart, not two inputs of one pass: a pass with both would move what they share (React,
 * the styles) out of the hub's entry into a common chunk, and the TV would load two scripts
 * where it loads one. Each pass has its own manifest.
 */
export default defineConfig(({ mode }) => {
  const province = mode === 'province';
  return {
    plugins: [react(), preloadFonts(), precompress(province)],
    resolve: {
      alias: {
        '@xephang/protocol': source('protocol'),
        '@xephang/client': source('client'),
        '@xephang/core': source('core'),
        '@xephang/catalog': source('catalog'),
        '@xephang/voice/browser': source('voice', 'browser/index.ts'),
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: !province,
      sourcemap: true,
      // dist/.vite/manifest.json: which chunks each screen loads, read by e2e/build.test.ts and
      // scripts/bench/screens.ts (the hub never serves a dot-folder); the province's beside it.
      manifest: province ? '.vite/manifest-province.json' : true,
      chunkSizeWarningLimit: 1000,
      rolldownOptions: {
        input: fileURLToPath(new URL(province ? 'province.html' : 'index.html', import.meta.url)),
        // The protocol only declares (schemas built by `z.…()` calls at module level, constants):
        // said so, the bundler keeps in each screen only the contracts it uses, instead of every
        // schema in the first chunk that imports the package, which every screen loads.
        treeshake: {
          manualPureFunctions: ['z'],
          moduleSideEffects: [
            { test: /packages[\\/]protocol[\\/]src[\\/]/, sideEffects: false },
            { test: /./, sideEffects: true },
          ],
        },
        // zod is shared by screens that parse (the admin, the kiosk); left to itself the bundler
        // hoists it into the entry that every screen loads, the TV included.
        output: { codeSplitting: { groups: [{ name: 'zod', test: /node_modules[\\/]zod[\\/]/ }] } },
      },
    },
    server: {
      // `npm run dev -w @xephang/web` against a hub started with --allow-origin http://localhost:5173
      proxy: { '/socket.io': { target: 'http://localhost:8080', ws: true }, '/api': 'http://localhost:8080' },
    },
  };
});

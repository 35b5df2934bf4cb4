import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { VoiceVariant } from '@xephang/protocol';
import { decodeWav, type Pcm } from './wav';

export interface SpeakOptions {
  voice: VoiceVariant;
  /** Words per minute. */
  speed: number;
  /** 0–99. */
  pitch: number;
}

export type EspeakEngine = 'espeak-wasm' | 'espeak-binary';

export interface Spoken {
  pcm: Pcm;
  engine: EspeakEngine;
  ms: number;
}

export interface Espeak {
  /** @throws SynthesisError when neither the WebAssembly build nor the binary could speak. */
  speak(text: string, options: SpeakOptions): Promise<Spoken>;
  /** espeak-ng's phoneme mnemonics (`-x`) for the text: to check what it will say. */
  phonemes(text: string, voice: VoiceVariant): Promise<string>;
  close(): Promise<void>;
}

export interface EspeakOptions {
  /** Which builds to try, in order (default: the npm WebAssembly build, then the binary). */
  engines?: ReadonlyArray<'wasm' | 'binary'>;
  /** The espeak-ng program for the fallback (default `espeak-ng` on the PATH). */
  binary?: string;
  /** One synthesis longer than this is abandoned (the engine process is restarted). */
  timeoutMs?: number;
  /** The engine process (~100 MB with the voice data) exits after this long without work. */
  idleMs?: number;
  log?: (line: string) => void;
}

export class SynthesisError extends Error {}

interface Job {
  id: number;
  args: string[];
  output: 'wav' | 'text';
}
type JobReply = { id: number; ok: true; wav?: Uint8Array; text?: string } | { id: number; ok: false; error: string };

// Runs in a child process, not a worker thread: a synthesis (~0.2 s of WebAssembly) never
// blocks the hub's event loop, and the engine's memory is not the hub's. Heap snapshots of the
// hub with the engine in a worker showed the hub's own heap back to its idle size once the
// worker stopped, yet its RSS stayed ~55 MB higher (and ~150 MB higher while the worker lived):
// the worker's isolate and, most likely, the fresh linear memory of the 18 MB module (its voice
// data is in the data segment) instantiated for every job; none of it shows in a JS heap. A
// process returns everything to the OS when it exits, and `gc()` after each job (the child runs
// with --expose-gc) drops the finished instance's memory at once.
// The npm build is an ES module whose `main` runs once per instance: one instance per job,
// sharing one compiled module. A CommonJS caller cannot import it through tsc's output, hence eval.
const ENGINE_SOURCE = `
const { readFile } = require('node:fs/promises');
const { fileURLToPath } = require('node:url');
const moduleUrl = process.env.XEPHANG_ESPEAK_MODULE;
let ready;
function load() {
  ready ??= (async () => {
    const factory = (await import(moduleUrl)).default;
    const wasmFile = fileURLToPath(new URL('espeak-ng.wasm', moduleUrl));
    const compiled = await WebAssembly.compile(await readFile(wasmFile));
    return { factory, compiled };
  })();
  return ready;
}
// The hub went away: nothing left to speak for.
process.on('disconnect', () => process.exit(0));
let chain = Promise.resolve();
process.on('message', (job) => {
  chain = chain.then(() => run(job)).then(() => globalThis.gc?.());
});
async function run(job) {
  try {
    const { factory, compiled } = await load();
    const printed = [];
    const errors = [];
    const instance = await factory({
      arguments: job.args,
      print: (line) => printed.push(line),
      printErr: (line) => errors.push(line),
      instantiateWasm: (imports, done) => {
        WebAssembly.instantiate(compiled, imports).then((inst) => done(inst, compiled));
        return {};
      },
    });
    if (job.output === 'text') return process.send({ id: job.id, ok: true, text: printed.join('\\n') });
    let wav;
    try {
      wav = instance.FS.readFile('/out.wav');
    } catch {
      throw new Error('espeak-ng wrote no audio' + (errors.length ? ': ' + errors.join(' ') : ''));
    }
    process.send({ id: job.id, ok: true, wav });
  } catch (error) {
    process.send({ id: job.id, ok: false, error: String(error && error.message || error) });
  }
}
`;

/** The text as one argument espeak-ng will not mistake for an option. */
function cleanText(text: string): string {
  return text.normalize('NFC').replace(/^[\s-]+/, '').trim();
}

function speakArgs(text: string, o: SpeakOptions): string[] {
  return ['-b', '1', '-v', o.voice, '-s', String(o.speed), '-p', String(o.pitch), cleanText(text)];
}

/**
 * espeak-ng without a cloud: the npm WebAssembly build in a child process, and the system's
 * `espeak-ng` binary when that fails (or first, with `prefer: 'binary'`).
 */
export function createEspeak(options: EspeakOptions = {}): Espeak {
  const log = options.log ?? (() => {});
  const useWasm = (options.engines ?? ['wasm']).includes('wasm');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const idleMs = options.idleMs ?? 60_000;
  const binary = options.binary ?? 'espeak-ng';
  let worker: ChildProcess | undefined;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | undefined;
  const waiting = new Map<number, { resolve: (r: JobReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  const stopWorker = (reason: string) => {
    const w = worker;
    worker = undefined;
    for (const [id, job] of waiting) {
      clearTimeout(job.timer);
      job.reject(new Error(reason));
      waiting.delete(id);
    }
    if (w && w.exitCode === null) w.kill();
  };

  const startWorker = (): ChildProcess => {
    const moduleUrl = pathToFileURL(require.resolve('espeak-ng/dist/espeak-ng.js')).href;
    // 'advanced' serialization carries the WAV as bytes, not as JSON numbers.
    const w = spawn(process.execPath, ['--expose-gc', '-e', ENGINE_SOURCE], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, XEPHANG_ESPEAK_MODULE: moduleUrl, XEPHANG_VOICE_ENGINE: '1' },
    });
    // An idle engine must not keep the hub (or a test) alive.
    w.unref();
    w.channel?.unref();
    w.on('message', (reply: JobReply) => {
      const job = waiting.get(reply.id);
      if (!job) return;
      clearTimeout(job.timer);
      waiting.delete(reply.id);
      job.resolve(reply);
    });
    w.on('error', (error) => {
      if (worker === w) stopWorker(`espeak-ng process failed: ${error.message}`);
    });
    w.on('exit', () => {
      if (worker === w) stopWorker('espeak-ng process exited');
    });
    return w;
  };

  const runWasm = (args: string[], output: Job['output']): Promise<JobReply> => {
    worker ??= startWorker();
    const w = worker;
    if (idleTimer) clearTimeout(idleTimer);
    const id = nextId++;
    return new Promise<JobReply>((resolve, reject) => {
      const timer = setTimeout(() => stopWorker(`espeak-ng took longer than ${timeoutMs} ms`), timeoutMs);
      timer.unref();
      waiting.set(id, { resolve, reject, timer });
      w.send({ id, args, output } satisfies Job);
    }).finally(() => {
      if (waiting.size === 0 && worker) {
        idleTimer = setTimeout(() => stopWorker('idle'), idleMs);
        idleTimer.unref();
      }
    });
  };

  const wasmSpeak = async (text: string, o: SpeakOptions): Promise<Pcm> => {
    const reply = await runWasm([...speakArgs(text, o).slice(0, -1), '-w', '/out.wav', cleanText(text)], 'wav');
    if (!reply.ok) throw new Error(reply.error);
    if (!reply.wav) throw new Error('espeak-ng returned no audio');
    return decodeWav(reply.wav);
  };

  const binarySpeak = (text: string, o: SpeakOptions): Promise<Pcm> =>
    new Promise((resolve, reject) => {
      execFile(binary, [...speakArgs(text, o).slice(0, -1), '--stdout', cleanText(text)], { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 32 << 20 }, (error, stdout) => {
        if (error) return reject(error);
        try {
          resolve(decodeWav(stdout));
        } catch (e) {
          reject(e as Error);
        }
      });
    });

  const engines = (options.engines ?? ['wasm', 'binary']).map(
    (e): [EspeakEngine, (text: string, o: SpeakOptions) => Promise<Pcm>] => (e === 'wasm' ? ['espeak-wasm', wasmSpeak] : ['espeak-binary', binarySpeak]),
  );

  return {
    async speak(text, o) {
      const failures: string[] = [];
      for (const [engine, speak] of engines) {
        const started = performance.now();
        try {
          const pcm = await speak(text, o);
          if (pcm.samples.length === 0) throw new Error('no samples');
          return { pcm, engine, ms: performance.now() - started };
        } catch (error) {
          failures.push(`${engine}: ${(error as Error).message}`);
          log(`giọng đọc ${engine} lỗi, thử cách khác: ${(error as Error).message}`);
        }
      }
      throw new SynthesisError(`Không tạo được giọng đọc (${failures.join('; ')}).`);
    },
    async phonemes(text, voice) {
      const args = ['-b', '1', '-q', '-x', '-v', voice, cleanText(text)];
      if (useWasm) {
        try {
          const reply = await runWasm(args, 'text');
          if (reply.ok && reply.text !== undefined) return reply.text.trim();
        } catch {
          // fall through to the binary
        }
      }
      return new Promise((resolve, reject) => {
        execFile(binary, args, { timeout: timeoutMs }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
      });
    },
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      stopWorker('closed');
    },
  };
}

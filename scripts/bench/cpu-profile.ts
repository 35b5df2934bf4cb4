/**
 * Loaded with `NODE_OPTIONS=--require …/cpu-profile.js` into a process the benchmark starts (node
 * 20 refuses `--cpu-prof` in NODE_OPTIONS, and the test rig's process starters take no node
 * flags): profiles the process from its first SIGUSR2 on and writes
 * `XEPHANG_CPU_PROF_DIR/<ms>-<pid>.cpuprofile` when it exits (the in-process inspector answers
 * synchronously, so this works inside 'exit').
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.XEPHANG_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  // From the benchmark's SIGUSR2 on (sent once the server is up): the start's module loading is not what is measured.
  process.once('SIGUSR2', () => session.post('Profiler.start'));
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${Date.now()}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

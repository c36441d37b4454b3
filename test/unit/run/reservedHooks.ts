// Real hooks for the variables that steer a program, shared by the engine's and the generated
// scripts' tests: a start-up file for bash (BASH_ENV), a module for node (NODE_OPTIONS --require), a
// sitecustomize for python (PYTHONPATH) and a shared library (LD_PRELOAD, built with gcc when it is
// installed). Each touches its own marker file when it runs.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A variable, the value that makes a program run a hook, and a step of the program that reads it. */
export interface Hooked {
  name: string;
  value: string;
  marker: string;
  /** The step's language and code. */
  info: string;
  code: string;
  /** Starts the program directly with the variable set: the hook must run (proves the hook works). */
  direct: (env: NodeJS.ProcessEnv) => ReturnType<typeof spawnSync>;
}

const HOOKED_NAMES = ['BASH_ENV', 'ENV', 'NODE_OPTIONS', 'PYTHONPATH', 'LD_PRELOAD'];

/** This process's environment without the variables under test, so only the test sets them. */
export function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of HOOKED_NAMES) delete env[name];
  return env;
}

function gccAvailable(): boolean {
  return spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Writes the hooks into `dir`: a start-up file for bash, a module for node, a sitecustomize for python, a shared library. */
export function writeHooks(dir: string): Hooked[] {
  const marker = (name: string) => join(dir, `${name}.ran`);
  const bashEnv = join(dir, 'bash-env.sh');
  writeFileSync(bashEnv, `: > '${marker('BASH_ENV')}'\n`);
  const nodeHook = join(dir, 'node-hook.cjs');
  writeFileSync(nodeHook, `require('fs').writeFileSync(${JSON.stringify(marker('NODE_OPTIONS'))}, '');\n`);
  const pythonDir = join(dir, 'python-path');
  mkdirSync(pythonDir);
  writeFileSync(join(pythonDir, 'sitecustomize.py'), `open(${JSON.stringify(marker('PYTHONPATH'))}, 'w').close()\n`);
  const hooks: Hooked[] = [
    {
      name: 'BASH_ENV',
      value: bashEnv,
      marker: marker('BASH_ENV'),
      info: 'bash',
      code: 'echo started',
      direct: (env) => spawnSync('bash', ['-c', 'true'], { env }),
    },
    {
      name: 'NODE_OPTIONS',
      value: `--require ${nodeHook}`,
      marker: marker('NODE_OPTIONS'),
      info: 'node',
      code: 'console.log("started")',
      direct: (env) => spawnSync('node', ['-e', '0'], { env }),
    },
    {
      name: 'PYTHONPATH',
      value: pythonDir,
      marker: marker('PYTHONPATH'),
      info: 'python',
      code: 'print("started")',
      direct: (env) => spawnSync('python3', ['-c', '0'], { env }),
    },
  ];
  if (gccAvailable()) {
    const source = join(dir, 'preload.c');
    const library = join(dir, 'preload.so');
    writeFileSync(
      source,
      ['#include <fcntl.h>', '#include <unistd.h>', `__attribute__((constructor)) static void hook(void) { int fd = open(${JSON.stringify(marker('LD_PRELOAD'))}, O_WRONLY | O_CREAT, 0600); if (fd >= 0) close(fd); }`, ''].join('\n'),
    );
    const built = spawnSync('gcc', ['-shared', '-fPIC', '-o', library, source], { encoding: 'utf8' });
    assert.equal(built.status, 0, `could not build the LD_PRELOAD hook: ${built.stderr}`);
    hooks.push({
      name: 'LD_PRELOAD',
      value: library,
      marker: marker('LD_PRELOAD'),
      info: 'bash',
      code: 'echo started',
      direct: (env) => spawnSync('/bin/true', [], { env }),
    });
  }
  return hooks;
}

/** Each program, started directly with its variable set, runs its hook: what the tests then show never happens in a step. */
export function assertHooksWork(hooks: Hooked[]): void {
  for (const hook of hooks) {
    const ran = hook.direct({ ...cleanEnv(), [hook.name]: hook.value });
    assert.ok(existsSync(hook.marker), `${hook.name}: the hook did not run when given directly (${String(ran.stderr)})`);
    rmSync(hook.marker);
  }
}

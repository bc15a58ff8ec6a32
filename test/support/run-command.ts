import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '#infra/build/functions.ts';

const run = promisify(execFile);

/** Runs a TypeScript entry point of the project with the project's Node; never rejects. */
const runScript = async (
  script: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, script), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** Runs the `harbormaster` CLI. */
const harbormaster = (...args: string[]) => runScript('apps/cli/main.ts', args);

export { harbormaster, runScript };

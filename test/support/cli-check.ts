import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from './run-command.ts';

/** A scratch directory with no harbormaster.yml, and a way to write files into it. */
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (name: string, content: unknown): string => {
    const file = join(dir, name);
    writeFileSync(
      file,
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    );
    return file;
  };
  /** `harbormaster check` run in the scratch directory (the built-in policies apply unless --config). */
  const check = (...args: string[]) =>
    runScript('apps/cli/main.ts', ['check', ...args], { cwd: dir });
  return { dir, write, check };
};

/** The 1-based line on which `needle` first appears in a file. */
const lineOf = (file: string, needle: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((text) => text.includes(needle)) + 1;

/** A finding as `--format json` prints it. */
interface JsonFinding {
  file: string;
  resource?: string;
  rule: string;
  status: string;
  severity: string;
  message: string;
  container?: string;
  path?: string;
  line: number;
  column: number;
  note?: string;
  triage?: { kind: string; reason?: string };
}

/** `--format json` output. */
interface JsonReport {
  checked: { file: string; format: string; resource?: string; family?: string }[];
  findings: JsonFinding[];
  notChecked: { file: string; kind: string; message: string }[];
  summary: Record<string, unknown>;
}

export { type JsonFinding, type JsonReport, lineOf, scratch };

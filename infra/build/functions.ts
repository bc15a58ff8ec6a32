import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The project root, two levels above this file. */
const ROOT = join(import.meta.dirname, '..', '..');

/** Every deployable function: a folder of functions/ with an index.ts Lambda entry point. */
const functionNames = (root = ROOT): string[] =>
  readdirSync(join(root, 'functions'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(root, 'functions', entry.name, 'index.ts')),
    )
    .map((entry) => entry.name)
    .sort();

export { functionNames, ROOT };

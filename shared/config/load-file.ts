import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '#kernel/errors.ts';
import { parseConfig } from './parse.ts';
import type { Config } from './schema.ts';

/** Reads raw configuration data from a YAML (or JSON) file, without validating it. */
const readConfigData = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [
      { path: '', message: `cannot read the file (${(error as Error).message})` },
    ]);
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      path,
      document.errors.map((e) => ({
        path: `line ${e.linePos?.[0]?.line ?? '?'}`,
        message: e.message,
      })),
    );
  }
  return document.toJS();
};

/** Reads and validates a configuration file; used by the build, packaging and the CLI. */
const loadConfigFile = (path: string): Config => parseConfig(readConfigData(path), path);

export { loadConfigFile, readConfigData };

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The names a configuration file is looked for under, in the working directory. */
const CONFIG_NAMES = ['harbormaster.yml', 'harbormaster.yaml'];

/**
 * The configuration file a command uses, found the same way by every command: the one named with
 * --config, else HARBORMASTER_CONFIG, else harbormaster.yml (or .yaml) in the working directory;
 * undefined when there is none (the command then uses its defaults and says so).
 */
const findConfigFile = (named: string | undefined, cwd = process.cwd()): string | undefined => {
  if (named) return named;
  const fromEnv = process.env.HARBORMASTER_CONFIG;
  if (fromEnv) return fromEnv;
  return CONFIG_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
};

export { CONFIG_NAMES, findConfigFile };

import { ConfigError } from '#kernel/errors.ts';
import { buildFunctions } from './bundle.ts';

/** `npm run build`: bundles every function into .build/<name>.zip. */
const configFile = process.env.HARBORMASTER_CONFIG ?? 'harbormaster.yml';
try {
  const built = await buildFunctions({ configFile });
  for (const fn of built) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    console.log(
      `built ${fn.name.padEnd(20)} bundle ${kb(fn.bundleBytes).padStart(10)}  zip ${kb(fn.zipBytes).padStart(10)}`,
    );
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

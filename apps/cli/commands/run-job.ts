import type { Command } from 'commander';
import { noWakeups } from '#aws/wakeups/port.ts';
import type { JobRun } from '#batch/records.ts';
import { manualRunKey } from '#batch/run-ids.ts';
import { readConfigData } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import { ConfigError } from '#kernel/errors.ts';
import type { InvocationResult } from '#kernel/invoke.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

interface RunJobOptions {
  config: string;
  stage?: string;
  key?: string;
  wait?: boolean;
  pollSeconds: number;
  timeoutMinutes: number;
  dryRun?: boolean;
  json?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const describeResult = (result: InvocationResult): string[] => [
  `${result.outcome}: ${result.reason}`,
  ...result.actions.map((a) => `  ${a.type}: ${a.detail}`),
];

/**
 * `harbormaster run-job <name>`: runs a job now, outside its schedule, through the same parse,
 * load, decide and execute code as the deployed function, with AWS clients from the environment
 * (AWS_REGION, credentials, AWS_ENDPOINT_URL_* for a local endpoint) and the stack's tables and
 * topic (JOB_RUNS_TABLE_NAME, DEDUP_TABLE_NAME, ALERT_TOPIC_ARN). The run is keyed by the minute
 * it was asked for (or --key), so re-running the command does not launch twice. With --wait it
 * follows the run to its end and exits 0 if it succeeded, 1 if it did not.
 */
const runJob = async (name: string, options: RunJobOptions): Promise<number> => {
  const data = (readConfigData(options.config) ?? {}) as Record<string, unknown>;
  const config = parseConfig(
    { ...data, ...(options.dryRun ? { dryRun: true } : {}) },
    options.config,
  );
  if (!config.batchJobs.jobs[name]) {
    console.error(`No job "${name}" in ${options.config} (batchJobs.jobs).`);
    return EXIT.usage;
  }
  // Loaded here, not at start-up: the function and its AWS clients cost every other command a second.
  const [{ batchJobs }, { invoke }, { createRuntime }, { silentTelemetry }, { classifyFailure }] =
    await Promise.all([
      import('#functions/batch-jobs/definition.ts'),
      import('#kernel/invoke.ts'),
      import('#kernel/runtime.ts'),
      import('#kernel/telemetry.ts'),
      import('#kernel/failures.ts'),
    ]);
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...(options.stage ? { HARBORMASTER_STAGE: options.stage } : {}),
  };
  // The deployed check is woken through the stack's schedule group and role (WAKEUP_*): without
  // them, no wake-up is set from here, and the run is checked by the deployed check's backstop
  // (15 minutes) or by --wait. The wake-ups' client is only built on first use.
  const canWake = Boolean(env.WAKEUP_GROUP && env.WAKEUP_TARGET_ARN && env.WAKEUP_ROLE_ARN);
  const runtime = createRuntime({
    functionName: 'harbormaster-cli-run-job',
    config,
    env: canWake
      ? env
      : { ...env, WAKEUP_GROUP: 'unset', WAKEUP_TARGET_ARN: 'unset', WAKEUP_ROLE_ARN: 'unset' },
    telemetry: silentTelemetry,
  });
  const wired = await batchJobs.wire(runtime);
  const ports = canWake
    ? wired
    : {
        ...wired,
        wakeups: noWakeups('no WAKEUP_* environment: the backstop or --wait checks the run'),
      };
  const requestedAt = new Date();
  const runKey = manualRunKey(requestedAt, options.key);
  const where = env.AWS_REGION ? { region: env.AWS_REGION } : {};
  const print = (lines: string[]) => {
    if (!options.json) for (const line of lines) console.log(line);
  };
  print([`Job ${name}, run ${runKey}`]);
  const started = await invoke(
    batchJobs,
    {
      runJob: {
        job: name,
        requestedAt: requestedAt.toISOString(),
        ...(options.key ? { key: options.key } : {}),
        ...where,
      },
    },
    runtime,
    ports,
  );
  print(describeResult(started));
  let run: JobRun | undefined = options.dryRun
    ? undefined
    : await ports.jobRuns.getRun(name, runKey);
  if (options.wait && run) {
    const deadline = Date.now() + options.timeoutMinutes * 60_000;
    while (run?.status === 'running' && Date.now() < deadline) {
      await sleep(options.pollSeconds * 1000);
      try {
        const step = await invoke(
          batchJobs,
          { reconcileRun: { job: name, runKey, ...where } },
          runtime,
          ports,
        );
        if (step.outcome === 'acted') print(describeResult(step));
      } catch (error) {
        // The deployed function may be updating the same run (its lease is held): the next check
        // finds what it did. Anything a retry cannot help stops the wait.
        if (!classifyFailure(error).retryable) throw error;
      }
      run = await ports.jobRuns.getRun(name, runKey);
    }
  }
  const status = run?.status ?? (options.dryRun ? 'dry-run' : 'not recorded');
  if (options.json)
    console.log(
      JSON.stringify({ job: name, runKey, status, reason: run?.reason, result: started }),
    );
  else print([`Run ${runKey}: ${status}${run?.reason ? ` (${run.reason})` : ''}`]);
  if (options.dryRun) return EXIT.ok;
  if (options.wait) return status === 'succeeded' ? EXIT.ok : EXIT.findings;
  return status === 'running' || status === 'succeeded' ? EXIT.ok : EXIT.findings;
};

/** Registers `harbormaster run-job`. */
const registerRunJob = (program: Command): void => {
  program
    .command('run-job')
    .description(
      'run a batch job now, outside its schedule, with the same guarantees (once per minute or --key)',
    )
    .argument('<name>', 'the job, as named under batchJobs.jobs')
    .option(
      '-c, --config <file>',
      'configuration file',
      process.env.HARBORMASTER_CONFIG ?? 'harbormaster.yml',
    )
    .option('--stage <stage>', 'the deployment stage (default: HARBORMASTER_STAGE)')
    .option('--key <key>', 'another run in the same minute (letters, digits, _)')
    .option('--wait', 'follow the run to its end; exit 0 if it succeeded, 1 if not')
    .option('--poll-seconds <n>', 'seconds between checks while waiting', Number.parseFloat, 15)
    .option('--timeout-minutes <n>', 'stop waiting after this long', Number.parseFloat, 24 * 60)
    .option('--dry-run', 'decide and print what would be done, and do nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      exitCodesHelp({
        ok: 'the run started (with --wait: it succeeded; with --dry-run: decided)',
        findings: 'the run could not start, or (with --wait) failed or timed out',
      }),
    )
    .action(async (name: string, options: RunJobOptions) => {
      try {
        process.exitCode = await runJob(name, options);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(error.message);
        process.exitCode = EXIT.usage;
      }
    });
};

export { registerRunJob };

import { ECSClient } from '@aws-sdk/client-ecs';
import type { Command } from 'commander';
import {
  createServiceDeploymentsAdapter,
  type ServiceDeploymentsPort,
} from '#aws/ecs/service-deployments.ts';
import { answerPause } from '#delivery/approvals/continue.ts';
import { serviceDeploymentFromArn } from '#kernel/events/arn.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

interface ApproveOptions {
  hookId?: string;
  region?: string;
}

/** The service deployment a command names: its ARN, or the one in progress of <cluster>/<service>. */
const deploymentArnOf = async (
  port: ServiceDeploymentsPort,
  target: string,
): Promise<string | undefined> => {
  if (serviceDeploymentFromArn(target)) return target;
  const [cluster, service, ...rest] = target.split('/');
  if (!cluster || !service || rest.length > 0)
    throw new Error(
      `expected a service deployment ARN or <cluster>/<service>, received "${target}"`,
    );
  const [inProgress] = await port.list(cluster, service, { statuses: ['IN_PROGRESS'], limit: 1 });
  return inProgress?.arn;
};

const register = (
  program: Command,
  name: 'approve' | 'reject',
  action: 'CONTINUE' | 'ROLLBACK',
) => {
  program
    .command(name)
    .description(
      name === 'approve'
        ? 'continue a deployment paused at a pause hook (ContinueServiceDeployment CONTINUE)'
        : 'roll back a deployment paused at a pause hook (ContinueServiceDeployment ROLLBACK)',
    )
    .argument(
      '<deployment>',
      'a service deployment ARN, or <cluster>/<service> for its deployment in progress',
    )
    .option('--hook-id <id>', 'the pause hook to answer (needed only when several await an answer)')
    .option('--region <region>', 'AWS region (default: from the environment)')
    .addHelpText(
      'after',
      exitCodesHelp({
        ok: `${action} was sent to the paused deployment`,
        findings: 'the deployment is not paused at a pause hook (the reason is printed)',
      }),
    )
    .action(async (target: string, options: ApproveOptions) => {
      const client = new ECSClient({
        ...(options.region ? { region: options.region } : {}),
        customUserAgent: `harbormaster/cli-${name}`,
      });
      const port = createServiceDeploymentsAdapter(client);
      const arn = await deploymentArnOf(port, target);
      if (!arn) {
        console.log(`${target}: no deployment in progress`);
        process.exitCode = EXIT.findings;
        return;
      }
      const outcome = await answerPause(
        {
          type: 'continue-deployment',
          request: { serviceDeploymentArn: arn, hookId: options.hookId ?? '', action },
          requestedBy: process.env.USER ?? 'harbormaster CLI',
        },
        { serviceDeployments: port },
        silentTelemetry,
      );
      console.log(`${arn}: ${outcome.detail}`);
      process.exitCode = outcome.status === 'done' ? EXIT.ok : EXIT.findings;
    });
};

/** `harbormaster approve` and `harbormaster reject`: answer a pause hook from a terminal. */
const registerApprovals = (program: Command): void => {
  register(program, 'approve', 'CONTINUE');
  register(program, 'reject', 'ROLLBACK');
};

export { registerApprovals };

import type { DeliverySettings } from './settings.ts';

/** One lifecycle hook as the ECS API takes it (DeploymentLifecycleHook). */
interface LifecycleHookConfig {
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: string[];
  timeoutConfiguration: { timeoutInMinutes: number; action: 'ROLLBACK' | 'CONTINUE' };
}

// ECS re-invokes after callBackDelay; an analysis stage lasts at most its measurements and limits.
const MARGIN_MINUTES = 5;

/**
 * The longest a gate may hold one stage: for each analysis, one interval per measurement it may
 * take (count, failures and inconclusive ones within their limits), the data delay, and the
 * retries after errors; the hook's timeout leaves a margin over it.
 */
const analysisMinutes = (settings: DeliverySettings): number => {
  const longest = Math.max(
    0,
    ...settings.analysisGate.analyses.map(
      (a) =>
        a.interval * (a.count + a.failureLimit + a.inconclusiveLimit + 1) +
        settings.analysisGate.dataDelaySeconds +
        30 * a.consecutiveErrorLimit,
    ),
  );
  return Math.ceil(longest / 60) + MARGIN_MINUTES;
};

/**
 * The lifecycleHooks a service needs for the gates its settings enable: one Lambda hook at
 * PRE_SCALE_UP (policy gate) and the analysis stages, its timeout above the longest analysis
 * (a hook that times out rolls back); a pause hook at the approval stages.
 */
const lifecycleHooksFor = (
  settings: DeliverySettings,
  targets: { functionArn: string; roleArn: string },
): LifecycleHookConfig[] => {
  const stages = [
    ...(settings.policyGate.mode === 'off' ? [] : ['PRE_SCALE_UP']),
    ...(settings.analysisGate.mode === 'off' ? [] : settings.analysisGate.stages),
  ];
  const hooks: LifecycleHookConfig[] = [];
  if (stages.length > 0)
    hooks.push({
      targetType: 'AWS_LAMBDA',
      hookTargetArn: targets.functionArn,
      roleArn: targets.roleArn,
      lifecycleStages: stages,
      timeoutConfiguration: { timeoutInMinutes: analysisMinutes(settings), action: 'ROLLBACK' },
    });
  if (settings.approvals.stages.length > 0)
    hooks.push({
      targetType: 'PAUSE',
      lifecycleStages: settings.approvals.stages,
      timeoutConfiguration: {
        timeoutInMinutes: settings.approvals.timeoutInMinutes,
        action: settings.approvals.timeoutAction,
      },
    });
  return hooks;
};

const pascal = (hook: LifecycleHookConfig) => ({
  TargetType: hook.targetType,
  ...(hook.hookTargetArn ? { HookTargetArn: hook.hookTargetArn } : {}),
  ...(hook.roleArn ? { RoleArn: hook.roleArn } : {}),
  LifecycleStages: hook.lifecycleStages,
  TimeoutConfiguration: {
    TimeoutInMinutes: hook.timeoutConfiguration.timeoutInMinutes,
    Action: hook.timeoutConfiguration.action,
  },
});

const yamlList = (items: readonly string[], indent: string) =>
  items.map((i) => `${indent}- ${i}`).join('\n');

/** AWS::ECS::Service DeploymentConfiguration.LifecycleHooks (CloudFormation YAML). */
const cloudFormation = (hooks: readonly LifecycleHookConfig[]): string =>
  [
    'DeploymentConfiguration:',
    '  LifecycleHooks:',
    ...hooks.map((h) =>
      [
        `    - TargetType: ${h.targetType}`,
        ...(h.hookTargetArn ? [`      HookTargetArn: ${h.hookTargetArn}`] : []),
        ...(h.roleArn ? [`      RoleArn: ${h.roleArn}`] : []),
        '      LifecycleStages:',
        yamlList(h.lifecycleStages, '        '),
        '      TimeoutConfiguration:',
        `        TimeoutInMinutes: ${h.timeoutConfiguration.timeoutInMinutes}`,
        `        Action: ${h.timeoutConfiguration.action}`,
      ].join('\n'),
    ),
  ].join('\n');

/** CDK: the same CloudFormation properties through the L1 escape hatch (Lambda and pause hooks alike). */
const cdk = (hooks: readonly LifecycleHookConfig[]): string =>
  [
    '// service: an ecs.FargateService or ecs.Ec2Service whose deploymentStrategy is BLUE_GREEN, LINEAR or CANARY',
    '(service.node.defaultChild as ecs.CfnService).addPropertyOverride(',
    "  'DeploymentConfiguration.LifecycleHooks',",
    `  ${JSON.stringify(hooks.map(pascal), null, 2).replaceAll('\n', '\n  ')},`,
    ');',
  ].join('\n');

/** Terraform aws_ecs_service: lifecycle_hook blocks of deployment_configuration. */
const terraform = (hooks: readonly LifecycleHookConfig[]): string =>
  [
    'deployment_configuration {',
    '  # strategy, bake_time_in_minutes and canary_configuration or linear_configuration as you have them',
    ...hooks.map((h) =>
      h.targetType === 'AWS_LAMBDA'
        ? [
            '  lifecycle_hook {',
            `    hook_target_arn  = "${h.hookTargetArn}"`,
            `    role_arn         = "${h.roleArn}"`,
            `    lifecycle_stages = [${h.lifecycleStages.map((s) => `"${s}"`).join(', ')}]`,
            '  }',
          ].join('\n')
        : `  # A pause hook (approval) at ${h.lifecycleStages.join(', ')}: the AWS provider documented no pause-hook arguments when this was written; add it with the CLI form.`,
    ),
    '}',
  ].join('\n');

/** The AWS CLI: lifecycleHooks to merge into the service's deploymentConfiguration. */
const cli = (hooks: readonly LifecycleHookConfig[], cluster: string, service: string): string =>
  [
    '# update-service replaces deploymentConfiguration: start from the current one,',
    `aws ecs describe-services --cluster ${cluster} --services ${service} --query 'services[0].deploymentConfiguration' > deployment-configuration.json`,
    '# set its "lifecycleHooks" to the list below, then:',
    `aws ecs update-service --cluster ${cluster} --service ${service} --deployment-configuration file://deployment-configuration.json`,
    JSON.stringify({ lifecycleHooks: hooks }, null, 2),
  ].join('\n');

const FORMATS = ['cloudformation', 'cdk', 'terraform', 'cli', 'json'] as const;
type HooksFormat = (typeof FORMATS)[number];

/** The lifecycle hooks in one of the formats users configure services with. */
const renderHooks = (
  hooks: readonly LifecycleHookConfig[],
  format: HooksFormat,
  where: { cluster: string; service: string },
): string => {
  switch (format) {
    case 'cloudformation':
      return cloudFormation(hooks);
    case 'cdk':
      return cdk(hooks);
    case 'terraform':
      return terraform(hooks);
    case 'cli':
      return cli(hooks, where.cluster, where.service);
    case 'json':
      return JSON.stringify(hooks, null, 2);
  }
};

export { FORMATS, type HooksFormat, type LifecycleHookConfig, lifecycleHooksFor, renderHooks };

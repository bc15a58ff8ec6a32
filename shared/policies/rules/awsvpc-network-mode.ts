import { show } from '../documents.ts';
import { defineRule } from '../types.ts';
import { taskDefinitionViolation } from './violations.ts';

/** The task uses the awsvpc network mode. */
const awsvpcNetworkMode = defineRule({
  id: 'awsvpc-network-mode',
  title: 'The task uses the awsvpc network mode',
  rationale:
    'awsvpc gives each task its own network interface and security groups, so access is controlled per task and visible in VPC Flow Logs; bridge and host modes share the instance\u2019s.',
  fix: 'Set networkMode to "awsvpc" (required on Fargate) and give services and RunTask an awsvpcConfiguration.',
  appliesTo: 'task definitions (ECS Anywhere-only ones excepted)',
  severity: 'warning',
  controls: ['CT.ECS.PR.4'],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    if (!taskDefinition) return 'not-applicable';
    const compatibilities = taskDefinition.requiresCompatibilities;
    // Control Tower skips task definitions meant only for ECS Anywhere (EXTERNAL).
    if (
      Array.isArray(compatibilities) &&
      compatibilities.length > 0 &&
      compatibilities.every((c) => c === 'EXTERNAL')
    ) {
      return 'not-applicable';
    }
    const mode = taskDefinition.networkMode;
    if (mode === 'awsvpc') return 'compliant';
    return [
      taskDefinitionViolation(
        mode === undefined
          ? 'the task sets no network mode (ECS uses bridge)'
          : `the task uses the ${show(mode)} network mode`,
        ['networkMode'],
      ),
    ];
  },
});

export { awsvpcNetworkMode };

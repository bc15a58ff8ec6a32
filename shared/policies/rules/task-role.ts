import { defineRule } from '../types.ts';
import { taskDefinitionViolation } from './violations.ts';

/** The task has its own role, distinct from the execution role. */
const taskRole = defineRule({
  id: 'task-role',
  title: 'The task has a task role, and it is not the execution role',
  rationale:
    'Without a task role, containers on EC2 fall back to the instance role, shared by every task on the host. Reusing the execution role gives the application ECS\u2019s own powers: pulling any image, reading every secret the execution role can.',
  fix: 'Set taskRoleArn to a role made for this application, separate from executionRoleArn.',
  appliesTo: 'task definitions',
  severity: 'warning',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    if (!taskDefinition) return 'not-applicable';
    const { taskRoleArn, executionRoleArn } = taskDefinition;
    if (typeof taskRoleArn !== 'string' || taskRoleArn === '') {
      return [taskDefinitionViolation('the task sets no task role (taskRoleArn)', ['taskRoleArn'])];
    }
    if (taskRoleArn === executionRoleArn) {
      return [
        taskDefinitionViolation(
          'the task role is the execution role (taskRoleArn equals executionRoleArn)',
          ['taskRoleArn'],
        ),
      ];
    }
    return 'compliant';
  },
});

export { taskRole };

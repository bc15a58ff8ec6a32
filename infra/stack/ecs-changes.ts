import type { Config } from '#config/schema.ts';
import { ConfigError, type FieldIssue } from '#kernel/errors.ts';

type Resources = Record<string, unknown>;
type Statement = Record<string, unknown>;

const sub = (text: string) => ({ 'Fn::Sub': text });
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders.
const ECS = 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}';

const clusterArn = (cluster: string) =>
  cluster.startsWith('arn:') ? cluster : sub(`${ECS}:cluster/${cluster}`);

// A cluster ARN's tasks and services live under the same prefix with another resource type.
const underCluster = (cluster: string, type: 'service' | 'task' | 'service-deployment') =>
  cluster.startsWith('arn:')
    ? `${cluster.replace(':cluster/', `:${type}/`)}/*`
    : sub(`${ECS}:${type}/${cluster}/*`);

const familyArn = (family: string) => sub(`${ECS}:task-definition/${family}:*`);

const roleArn = (role: string) =>
  role.startsWith('arn:')
    ? role
    : sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${role.replace(/^\//, '')}`);

/**
 * The ECS changes Harbormaster's functions make, each held to the configuration's `scope`, as the
 * Service Authorization Reference allows (ECS, "Actions defined by Amazon Elastic Container
 * Service"): UpdateService takes the service resource and the ecs:cluster and ecs:task-definition
 * condition keys; StopTask the task resource and ecs:cluster; TagResource the task-definition
 * resource and aws:TagKeys. DeregisterTaskDefinition takes no resource type and no condition key
 * but the global ones: it stays on "*" in this region, and the enforcer keeps to scope.taskFamilies
 * itself.
 */
const rollBack = (scope: Config['scope']): Statement => {
  const condition: Record<string, unknown> = {
    ArnLike: {
      'ecs:cluster': scope.clusters.includes('*')
        ? [sub(`${ECS}:cluster/*`)]
        : scope.clusters.map(clusterArn),
      ...(scope.taskFamilies.includes('*')
        ? {}
        : { 'ecs:task-definition': scope.taskFamilies.map(familyArn) }),
    },
  };
  return {
    Sid: 'RollBackServicesInScope',
    Effect: 'Allow',
    Action: 'ecs:UpdateService',
    Resource: scope.clusters.map((c) => underCluster(c, 'service')),
    Condition: condition,
  };
};

// A rollback to a revision passes its task and execution roles to ECS.
const passRoles = (scope: Config['scope']): Statement => ({
  Sid: 'PassTaskRolesInScopeToEcs',
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: scope.passRoles.map(roleArn),
  Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
});

// StopServiceDeployment takes the service-deployment resource (service-deployment/<cluster>/
// <service>/<id>, service-deployment-permissions.html): the guard stops only deployments of the
// scope's clusters, as it updates only their services.
const stopServiceDeployments = (scope: Config['scope']): Statement => ({
  Sid: 'StopServiceDeploymentsInScopeWithRollback',
  Effect: 'Allow',
  Action: 'ecs:StopServiceDeployment',
  Resource: scope.clusters.map((c) => underCluster(c, 'service-deployment')),
});

const enforcerStatements = (scope: Config['scope']): Statement[] => [
  rollBack(scope),
  passRoles(scope),
  {
    Sid: 'StopStandaloneTasksInScope',
    Effect: 'Allow',
    Action: 'ecs:StopTask',
    Resource: scope.clusters.map((c) => underCluster(c, 'task')),
    Condition: {
      ArnLike: {
        'ecs:cluster': scope.clusters.includes('*')
          ? [sub(`${ECS}:cluster/*`)]
          : scope.clusters.map(clusterArn),
      },
    },
  },
  {
    Sid: 'TagRevisionsInScopeWithHarbormasterKeysOnly',
    Effect: 'Allow',
    Action: 'ecs:TagResource',
    Resource: scope.taskFamilies.map(familyArn),
    Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['harbormaster:*'] } },
  },
  {
    Sid: 'DeregisterRevisionsInThisRegion',
    Effect: 'Allow',
    Action: 'ecs:DeregisterTaskDefinition',
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
  },
];

const policy = (role: string, statements: Statement[]) => ({
  Type: 'AWS::IAM::Policy',
  Properties: {
    PolicyName: 'ecs-changes-in-scope',
    Roles: [{ Ref: role }],
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
  },
});

/** The logical ids of the generated policies, which the functions wait for (serverless.yml). */
const ECS_CHANGES_POLICIES = {
  'deployment-guard': 'DeploymentGuardEcsChangesPolicy',
  'policy-enforcer': 'PolicyEnforcerEcsChangesPolicy',
  'chat-actions': 'ChatActionsEcsChangesPolicy',
} as const;

/**
 * Approve and Reject answer a pause hook (ContinueServiceDeployment) of a service deployment of the
 * scope's clusters: its ARN is service-deployment/<cluster>/<service>/<id>.
 */
const answerPauses = (scope: Config['scope']): Statement => ({
  Sid: 'AnswerPausesInScope',
  Effect: 'Allow',
  Action: 'ecs:ContinueServiceDeployment',
  Resource: scope.clusters.map((c) =>
    c.startsWith('arn:')
      ? `${c.replace(':cluster/', ':service-deployment/')}/*`
      : sub(`${ECS}:service-deployment/${c}/*`),
  ),
});

const REQUIRED: readonly [keyof Config['scope'], string][] = [
  [
    'clusters',
    'the clusters whose services Harbormaster may roll back and whose tasks it may stop',
  ],
  ['taskFamilies', 'the task definition families it may roll back to, tag and deregister'],
  [
    'passRoles',
    'the roles a rollback may pass to ECS tasks (its revision\u2019s task and execution roles)',
  ],
];

/** What the scope grants on every resource ("*"), for the warning at packaging. */
const everything = (scope: Config['scope']): string[] =>
  REQUIRED.filter(([field]) => (scope[field] as readonly string[]).includes('*')).map(
    ([field]) =>
      `scope.${field} is "*": Harbormaster may change ${field === 'passRoles' ? 'pass every role of the account' : `every ${field === 'clusters' ? 'cluster' : 'task definition family'} of the account`}`,
  );

/**
 * The policies that let the deployment guard and the policy enforcer change ECS within the scope,
 * and the warnings to print when the scope is everything. A scope that names nothing fails the
 * packaging: "everything" is only ever granted when the configuration asks for it.
 */
const ecsChangesResources = (config: Config): { resources: Resources; warnings: string[] } => {
  const { scope } = config;
  const issues: FieldIssue[] = REQUIRED.filter(([field]) => scope[field].length === 0).map(
    ([field, what]) => ({
      path: `scope.${field}`,
      message: `name ${what} (IAM wildcards allowed), or "*" for all`,
    }),
  );
  if (issues.length > 0)
    throw new ConfigError('the scope Harbormaster\u2019s roles are held to', issues);
  return {
    resources: {
      [ECS_CHANGES_POLICIES['deployment-guard']]: policy('DeploymentGuardRole', [
        rollBack(scope),
        passRoles(scope),
        stopServiceDeployments(scope),
      ]),
      [ECS_CHANGES_POLICIES['policy-enforcer']]: policy(
        'PolicyEnforcerRole',
        enforcerStatements(scope),
      ),
      // Roll back now goes through the guard's rollback, held like the guard's own.
      [ECS_CHANGES_POLICIES['chat-actions']]: policy('ChatActionsRole', [
        rollBack(scope),
        passRoles(scope),
        stopServiceDeployments(scope),
        answerPauses(scope),
      ]),
    },
    warnings: everything(scope),
  };
};

export { ECS_CHANGES_POLICIES, ecsChangesResources };

import type { ThrottleBucketSpec } from '../core/request-throttle.ts';

/**
 * The ECS API's request token buckets, per account and Region, from "Request throttling for the
 * Amazon ECS API" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html,
 * "Request Token Bucket Sizes and Refill Rates"): all actions of a category share one bucket.
 * Re-checked against that table for issue 16: every category, action and figure below is the
 * page's. Actions the table does not name (StopServiceDeployment, ContinueServiceDeployment) draw
 * on no request bucket here. The page says tokens come back "every second"; the buckets here
 * refill continuously, which never lets more through over any whole second.
 */
const CATEGORIES: [string, string[], number, number][] = [
  [
    'Cluster modify actions',
    [
      'CreateCluster',
      'DeleteCluster',
      'PutClusterCapacityProviders',
      'UpdateCluster',
      'UpdateClusterSettings',
    ],
    20,
    1,
  ],
  ['Cluster read actions', ['DescribeClusters', 'ListClusters'], 50, 20],
  ['Task definition modify actions', ['DeregisterTaskDefinition', 'RegisterTaskDefinition'], 20, 1],
  [
    'Task definition read actions',
    ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'],
    50,
    20,
  ],
  ['Task definition deletion actions', ['DeleteTaskDefinitions'], 5, 1],
  [
    'Capacity provider modify actions',
    ['CreateCapacityProvider', 'DeleteCapacityProvider', 'UpdateCapacityProvider'],
    10,
    1,
  ],
  ['Capacity provider read actions', ['DescribeCapacityProviders'], 50, 20],
  ['Tag modify actions', ['TagResource', 'UntagResource'], 20, 10],
  ['Tag read actions', ['ListTagsForResource'], 50, 20],
  [
    'Setting modify actions',
    ['DeleteAccountSetting', 'PutAccountSetting', 'PutAccountSettingDefault'],
    10,
    1,
  ],
  ['Setting read actions', ['ListAccountSettings'], 50, 20],
  [
    'Cluster resource modify actions',
    [
      'DeleteAttributes',
      'DeregisterContainerInstance',
      'ExecuteCommand',
      'PutAttributes',
      'RunTask',
      'StartTask',
      'StopTask',
      'UpdateContainerAgent',
      'UpdateContainerInstancesStates',
    ],
    100,
    40,
  ],
  [
    'Cluster resource read actions',
    [
      'DescribeContainerInstances',
      'DescribeTasks',
      'ListAttributes',
      'ListContainerInstances',
      'ListTasks',
    ],
    100,
    20,
  ],
  [
    'Agent modify actions',
    [
      'RegisterContainerInstance',
      'SubmitAttachmentStateChanges',
      'SubmitContainerStateChange',
      'SubmitTaskStateChange',
    ],
    200,
    120,
  ],
  ['Service modify actions', ['CreateService', 'DeleteService', 'UpdateService'], 50, 5],
  ['Service read actions', ['DescribeServices', 'ListServices'], 100, 20],
  ['Service deployment actions', ['DescribeServiceDeployments', 'ListServiceDeployments'], 50, 20],
  ['Service revision actions', ['DescribeServiceRevisions'], 50, 20],
  ['Task protection actions', ['UpdateTaskProtection', 'GetTaskProtection'], 200, 80],
  ['Cluster service resource read actions', ['ListServicesByNamespace'], 10, 1],
];

/** Bucket names are `ecs: <category>`, as in the documentation's table. */
export const ecsBucketName = (category: string): string => `ecs: ${category}`;

/** The documented ECS API buckets. */
export const ecsRequestBuckets = (): ThrottleBucketSpec[] =>
  CATEGORIES.map(([category, operations, capacity, refillPerSecond]) => ({
    name: ecsBucketName(category),
    service: 'ecs',
    operations,
    capacity,
    refillPerSecond,
  }));

/** Whether a RunTask request launches on Fargate (launch type or a FARGATE* capacity provider). */
const onFargate = (input: unknown): boolean => {
  const request = (input ?? {}) as { launchType?: unknown; capacityProviderStrategy?: unknown };
  if (request.launchType === 'FARGATE') return true;
  return (
    Array.isArray(request.capacityProviderStrategy) &&
    request.capacityProviderStrategy.some((item) =>
      String((item as { capacityProvider?: unknown }).capacityProvider ?? '').startsWith('FARGATE'),
    )
  );
};

/** The two Fargate RunTask bucket names. */
export const FARGATE_BUCKETS = {
  calls: 'ecs: Fargate RunTask calls',
  launches: 'ecs: Fargate task launches',
} as const;

/**
 * Fargate's own RunTask limits ("AWS Fargate throttling quotas",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/throttling.html): 20 RunTask calls
 * per second (burst and sustained), and a task-launch bucket of 100 refilling 20 per second, a
 * call taking one token per task it launches (`count`).
 */
export const fargateRunTaskBuckets = (): ThrottleBucketSpec[] => [
  {
    name: FARGATE_BUCKETS.calls,
    service: 'ecs',
    operations: ['RunTask'],
    capacity: 20,
    refillPerSecond: 20,
    appliesTo: onFargate,
  },
  {
    name: FARGATE_BUCKETS.launches,
    service: 'ecs',
    operations: ['RunTask'],
    capacity: 100,
    refillPerSecond: 20,
    appliesTo: onFargate,
    cost: (input) => {
      const count = (input as { count?: unknown } | undefined)?.count;
      return typeof count === 'number' ? count : 1;
    },
  },
];

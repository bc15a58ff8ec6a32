import { describe, expect, it } from 'vitest';
import {
  clusterName,
  parseArn,
  serviceFromArn,
  shortTaskDefinition,
  taskDefinitionRef,
  taskFromArn,
} from '#kernel/events/arn.ts';

describe('Module: arn', () => {
  it.each([
    [
      'arn:aws:ecs:us-west-2:111122223333:service/default/servicetest',
      { cluster: 'default', service: 'servicetest' },
    ],
    [
      'arn:aws:ecs:us-west-2:111122223333:service/servicetest',
      { cluster: undefined, service: 'servicetest' },
    ],
    ['arn:aws:ecs:us-west-2:111122223333:cluster/default', undefined],
    ['not-an-arn', undefined],
  ])('serviceFromArn(%s)', (arn, expected) => {
    expect(serviceFromArn(arn)).toStrictEqual(expected);
  });

  it.each([
    [
      'arn:aws:ecs:us-east-2:XXXXXXXXXXXX:task/Cluster-1/c50e321c974248dbaf4ae2cfa1662986',
      { cluster: 'Cluster-1', taskId: 'c50e321c974248dbaf4ae2cfa1662986' },
    ],
    [
      'arn:aws:ecs:us-east-1:000000000000:task/037d58fc-e5f6-4e95-ac1f-3ce533bb2abb',
      { cluster: undefined, taskId: '037d58fc-e5f6-4e95-ac1f-3ce533bb2abb' },
    ],
  ])('taskFromArn(%s)', (arn, expected) => {
    expect(taskFromArn(arn)).toStrictEqual(expected);
  });

  it.each([
    ['arn:aws:ecs:us-east-1:111122223333:task-definition/web:12', { family: 'web', revision: 12 }],
    ['web:3', { family: 'web', revision: 3 }],
    [
      'arn:aws:ecs:us-east-1:123456789012:task-definition/webserver',
      { family: 'webserver', revision: undefined },
    ],
  ])('taskDefinitionRef(%s)', (value, expected) => {
    expect(taskDefinitionRef(value)).toStrictEqual(expected);
  });

  it('formats task definitions and cluster names for people', () => {
    expect(shortTaskDefinition('arn:aws:ecs:us-east-1:111122223333:task-definition/web:12')).toBe(
      'web:12',
    );
    expect(clusterName('arn:aws:ecs:us-east-1:111122223333:cluster/prod')).toBe('prod');
    expect(clusterName('prod')).toBe('prod');
  });

  it('parses ARNs in every partition', () => {
    expect(parseArn('arn:aws-cn:ecs:cn-north-1:111122223333:cluster/prod')).toStrictEqual({
      partition: 'aws-cn',
      service: 'ecs',
      region: 'cn-north-1',
      account: '111122223333',
      resource: 'cluster/prod',
    });
  });
});

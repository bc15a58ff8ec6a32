import { describe, expect, it } from 'vitest';
import { comparisonGraphLink, jsurl, targetGroupLink } from '#delivery/alerts/links.ts';

const side = (name: string, id: string) => ({
  revisionArn: `arn:aws:ecs:us-west-2:123456789012:service-revision/c/s/${id}`,
  targetGroup: `targetgroup/${name}/${id}`,
  loadBalancer: 'app/my-alb/50dc6c495c0c9188',
  targetGroupArn: `arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/${name}/${id}`,
});

describe('Console links of a gate verdict', () => {
  it('encodes as jsurl does (the README example of Sage/jsurl)', () => {
    // Assess
    expect(jsurl({ name: 'John Doe', age: 42, children: ['Mary', 'Bill'] })).toBe(
      "~(name~'John*20Doe~age~42~children~(~'Mary~'Bill))",
    );
    expect(jsurl({ a: [], b: 'x$y' })).toBe("~(a~(~)~b~'x!y)");
  });

  it('graphs the metrics the analyses read, green and blue, with their statistics, over the window', () => {
    // Act
    const link = comparisonGraphLink(
      'us-west-2',
      [side('green', '1'), side('blue', '2')],
      [{ name: 'TargetResponseTime', stat: 'p99' }],
      { start: new Date('2026-11-21T09:00:00Z'), end: new Date('2026-11-21T09:05:00Z') },
    );
    // Assess
    const metric = (tg: string) =>
      `~(~'AWS*2fApplicationELB~'TargetResponseTime~'TargetGroup~'targetgroup*2f${tg}~'LoadBalancer~'app*2fmy-alb*2f50dc6c495c0c9188~(stat~'p99))`;
    expect(link).toStrictEqual({
      label: 'Metrics (green and blue)',
      url: `https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#metricsV2:graph=~(metrics~(${metric('green*2f1')}${metric('blue*2f2')})~view~'timeSeries~stacked~false~region~'us-west-2~period~60~start~'2026-11-21T09*3a00*3a00.000Z~end~'2026-11-21T09*3a05*3a00.000Z)`,
    });
  });

  it('offers no graph without an ALB target group or a built-in metric, and links each target group', () => {
    // Prepare
    const window = { start: new Date(0), end: new Date(60_000) };
    const none = { ...side('green', '1'), targetGroup: undefined, targetGroupArn: undefined };
    // Assess
    expect(
      comparisonGraphLink('us-west-2', [none], [{ name: 'RequestCount', stat: 'Sum' }], window),
    ).toBeUndefined();
    expect(comparisonGraphLink('us-west-2', [side('green', '1')], [], window)).toBeUndefined();
    expect(targetGroupLink('cn-north-1', 'Target group (green)', side('green', '1'))?.url).toBe(
      'https://cn-north-1.console.amazonaws.cn/ec2/home?region=cn-north-1#TargetGroup:targetGroupArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-west-2%3A123456789012%3Atargetgroup%2Fgreen%2F1',
    );
  });
});

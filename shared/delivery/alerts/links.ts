import { consoleHost, type Link } from '#kernel/alerts/console-links.ts';
import type { SideTarget } from '../analysis/model.ts';

/** jsurl, the encoding the CloudWatch console reads its graph from (`#metricsV2:graph=`). */
const jsurl = (value: unknown): string => {
  if (typeof value === 'number' || typeof value === 'boolean') return `~${String(value)}`;
  if (typeof value === 'string')
    return `~'${[...value]
      .map((c) => {
        if (/[A-Za-z0-9_.-]/.test(c)) return c;
        if (c === ' ') return '+';
        const code = c.charCodeAt(0);
        return code < 256
          ? `*${code.toString(16).padStart(2, '0')}`
          : `**${code.toString(16).padStart(4, '0')}`;
      })
      .join('')}`;
  if (Array.isArray(value)) return `~(${value.map(jsurl).join('') || '~'})`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `~(${entries.map(([k, v]) => `${k}${jsurl(v)}`).join('~')})`;
};

/** The target group's page in the EC2 console (its Monitoring tab graphs its metrics). */
const targetGroupLink = (region: string, label: string, target: SideTarget): Link | undefined =>
  target.targetGroupArn
    ? {
        label,
        url: `${consoleHost(region)}/ec2/home?region=${region}#TargetGroup:targetGroupArn=${encodeURIComponent(target.targetGroupArn)}`,
      }
    : undefined;

/**
 * A CloudWatch graph of the ALB metrics the built-in analyses read, green's and blue's target
 * groups side by side, over the analysis window.
 */
const comparisonGraphLink = (
  region: string,
  targets: readonly SideTarget[],
  window: { start: Date; end: Date },
): Link | undefined => {
  const measured = targets.filter((t) => t.targetGroup && t.loadBalancer);
  if (measured.length === 0) return undefined;
  const metrics = measured.flatMap((t) =>
    ['HTTPCode_Target_5XX_Count', 'RequestCount'].map((name) => [
      'AWS/ApplicationELB',
      name,
      'TargetGroup',
      t.targetGroup,
      'LoadBalancer',
      t.loadBalancer,
    ]),
  );
  const graph = jsurl({
    metrics,
    view: 'timeSeries',
    stacked: false,
    region,
    stat: 'Sum',
    period: 60,
    start: window.start.toISOString(),
    end: window.end.toISOString(),
  });
  return {
    label: 'Metrics (green and blue)',
    url: `${consoleHost(region)}/cloudwatch/home?region=${region}#metricsV2:graph=${graph}`,
  };
};

export { comparisonGraphLink, jsurl, targetGroupLink };

import { consoleHost, type Link } from '#kernel/alerts/console-links.ts';
import type { SideTarget } from '../analysis/model.ts';

/**
 * jsurl, the encoding the CloudWatch console reads its graph from (`#metricsV2:graph=`): `~'` a
 * string, `~(...)` an array or object, characters other than letters, digits, `_-.` as `*xx` (or
 * `**xxxx`), `$` as `!` (Sage/jsurl, lib/jsurl.js). Booleans are written `~false`, as the console
 * writes them.
 */
const jsurl = (value: unknown): string => {
  if (typeof value === 'number' || typeof value === 'boolean') return `~${String(value)}`;
  if (typeof value === 'string') return `~'${jsurlText(value)}`;
  if (Array.isArray(value)) return `~(${value.map(jsurl).join('') || '~'})`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `~(${entries.map(([k, v]) => `${jsurlText(k)}${jsurl(v)}`).join('~')})`;
};

const jsurlText = (text: string): string =>
  [...text]
    .map((c) => {
      if (/[A-Za-z0-9_.-]/.test(c)) return c;
      if (c === '$') return '!';
      const code = c.charCodeAt(0);
      return code < 256
        ? `*${code.toString(16).padStart(2, '0')}`
        : `**${code.toString(16).padStart(4, '0')}`;
    })
    .join('');

/** The target group's page in the EC2 console (its Monitoring tab graphs its metrics). */
const targetGroupLink = (region: string, label: string, target: SideTarget): Link | undefined =>
  target.targetGroupArn
    ? {
        label,
        url: `${consoleHost(region)}/ec2/home?region=${region}#TargetGroup:targetGroupArn=${encodeURIComponent(target.targetGroupArn)}`,
      }
    : undefined;

/** A target-group metric a graph shows, with the statistic the analysis reads. */
interface GraphedMetric {
  name: string;
  stat: string;
}

/**
 * A CloudWatch graph of the ALB metrics the analyses read (each with its statistic), green's and
 * blue's target groups side by side, over the analysis window. None when no analysis reads one.
 */
const comparisonGraphLink = (
  region: string,
  targets: readonly SideTarget[],
  graphed: readonly GraphedMetric[],
  window: { start: Date; end: Date },
): Link | undefined => {
  const measured = targets.filter((t) => t.targetGroup && t.loadBalancer);
  if (measured.length === 0 || graphed.length === 0) return undefined;
  const metrics = measured.flatMap((t) =>
    graphed.map(({ name, stat }) => [
      'AWS/ApplicationELB',
      name,
      'TargetGroup',
      t.targetGroup,
      'LoadBalancer',
      t.loadBalancer,
      { stat },
    ]),
  );
  const graph = jsurl({
    metrics,
    view: 'timeSeries',
    stacked: false,
    region,
    period: 60,
    start: window.start.toISOString(),
    end: window.end.toISOString(),
  });
  return {
    label: 'Metrics (green and blue)',
    url: `${consoleHost(region)}/cloudwatch/home?region=${region}#metricsV2:graph=${graph}`,
  };
};

export { comparisonGraphLink, type GraphedMetric, jsurl, targetGroupLink };

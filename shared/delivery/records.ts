/**
 * What the hook function remembers of a deployment between its hooks (kept in the guard's
 * DynamoDB table, under its own keys): the traffic shares green passed at, each gate's last
 * verdict (shown when a pause hook asks people to approve), and runs too large for hookDetails.
 */

/** A gate's verdict, summed up for people. */
interface VerdictSummary {
  gate: 'policy' | 'analysis';
  stage: string;
  /** Green's production share when judged (analysis gate). */
  share: number | undefined;
  outcome: 'passed' | 'failed' | 'inconclusive' | 'would-fail' | 'skipped';
  /** ISO-8601. */
  at: string;
  /** One line per analysis or failing policy, with its numbers. */
  lines: string[];
}

/** One deployment's progress through the gates. */
interface DeploymentProgress {
  cluster: string;
  service: string;
  deploymentArn: string;
  /** The shares green was judged good at: a later stage at the same share does not judge again. */
  passed: { key: string; share: number; stage: string; at: string }[];
  /** The last verdicts, newest last (at most ten). */
  verdicts: VerdictSummary[];
  /** Runs kept here because they did not fit in hookDetails, by run key (compact form). */
  runs: Record<string, unknown>;
  updatedAt: string;
}

const emptyProgress = (
  cluster: string,
  service: string,
  deploymentArn: string,
  at: string,
): DeploymentProgress => ({
  cluster,
  service,
  deploymentArn,
  passed: [],
  verdicts: [],
  runs: {},
  updatedAt: at,
});

export { type DeploymentProgress, emptyProgress, type VerdictSummary };

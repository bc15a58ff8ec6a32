import { loadConfigFile } from '#config/load-file.ts';
import type { Policy } from '#policies/config.ts';
import { builtInPolicies } from '#policies/default-policies.ts';
import type { PolicySubject } from '#policies/documents.ts';
import { findConfigFile } from '../config-file.ts';
import type { CheckSubject } from './inputs/subject.ts';

const DEFAULT_EXEMPTION_TAG = 'harbormaster:exempt';
/** A tag that says how a task definition runs: service, batch-job or task. */
const DEPLOYED_AS_TAG = 'harbormaster:deployed-as';

/** What `check` applies: the policies, the exemption tag, and what runs as a batch job. */
interface CheckPolicies {
  policies: readonly Policy[];
  exemptionTag: string;
  /** The configuration file read, or undefined for the built-in policies. */
  source: string | undefined;
  batchFamilies: ReadonlySet<string>;
}

/**
 * The configuration's policies (found as every command finds harbormaster.yml), or every
 * built-in rule enforced when there is no configuration.
 */
const policiesForCheck = (named: string | undefined): CheckPolicies => {
  const file = findConfigFile(named);
  if (!file) {
    return {
      policies: builtInPolicies(),
      exemptionTag: DEFAULT_EXEMPTION_TAG,
      source: undefined,
      batchFamilies: new Set(),
    };
  }
  const config = loadConfigFile(file);
  const jobs = Object.values(config.batchJobs.jobs) as { taskDefinition?: string }[];
  return {
    policies: config.policies as readonly Policy[],
    exemptionTag: config.enforcement.exemptionTag,
    source: file,
    batchFamilies: new Set(
      jobs.flatMap((job) => (job.taskDefinition ? [job.taskDefinition.split(':')[0] ?? ''] : [])),
    ),
  };
};

const KINDS = new Set(['service', 'batch-job', 'task']);

/** How a subject runs: its template's service, its tag, or the batch jobs configuration. */
const deployedAsOf = (
  subject: CheckSubject,
  policies: CheckPolicies,
): PolicySubject['deployedAs'] => {
  if (subject.deployedAs) return subject.deployedAs;
  const tagged = subject.tags[DEPLOYED_AS_TAG];
  if (tagged && KINDS.has(tagged)) return tagged as PolicySubject['deployedAs'];
  return subject.family && policies.batchFamilies.has(subject.family) ? 'batch-job' : undefined;
};

export { type CheckPolicies, DEPLOYED_AS_TAG, deployedAsOf, policiesForCheck };

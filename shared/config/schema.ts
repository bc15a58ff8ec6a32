import type * as v from 'valibot';
import { alertsSection } from '#alerts/config.ts';
import { batchJobsSection } from '#batch/config.ts';
import { chatSection } from '#chat/config.ts';
import { deliverySection } from '#delivery/config.ts';
import { deploymentGuardSection } from '#guard/config.ts';
import { awsSection, dryRunSection } from '#kernel/config/aws.ts';
import { scopeSection } from '#kernel/config/scope.ts';
import { type SectionSchemas, sectionsSchema } from '#kernel/config/sections.ts';
import { lazy } from '#kernel/events/schema-helpers.ts';
import { enforcementSection, policiesSection } from '#policies/config.ts';
import { reservedConcurrencySection } from './concurrency.ts';

/**
 * The sections of the configuration file (harbormaster.yml), each with every default filled in.
 * Each lives in its own module and is built on first use: a Lambda function imports and validates
 * at cold start only the sections it reads (FunctionDefinition.configSections).
 */
const SECTIONS = {
  dryRun: dryRunSection,
  batchJobs: batchJobsSection,
  aws: awsSection,
  scope: scopeSection,
  alerts: alertsSection,
  chat: chatSection,
  enforcement: enforcementSection,
  policies: policiesSection,
  deploymentGuard: deploymentGuardSection,
  delivery: deliverySection,
  reservedConcurrency: reservedConcurrencySection,
};

/** A top-level section of the configuration file. */
type ConfigSection = keyof typeof SECTIONS;

/** The configuration, every default filled in. */
type Config = { [K in ConfigSection]: v.InferOutput<ReturnType<(typeof SECTIONS)[K]>> };

/** The configuration as a file may write it. */
type ConfigInput = { [K in ConfigSection]?: v.InferInput<ReturnType<(typeof SECTIONS)[K]>> };

/** The schema of the whole configuration file. */
const configSchema = lazy(
  () => sectionsSchema(SECTIONS as SectionSchemas) as v.GenericSchema<ConfigInput, Config>,
);

export { type Config, type ConfigInput, type ConfigSection, configSchema, SECTIONS };

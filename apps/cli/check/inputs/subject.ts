import type {
  PolicySubject,
  ServiceDocument,
  Target,
  TaskDefinitionDocument,
} from '#policies/documents.ts';
import type { FieldPath } from '#policies/types.ts';

/** The formats `check` reads, by what teams keep task definitions in. */
type InputFormat =
  | 'describe-task-definition'
  | 'register-task-definition'
  | 'container-definitions'
  | 'terraform-plan'
  | 'cloudformation'
  | 'sam'
  | 'cdk';

/** One thing to check in a file: a task definition, with the service that runs it if known. */
interface CheckSubject {
  file: string;
  format: InputFormat;
  /** The resource in the file: a template's logical id or a plan's address (undefined for one-definition files). */
  resource: string | undefined;
  taskDefinition: TaskDefinitionDocument | undefined;
  service: ServiceDocument | undefined;
  deployedAs: PolicySubject['deployedAs'];
  family: string | undefined;
  tags: Record<string, string>;
  /** Set when the file cannot know the containers yet (a plan computes them at apply). */
  unknownBecause?: string | undefined;
  /** Where a field of a document is in the file. */
  locate(target: Target, path: FieldPath): { line: number; column: number };
}

/** A file `check` read but could not check: unreadable, unparseable, or of another kind. */
interface InputProblem {
  file: string;
  /** unreadable: the file could not be read; invalid: not JSON/YAML; unsupported: another kind of file. */
  kind: 'unreadable' | 'invalid' | 'unsupported';
  message: string;
  /** True when the file was named on the command line (not found in a directory). */
  named?: boolean;
}

/** What reading one file gave. */
type ReadResult =
  | { subjects: CheckSubject[]; format: InputFormat; note?: string | undefined }
  | { problem: InputProblem };

export type { CheckSubject, InputFormat, InputProblem, ReadResult };

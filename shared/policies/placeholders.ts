/**
 * Template placeholders: values a pipeline fills in before the document reaches ECS. A rule that
 * needs such a value answers "unknown" rather than judging the template as if it were rendered.
 * Every test here is a bounded scan (indexOf and short anchored patterns): linear in the value.
 */

// `${VAR}` (Terraform templatefile, envsubst, CloudFormation Fn::Sub, and the form the readers
// give CloudFormation intrinsics and Terraform references), `{{ var }}` (Jinja, Helm, Go),
// `$$$VAR$$$` (ECS agent tests), `#{Var}` (Octopus), `<IMAGE1_NAME>` (CodeDeploy's taskdef.json).
// Also `$VAR` or `$(VAR)` (envsubst, make, shell): a dollar followed by an upper-case name. One
// pattern, one scan; every branch is bounded, so the scan is linear in the value.
const PLACEHOLDER = /\$\{|\{\{|\$\$\$|#\{|<[A-Z][A-Z0-9_]{0,63}>|\$\(?[A-Z_][A-Z0-9_]{0,63}/;

/** True when a value is, or contains, a template placeholder. */
const hasPlaceholder = (value: unknown): value is string =>
  typeof value === 'string' && PLACEHOLDER.test(value);

// A whole value in capitals with an underscore (REPLACED_BY_CI, IMAGE_URI): never a valid image
// reference (repositories are lower case), so in an image field it is a marker for CI to replace.
const SHOUTED_TOKEN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** True when an image field holds a placeholder rather than a reference. */
const isImagePlaceholder = (image: unknown): image is string =>
  hasPlaceholder(image) || (typeof image === 'string' && SHOUTED_TOKEN.test(image.trim()));

/** The placeholder text for messages, shortened (a placeholder names a variable, not a secret). */
const placeholderLabel = (value: string): string =>
  value.length > 60 ? `${value.slice(0, 57)}...` : value;

/** What every "unknown" finding tells people to do. */
const RENDER_HINT =
  'check the rendered document (terraform show -json on a plan, cdk synth, or the file your pipeline registers)';

export { hasPlaceholder, isImagePlaceholder, placeholderLabel, RENDER_HINT };

import type { Command } from 'commander';
import type * as v from 'valibot';
import { RULES } from '#policies/rules/index.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

interface OptionInfo {
  name: string;
  type: string;
  default: unknown;
}

// A valibot optional schema's wrapped type and default, for people to read.
const optionInfo = (name: string, schema: v.GenericSchema): OptionInfo => {
  const s = schema as unknown as {
    type: string;
    wrapped?: { type: string; item?: { type: string } };
    default?: unknown;
  };
  const inner = s.wrapped ?? s;
  const type =
    inner.type === 'array'
      ? `list of ${(inner as { item?: { type: string } }).item?.type ?? 'values'}`
      : inner.type;
  return {
    name,
    type,
    default: typeof s.default === 'function' ? (s.default as () => unknown)() : s.default,
  };
};

/** Every rule with what people need to decide on it. */
const ruleCatalogue = () =>
  Object.values(RULES).map((rule) => ({
    id: rule.id,
    severity: rule.severity,
    checks: rule.title,
    why: rule.rationale,
    fix: rule.fix,
    appliesTo: rule.appliesTo ?? rule.targets.join(', '),
    reads: rule.targets,
    controls: rule.controls,
    options: Object.entries(rule.options()).map(([name, schema]) =>
      optionInfo(name, schema as v.GenericSchema),
    ),
  }));

/** `harbormaster rules`: lists every built-in rule with its id, severity, check, why, fix, controls and options. */
const registerRules = (program: Command): void => {
  program
    .command('rules')
    .description(
      'list the built-in rules: id, severity, what each checks, why, how to fix, the controls it maps to, its options',
    )
    .option('--json', 'print the list as JSON')
    .addHelpText('after', exitCodesHelp({ ok: 'the list was printed' }))
    .action((options: { json?: boolean }) => {
      const rules = ruleCatalogue();
      if (options.json) {
        console.log(JSON.stringify({ rules }, null, 2));
      } else {
        for (const rule of rules) {
          console.log(
            `${rule.id} [${rule.severity}]${rule.controls.length ? ` (${rule.controls.join(', ')})` : ''}`,
          );
          console.log(`  checks: ${rule.checks}`);
          console.log(`  applies to: ${rule.appliesTo}`);
          console.log(`  why: ${rule.why}`);
          console.log(`  fix: ${rule.fix}`);
          for (const o of rule.options)
            console.log(`  option ${o.name} (${o.type}, default ${JSON.stringify(o.default)})`);
          console.log('');
        }
      }
      process.exitCode = EXIT.ok;
    });
};

export { registerRules, ruleCatalogue };

// Serverless Framework variable source (`${file(infra/stack.cjs)}`): validates the Harbormaster
// configuration at packaging time and returns the stack parts derived from it. The logic lives in
// TypeScript (infra/stack/describe.ts), which Node 24 runs directly.
module.exports = async ({ resolveConfigurationProperty }) => {
  const { describeStack } = await import('./stack/describe.ts');
  const { functionNames } = await import('./build/functions.ts');
  // Each function's role only: the functions also read this source (reservedConcurrency), so
  // resolving them whole would be circular.
  const functions = {};
  for (const name of functionNames()) {
    functions[name] = { role: await resolveConfigurationProperty(['functions', name, 'role']) };
  }
  try {
    const stack = describeStack({
      configFile: process.env.HARBORMASTER_CONFIG || 'harbormaster.yml',
      functions,
    });
    for (const warning of stack.warnings) console.warn(`Harbormaster warning: ${warning}`);
    return stack;
  } catch (error) {
    // Show the named fields, not a stack trace.
    if (error && error.name === 'ConfigError') error.stack = error.message;
    throw error;
  }
};

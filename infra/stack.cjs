// Serverless Framework variable source (`${file(infra/stack.cjs)}`): validates the Harbormaster
// configuration at packaging time and returns the stack parts derived from it. The logic lives in
// TypeScript (infra/stack/describe.ts), which Node 24 runs directly.
module.exports = async ({ resolveConfigurationProperty }) => {
  const { describeStack } = await import('./stack/describe.ts');
  const functions = (await resolveConfigurationProperty(['functions'])) ?? {};
  try {
    return describeStack({
      configFile: process.env.HARBORMASTER_CONFIG || 'harbormaster.yml',
      functions,
    });
  } catch (error) {
    // Show the named fields, not a stack trace.
    if (error && error.name === 'ConfigError') error.stack = error.message;
    throw error;
  }
};

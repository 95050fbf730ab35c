import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/**
 * Starts a Node child process on a TypeScript module, the process twin of @digits/threads'
 * spawnTsWorker: the child registers tsx (resolved here, so the child finds it from any cwd) and then
 * requires the module. TSX_TSCONFIG_PATH reaches it through the environment.
 */
export function spawnTsProcess(
  file: string,
  options: { env?: NodeJS.ProcessEnv; stdio: StdioOptions; serialization?: 'json' | 'advanced' },
): ChildProcess {
  const tsx = require.resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`;
  return spawn(process.execPath, ['-e', code], {
    env: options.env ?? process.env,
    stdio: options.stdio,
    serialization: options.serialization,
  });
}

/**
 * Command-line wiring (commander). Each action parses options and calls into the pipeline,
 * store, audit and report stages; user mistakes become one-line messages and exit status 2.
 */
import { Command, CommanderError, Option } from 'commander';
import { UserError } from '../util/errors.js';
import { COMMAND_GROUPS } from './command-set.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('flowaudit')
    .description('Audit captured network traffic against vendor port catalogs')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMAND_GROUPS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else is a usage error.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UserError) {
      process.stderr.write(`flowaudit: ${err.message}\n`);
      return EXIT_USAGE;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && e.path) {
      // File system errors on user-named paths: no stack trace.
      const what = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
      process.stderr.write(`flowaudit: ${e.path}: ${what}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

export { Option };

const isEntry = process.argv[1] && import.meta.url.endsWith('/cli/main.js') && !process.env.FLOWAUDIT_NO_MAIN;
if (isEntry) {
  main(process.argv).then(
    (code) => { process.exitCode = code; },
    (err) => {
      process.stderr.write(`flowaudit: internal error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 70;
    },
  );
}

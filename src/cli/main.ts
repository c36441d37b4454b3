// The `runbook` command: a second front end over src/core (never src/features), bundled to
// dist/cli/main.js, which the launcher dist/cli.js (launcher.ts) loads. Each subcommand lives in
// commands/; this only dispatches and turns errors into messages and exit codes.

import type { CommandName } from './commandNames';
import { CliError } from './errors';
import { processTerminal, type Terminal } from './terminal';

type Command = (argv: string[], terminal: Terminal) => Promise<number>;

interface Subcommand {
  summary: string;
  /** Loaded when the command runs, so that `runbook run` does not pay for the bridge's or insights' code. */
  load: () => Promise<{ run: Command; usage: string }>;
}

const COMMANDS: Record<CommandName, Subcommand> = {
  run: { summary: "run a runbook's steps in order (Run all, headless)", load: async () => ({ run: (await import('./commands/run')).runCommand, usage: (await import('./commands/run')).RUN_USAGE }) },
  list: { summary: 'list the runbooks under folders, with their steps and inputs', load: async () => ({ run: (await import('./commands/list')).listCommand, usage: (await import('./commands/list')).LIST_USAGE }) },
  check: { summary: "parse and lint runbooks (the editor's Problems)", load: async () => ({ run: (await import('./commands/check')).checkCommand, usage: (await import('./commands/check')).CHECK_USAGE }) },
  test: { summary: 'run the runbooks that opt in with a test: block, as tests', load: async () => ({ run: (await import('./commands/test')).testCommand, usage: (await import('./commands/test')).TEST_USAGE }) },
  extract: { summary: "write a runbook's steps as a TypeScript tool (Extract Steps to Script)", load: async () => ({ run: (await import('./commands/export')).extractCommand, usage: (await import('./commands/export')).EXTRACT_USAGE }) },
  export: { summary: "write a runbook's tool as a GitHub Actions or GitLab CI workflow", load: async () => ({ run: (await import('./commands/export')).exportCommand, usage: (await import('./commands/export')).EXPORT_USAGE }) },
  stats: { summary: 'rank runbooks by the toil they cost, and show how far each is automated', load: async () => ({ run: (await import('./commands/stats')).statsCommand, usage: (await import('./commands/stats')).STATS_USAGE }) },
  bridge: { summary: 'relay Alertmanager webhooks to runbook workflows (auto-remediation)', load: async () => ({ run: (argv) => import('./bridge').then((bridge) => bridge.runBridge(argv)), usage: (await import('./bridge')).BRIDGE_USAGE }) },
};

export const VERSION = '0.1.0';

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  return [
    'Usage: runbook <command> [options]',
    '',
    'Run, check and automate Markdown runbooks from a terminal or CI (Executable Runbooks).',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`),
    '',
    'Run `runbook <command> --help` for its options. Exit codes: 0 passed, 1 a step failed,',
    '2 bad usage or invalid input, 3 a confirmation, a manual or an interactive step needs a person,',
    '124 timeout, 130 interrupted.',
  ].join('\n');
}

export async function main(argv: string[], terminal: Terminal = processTerminal()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0])) terminal.out(`${(await COMMANDS[rest[0] as CommandName].load()).usage}\n`);
    else terminal.out(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    terminal.out(`${VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
  if (!command) {
    terminal.err(`runbook: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see \`runbook --help\`)\n`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest, terminal);
  } catch (error) {
    if (error instanceof CliError) {
      terminal.err(`runbook ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // parseArgs's own errors (an unknown or malformed option) are usage errors too.
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      terminal.err(`runbook ${name}: ${(error as Error).message} (see \`runbook ${name} --help\`)\n`);
      return 2;
    }
    terminal.err(`runbook ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`runbook: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

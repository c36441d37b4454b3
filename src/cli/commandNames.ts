// The `runbook` subcommands' names, on their own so that the launcher (src/cli/launcher.ts), which
// keeps a code cache per subcommand, can know them without loading the command itself.

export const COMMAND_NAMES = ['run', 'list', 'check', 'test', 'extract', 'export', 'stats', 'bridge'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

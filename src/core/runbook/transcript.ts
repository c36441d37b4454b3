// Terminal transcripts pasted into shell blocks: `$ `-prompted lines are commands (with their
// `\` continuations and here-document bodies); every other line is output the author saw.

const PROMPT = /^\s*\$ (.*)$/;
// `<<EOF`, `<<-EOF`, `<< 'EOF'`, but not the here-string `<<<`.
const HEREDOC = /(?<!<)<<(?!<)-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;

/** One line of a transcript's commands: its text and where it sits in the block. */
export interface CommandLine {
  text: string;
  /** 0-based line in the block's source, and the column the command text starts at (after `$ `). */
  line: number;
  column: number;
}

/** The commands of a transcript, or undefined when `source` has no `$ ` line and runs as written. */
export function transcriptCommands(source: string): string | undefined {
  return transcriptCommandLines(source)?.map((command) => command.text).join('\n');
}

/** The command lines of a transcript with their places, or undefined when it has no `$ ` line. */
export function transcriptCommandLines(source: string): CommandLine[] | undefined {
  const lines = source.split('\n');
  if (!lines.some((line) => PROMPT.test(line))) return undefined;
  const commands: CommandLine[] = [];
  let continuation = false;
  let heredocEnd: string | undefined;
  lines.forEach((line, index) => {
    if (heredocEnd !== undefined) {
      commands.push({ text: line, line: index, column: 0 });
      if (line.trim() === heredocEnd) heredocEnd = undefined;
      return;
    }
    let command: string | undefined;
    if (continuation) command = line;
    else command = PROMPT.exec(line)?.[1];
    if (command === undefined) return;
    commands.push({ text: command, line: index, column: line.length - command.length });
    continuation = /\\\s*$/.test(command);
    heredocEnd = HEREDOC.exec(command)?.[2];
  });
  return commands;
}

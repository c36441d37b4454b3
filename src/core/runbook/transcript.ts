// Terminal transcripts pasted into shell blocks: `$ `-prompted lines are commands (with their
// `\` continuations and here-document bodies); every other line is output the author saw.

const PROMPT = /^\s*\$ (.*)$/;
// `<<EOF`, `<<-EOF`, `<< 'EOF'`, but not the here-string `<<<`.
const HEREDOC = /(?<!<)<<(?!<)-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;

/** The commands of a transcript, or undefined when `source` has no `$ ` line and runs as written. */
export function transcriptCommands(source: string): string | undefined {
  const lines = source.split('\n');
  if (!lines.some((line) => PROMPT.test(line))) return undefined;
  const commands: string[] = [];
  let continuation = false;
  let heredocEnd: string | undefined;
  for (const line of lines) {
    if (heredocEnd !== undefined) {
      commands.push(line);
      if (line.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    let command: string | undefined;
    if (continuation) command = line;
    else command = PROMPT.exec(line)?.[1];
    if (command === undefined) continue;
    commands.push(command);
    continuation = /\\\s*$/.test(command);
    heredocEnd = HEREDOC.exec(command)?.[2];
  }
  return commands.join('\n');
}

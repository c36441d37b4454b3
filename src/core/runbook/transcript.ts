// Terminal transcripts pasted into shell blocks: `$ `-prompted lines are commands (with their
// `\` continuations and here-document bodies); every other line is output the author saw. A
// terminal shows continuation and here-document lines after its secondary prompt `> `, which is
// not part of the command.

import { hereDocumentsOpened, type HereDocument } from './shellAnalysis';

const PROMPT = /^\s*\$ (.*)$/;
const SECONDARY_PROMPT = /^> ?/;

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
  // Here-documents whose bodies come next, in order; and whether this command's lines show `> `.
  let bodies: HereDocument[] = [];
  let secondary = false;
  lines.forEach((line, index) => {
    if (bodies.length > 0 || continuation) {
      // The first line after the prompt says whether the terminal showed its secondary prompt.
      const prompt = SECONDARY_PROMPT.exec(line);
      const column = secondary && prompt ? prompt[0].length : 0;
      const text = line.slice(column);
      commands.push({ text, line: index, column });
      if (bodies.length > 0) {
        const doc = bodies[0];
        if ((doc.stripTabs ? text.replace(/^\t+/, '') : text) === doc.delimiter) bodies.shift();
        return;
      }
      continuation = /\\\s*$/.test(text);
      if (!continuation) bodies = hereDocumentsOpened(text);
      return;
    }
    const command = PROMPT.exec(line)?.[1];
    if (command === undefined) return;
    commands.push({ text: command, line: index, column: line.length - command.length });
    continuation = /\\\s*$/.test(command);
    bodies = continuation ? [] : hereDocumentsOpened(command);
    const next = lines[index + 1];
    secondary = (continuation || bodies.length > 0) && next !== undefined && SECONDARY_PROMPT.test(next);
  });
  return commands;
}

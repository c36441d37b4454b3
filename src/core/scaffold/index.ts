// The script generator's public face: chosen steps of a runbook become a TypeScript tool.
export { generateScript, defaultScriptName, type ScaffoldOptions } from './generate';
export { runbookNote } from './note';

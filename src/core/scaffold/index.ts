// The script generator's public face: chosen steps of a runbook become a TypeScript tool.
export { generateScript, defaultScriptName, defaultScriptPath, runbookDigest, scriptInputs, SCRIPT_OPTIONS, type ScaffoldOptions, type ScriptInput } from './generate';
export { runbookNote } from './note';

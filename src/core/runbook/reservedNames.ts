// Environment variables that steer a program rather than carry data: a value for one of these
// would run code outside the visible step (BASH_ENV, NODE_OPTIONS, LD_PRELOAD, GIT_SSH_COMMAND …)
// or change how the step's own code is found and split (PATH, IFS). No input, placeholder or
// asked-for value may set them. Each family says why, for the messages that refuse a name.
//
// HOME is reserved: programs read start-up and configuration files from it (Python imports
// usercustomize from the user site under it, git's configuration can set core.fsmonitor or hooks,
// ssh's a ProxyCommand), so a runbook could ship a "home" that runs code. TMPDIR is not: it only
// says where temporary files go and no interpreter runs anything from it; the engine's own
// scratch files follow the editor's TMPDIR, not the step's.

interface Family {
  names: readonly string[];
  prefixes: readonly string[];
  why: string;
}

const FAMILIES: readonly Family[] = [
  {
    names: ['BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PROMPT_COMMAND', 'PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'BASH_XTRACEFD', 'BASH_LOADABLES_PATH', 'FPATH', 'ZDOTDIR', 'INPUTRC'],
    prefixes: ['BASH_FUNC_'],
    why: 'the shell reads it to run start-up files, prompts or functions, which would run code that is not in the step',
  },
  {
    names: ['PATH', 'IFS', 'CDPATH', 'GLOBIGNORE', 'EXECIGNORE', 'PWD', 'OLDPWD'],
    prefixes: [],
    why: 'it changes how the shell finds commands, splits words or where it is, so the step would not run as written',
  },
  {
    names: ['GCONV_PATH', 'LOCPATH', 'NLSPATH', 'HOSTALIASES', 'RES_OPTIONS', 'MALLOC_TRACE', 'TZDIR'],
    prefixes: ['LD_', 'DYLD_'],
    why: 'the system loader or C library reads it, so it can load code into (or change) every program the step starts',
  },
  {
    names: [
      'NODE_OPTIONS', 'NODE_PATH', 'NODE_REPL_EXTERNAL_MODULE',
      'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB',
      'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH',
      'LUA_INIT', 'PHPRC', 'PHP_INI_SCAN_DIR', 'PSModulePath',
    ],
    // Every PYTHON… variable, start-up ones (PYTHONSTARTUP, PYTHONPATH, PYTHONHOME, PYTHONUSERBASE,
    // PYTHONWARNINGS) among them; npm reads its configuration, script-shell included, from npm_config_*.
    prefixes: ['PYTHON', 'npm_config_', 'NPM_CONFIG_'],
    why: 'an interpreter reads it at start-up and would load or run code that is not in the step',
  },
  {
    names: [
      'HOME', 'XDG_CONFIG_HOME', 'SHELL',
      'EDITOR', 'VISUAL', 'PAGER', 'MANPAGER', 'LESSOPEN', 'LESSCLOSE', 'SSH_ASKPASS',
      'GIT_ASKPASS', 'GIT_EDITOR', 'GIT_PAGER', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_EXTERNAL_DIFF', 'GIT_PROXY_COMMAND', 'GIT_TEMPLATE_DIR',
    ],
    prefixes: ['GIT_CONFIG'],
    why: 'programs the step starts run its value as a command or read configuration from it that can run commands',
  },
  {
    names: [],
    prefixes: ['RUNBOOK_'],
    why: 'the runbook engine sets variables of this name itself',
  },
  {
    // Values are kept in JavaScript objects on their way to a step, where these names are special.
    names: [
      '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'toLocaleString', 'valueOf',
      '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
    ],
    prefixes: [],
    why: 'JavaScript objects already have a property of this name, so its value could be lost',
  },
];

/** Every reserved name and prefix, for the front matter schema's list (a test keeps the two equal). */
export const RESERVED_VARIABLES: readonly string[] = FAMILIES.flatMap((family) => family.names);
export const RESERVED_VARIABLE_PREFIXES: readonly string[] = FAMILIES.flatMap((family) => family.prefixes);

const REASONS = new Map<string, string>(FAMILIES.flatMap((family) => family.names.map((name) => [name, family.why] as const)));
const PREFIXES: ReadonlyArray<readonly [string, string]> = FAMILIES.flatMap((family) => family.prefixes.map((prefix) => [prefix, family.why] as const));

/** Why no value may be given to `name` (a clause to follow "because"), or undefined when one may. */
export function reservedVariableReason(name: string): string | undefined {
  const reason = REASONS.get(name);
  if (reason !== undefined) return reason;
  for (const [prefix, why] of PREFIXES) if (name.startsWith(prefix)) return why;
  return undefined;
}

/** Whether a value for `name` must be refused: it controls an interpreter or the engine itself. */
export function isReservedVariable(name: string): boolean {
  return reservedVariableReason(name) !== undefined;
}

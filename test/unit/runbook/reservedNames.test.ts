import { strict as assert } from 'node:assert';
import Ajv from 'ajv';
import schema from '../../../schemas/runbook-front-matter.schema.json';
import { isReservedVariable, parseRunbook, reservedVariableReason } from '../../../src/core/runbook';
import { RESERVED_VARIABLE_PREFIXES, RESERVED_VARIABLES } from '../../../src/core/runbook/reservedNames';

describe('reserved variable names', () => {
  // Issue 12's list, and the families around it: each one runs code outside the visible step or
  // changes how the step's own code is found and split.
  const reserved = [
    'PATH', 'IFS', 'PS4', 'PS1', 'PROMPT_COMMAND', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'CDPATH', 'GLOBIGNORE', 'BASH_FUNC_x%%', 'ZDOTDIR',
    'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES', 'GCONV_PATH',
    'NODE_OPTIONS', 'NODE_PATH', 'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONUSERBASE', 'PYTHONWARNINGS', 'PERL5OPT', 'PERL5LIB', 'RUBYOPT',
    'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'LUA_INIT', 'PHPRC', 'npm_config_script_shell', 'PSModulePath',
    'HOME', 'XDG_CONFIG_HOME', 'SHELL', 'EDITOR', 'PAGER', 'LESSOPEN', 'GIT_SSH_COMMAND', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_GLOBAL', 'GIT_EXTERNAL_DIFF',
    'RUNBOOK_STEP_RUN', 'PWD', '__proto__', 'constructor', 'toString',
  ];
  for (const name of reserved) {
    it(`reserves ${name}, with a reason`, () => {
      assert.equal(isReservedVariable(name), true);
      assert.match(reservedVariableReason(name) ?? '', /^[A-Za-z].{30,}[a-z]$/, 'a clause to follow "because"');
    });
  }

  // Data, not control: TMPDIR only says where temporary files go; NODE_ENV, GIT_BRANCH and
  // KUBECONFIG are ordinary runbook inputs.
  for (const name of ['NAMESPACE', 'API_TOKEN', 'TMPDIR', 'NODE_ENV', 'GIT_BRANCH', 'GIT_REPO', 'KUBECONFIG', 'LANG', 'TERM', 'REGION', 'path', 'home', 'PATHS', 'MY_HOME', 'XLD_PRELOAD']) {
    it(`leaves ${name} to the runbook`, () => {
      assert.equal(isReservedVariable(name), false);
      assert.equal(reservedVariableReason(name), undefined);
    });
  }

  describe('in the front matter schema', () => {
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }).compile(schema);
    const [names, prefixes] = schema.definitions.reservedName.anyOf as [{ enum: string[] }, { pattern: string }];

    it('lists the same names and prefixes as the parser', () => {
      assert.deepEqual([...names.enum].sort(), [...RESERVED_VARIABLES].sort());
      assert.deepEqual(prefixes.pattern, `^(${RESERVED_VARIABLE_PREFIXES.join('|')})`);
    });

    for (const inputs of [{ PATH: '/x' }, { LD_PRELOAD: { default: 'x.so' } }, [{ name: 'NODE_OPTIONS' }], ['PYTHONSTARTUP']]) {
      it(`rejects inputs ${JSON.stringify(inputs)}, as the parser does`, () => {
        assert.equal(validate({ inputs }), false);
        const yaml = `inputs: ${JSON.stringify(inputs)}`;
        assert.ok(parseRunbook(`---\n${yaml}\n---\n`).diagnostics.some((d) => d.code === 'invalid-input'));
      });
    }

    it('accepts ordinary names and timeouts up to the longest one', () => {
      assert.ok(validate({ inputs: { TMPDIR: '/scratch', NAMESPACE: { default: 'x' } }, timeout: 2_147_483 }), JSON.stringify(validate.errors));
      assert.ok(validate({ inputs: [{ name: 'NODE_ENV' }, 'GIT_BRANCH'], timeout: '1h30m' }), JSON.stringify(validate.errors));
      assert.equal(validate({ timeout: 2_147_484 }), false);
      assert.equal(validate({ timeout: 0 }), false);
    });
  });
});

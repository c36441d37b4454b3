import type { LanguageFamily } from './types';

export interface LanguageInfo {
  family: LanguageFamily;
  interpreter: string;
}

/**
 * The runnable fence languages and what runs them. `shell` and `console` say only "a shell", so
 * they take the front matter's `shell` (default bash); the others name their interpreter.
 */
export const DEFAULT_LANGUAGES: Readonly<Record<string, LanguageInfo>> = {
  bash: { family: 'shell', interpreter: 'bash' },
  sh: { family: 'shell', interpreter: 'sh' },
  shell: { family: 'shell', interpreter: '' },
  console: { family: 'shell', interpreter: '' },
  zsh: { family: 'shell', interpreter: 'zsh' },
  python: { family: 'python', interpreter: 'python3' },
  python3: { family: 'python', interpreter: 'python3' },
  py: { family: 'python', interpreter: 'python3' },
  node: { family: 'node', interpreter: 'node' },
  js: { family: 'node', interpreter: 'node' },
  javascript: { family: 'node', interpreter: 'node' },
  pwsh: { family: 'powershell', interpreter: 'pwsh' },
  powershell: { family: 'powershell', interpreter: 'pwsh' },
};

export const DEFAULT_SHELL = 'bash';

/** The language word of a fence's info string, lower-cased: `bash {name=x}` → `bash`. */
export function fenceLanguage(info: string): string {
  const match = /^[^\s{]+/.exec(info.trim());
  return match ? match[0].toLowerCase() : '';
}

export function isExpectedOutputLanguage(language: string): boolean {
  return language === 'output' || language === 'expected';
}

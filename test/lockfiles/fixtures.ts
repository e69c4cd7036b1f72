import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * The lockfiles in test/fixtures/lockfiles, written by the real tools (scripts/gen-lockfile-fixtures.sh).
 * npm's hidden lockfile is stored as `node_modules_/.package-lock.json` because .gitignore ignores
 * `node_modules/`.
 */
export const FIXTURES = path.resolve(__dirname, '../fixtures/lockfiles')

/** The names every single-project fixture uses (is-odd, is-number, a scoped package, an alias, react + react-dom, a file: dep). */
export const SINGLE = ['@sindresorhus/is', 'is-buffer', 'is-number', 'is-odd', 'js-tokens', 'kind-of', 'local-dep', 'loose-envify', 'my-odd', 'react', 'react-dom', 'scheduler']

/** The names of the registry packages and workspace members the workspace fixtures use. */
export const WORKSPACE = ['@sindresorhus/is', 'is-number', 'is-odd', 'ws-a']
export const WORKSPACE_DIRS = ['.', 'packages/a', 'packages/b']

export interface FixtureCase {
  /** Fixture path relative to FIXTURES. */
  file: string
  names: string[]
  importerDirs: string[]
}

const pnpmSingle = (dir: string): FixtureCase => ({ file: `${dir}/pnpm-lock.yaml`, names: [...SINGLE, 'linked-dep'], importerDirs: ['.'] })
const pnpmWorkspace = (dir: string): FixtureCase => ({ file: `${dir}/pnpm-lock.yaml`, names: WORKSPACE, importerDirs: WORKSPACE_DIRS })

/** Every real lockfile fixture with the exact names and importer directories it must give. */
export const CASES: FixtureCase[] = [
  pnpmSingle('pnpm-10.34.9'),
  pnpmSingle('pnpm-10.34.9-hook'),
  pnpmWorkspace('pnpm-10.34.9-workspace'),
  pnpmWorkspace('pnpm-10.34.9-hook-workspace'),
  { file: 'pnpm-10.34.9-empty/pnpm-lock.yaml', names: [], importerDirs: ['.'] },
  pnpmSingle('pnpm-12.21.0'),
  pnpmSingle('pnpm-12.21.0-hook'),
  pnpmSingle('pnpm-12.21.0-configdeps'),
  pnpmSingle('pnpm-12.21.0-v13'),
  pnpmSingle('pnpm-12.21.0-v13-configdeps'),
  pnpmWorkspace('pnpm-12.21.0-workspace'),
  pnpmWorkspace('pnpm-12.21.0-hook-workspace'),
  pnpmWorkspace('pnpm-12.21.0-configdeps-workspace'),
  pnpmWorkspace('pnpm-12.21.0-v13-workspace'),
  { file: 'npm-11.19.1/package-lock.json', names: [...SINGLE, 'lockdemo'], importerDirs: ['.', 'local-dep'] },
  { file: 'npm-11.19.1/node_modules_/.package-lock.json', names: SINGLE, importerDirs: ['.', 'local-dep'] },
  { file: 'npm-11.19.1-shrinkwrap/npm-shrinkwrap.json', names: [...SINGLE, 'lockdemo'], importerDirs: ['.', 'local-dep'] },
  { file: 'npm-11.19.1-lockfile-v1/package-lock.json', names: SINGLE, importerDirs: ['.'] },
  { file: 'npm-11.19.1-lockfile-v2/package-lock.json', names: [...SINGLE, 'lockdemo'], importerDirs: ['.', 'local-dep'] },
  { file: 'npm-11.19.1-workspace/package-lock.json', names: [...WORKSPACE, '@ws/b', 'ws-root'], importerDirs: WORKSPACE_DIRS },
  { file: 'npm-11.19.1-workspace/node_modules_/.package-lock.json', names: [...WORKSPACE, '@ws/b'], importerDirs: WORKSPACE_DIRS },
  { file: 'yarn-1.22.22/yarn.lock', names: SINGLE, importerDirs: ['.'] },
  // yarn 1 records no workspace members; readLockfile takes them from package.json `workspaces`.
  { file: 'yarn-1.22.22-workspace/yarn.lock', names: ['@sindresorhus/is', 'is-number', 'is-odd'], importerDirs: WORKSPACE_DIRS },
  { file: 'yarn-4.18.1/yarn.lock', names: [...SINGLE, 'lockdemo'], importerDirs: ['.'] },
  { file: 'yarn-4.18.1-workspace/yarn.lock', names: [...WORKSPACE, '@ws/b', 'ws-root'], importerDirs: WORKSPACE_DIRS },
  { file: 'bun-1.4.5/bun.lock', names: [...SINGLE, 'lockdemo'], importerDirs: ['.'] },
  { file: 'bun-1.4.5-workspace/bun.lock', names: [...WORKSPACE, '@ws/b', 'ws-root'], importerDirs: WORKSPACE_DIRS },
]

// typescript 7 (an optional peer pnpm installs with autoInstallPeers) and its platform packages.
const TYPESCRIPT = ['typescript', ...['aix-ppc64', 'darwin-arm64', 'darwin-x64', 'freebsd-arm64', 'freebsd-x64', 'linux-arm', 'linux-arm64',
  'linux-loong64', 'linux-mips64el', 'linux-ppc64', 'linux-riscv64', 'linux-s390x', 'linux-x64', 'netbsd-arm64', 'netbsd-x64',
  'openbsd-arm64', 'openbsd-x64', 'sunos-x64', 'win32-arm64', 'win32-x64'].map((platform) => `@typescript/typescript-${platform}`)]

/** The shapes fixtures (catalog:, workspace:, link:, file:, a patch, a BOM'd member with an optional peer). */
const pnpmShapes = (dir: string): FixtureCase => ({
  file: `${dir}/pnpm-lock.yaml`,
  names: ['is-buffer', 'is-even', 'is-number', 'is-odd', 'kind-of', 'linked-dep', 'local-dep', 'ws-member', ...TYPESCRIPT],
  importerDirs: ['.', 'packages/member'],
})

CASES.push(
  pnpmSingle('pnpm-8.15.9'),
  pnpmWorkspace('pnpm-8.15.9-workspace'),
  // is-even is only a config dependency (the first document).
  { file: 'pnpm-12.21.0-configdeps-hook/pnpm-lock.yaml', names: ['is-even', 'is-number', 'is-odd'], importerDirs: ['.'] },
  pnpmShapes('pnpm-10.34.9-shapes'),
  pnpmShapes('pnpm-12.21.0-shapes'),
  { file: 'deno-2.9.6/deno.lock', names: ['@sindresorhus/is', 'is-number', 'is-odd', 'js-tokens', 'loose-envify', 'react', 'react-dom', 'scheduler'], importerDirs: ['.'] },
  // A tarball URL and a file: directory under aliases: the reader gives the aliases (and lists
  // them as unresolved); the gc adds the real names is-even and real-local from node_modules.
  { file: 'yarn-1.22.22-shapes/yarn.lock', names: ['even-tar', 'is-buffer', 'is-number', 'is-odd', 'kind-of', 'local-alias'], importerDirs: ['.', 'packages/member'] },
  { file: 'yarn-4.18.1-shapes/yarn.lock', names: ['even-tar', 'is-buffer', 'is-number', 'is-odd', 'kind-of', 'local-alias', 'ws-member', 'yshapes-root'], importerDirs: ['.', 'packages/member'] },
  { file: 'yarn-4.18.1-shapes-pnp/yarn.lock', names: ['even-tar', 'is-buffer', 'is-number', 'is-odd', 'kind-of', 'local-alias', 'ws-member', 'yshapes-root'], importerDirs: ['.', 'packages/member'] },
)

/** The pnpm v9 fixtures (single and two-document), for comparisons with @pnpm/lockfile.fs. */
export const PNPM_V9_DIRS = CASES.map((c) => c.file)
  .filter((file) => file.endsWith('pnpm-lock.yaml') && !file.includes('-v13') && !file.startsWith('pnpm-8.'))
  .map((file) => path.dirname(file))

export function readFixture(file: string): string {
  return fs.readFileSync(path.join(FIXTURES, file), 'utf8')
}

export function sorted(names: Iterable<string>): string[] {
  return [...names].sort()
}

/** A fresh temp dir per test: `tempDirs.make()` inside a test, removed by the `afterEach` it installs. */
export function useTempDirs(): { make: () => string } {
  const made: string[] = []
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  })
  return { make: () => { const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockfiles-')); made.push(dir); return dir } }
}

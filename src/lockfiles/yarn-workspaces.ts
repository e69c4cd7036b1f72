import fs from 'node:fs'
import path from 'node:path'

import { isErrno } from '../errors'
import { readPackageJson } from './package-json'
import { isRecord } from './types'

/**
 * The workspace member directories of a yarn 1 project, which its `yarn.lock` does not record:
 * the root `package.json` `workspaces` patterns (array, or `{ packages: [...] }`) expanded to the
 * directories that hold a `package.json`, relative and `/`-separated, after `'.'`.
 *
 * Patterns are path segments that are literal or use `*` and `?` within one segment, or `**`
 * for any depth (never entering `node_modules` or dot-directories). Negated patterns (`!…`) are
 * ignored, which can only add members, never lose one. Other glob syntax (`{a,b}`, `[ab]`) is
 * refused rather than guessed at.
 *
 * @returns the directories, or `{ error }` when `package.json` or a directory cannot be read, or a
 * pattern is not understood. A missing `package.json` means no workspaces.
 */
export function yarnWorkspaceDirs(projectDir: string): string[] | { error: string } {
  const manifestFile = path.join(projectDir, 'package.json')
  const read = readPackageJson(manifestFile)
  if (!read.ok) return read.code === 'ENOENT' ? ['.'] : { error: read.reason }
  const manifest = read.manifest
  const field = isRecord(manifest) ? manifest.workspaces : undefined
  const patterns = isRecord(field) ? field.packages : field
  if (patterns === undefined) return ['.']
  if (!Array.isArray(patterns) || !patterns.every((p) => typeof p === 'string')) {
    return { error: `${manifestFile}: malformed workspaces` }
  }

  const dirs = new Set<string>(['.'])
  try {
    for (const pattern of patterns as string[]) {
      if (pattern.startsWith('!')) continue
      const segments = pattern.split('/').filter((s) => s !== '' && s !== '.')
      if (segments.some((s) => /[{}[\]]/.test(s) || s === '..')) {
        return { error: `${manifestFile}: unsupported workspaces pattern ${JSON.stringify(pattern)}` }
      }
      for (const dir of expand(projectDir, '', segments)) {
        if (hasManifest(path.join(projectDir, dir))) dirs.add(dir === '' ? '.' : dir)
      }
    }
  } catch (err) {
    if (isErrno(err)) return { error: `cannot list the workspaces of ${projectDir}: ${err.code}` }
    throw err
  }
  return [...dirs]
}

/** Relative directories under `base` matching `segments`. */
function expand(root: string, base: string, segments: string[]): string[] {
  if (segments.length === 0) return [base]
  const [head, ...rest] = segments
  if (head === '**') {
    const here = expand(root, base, rest)
    for (const child of subdirectories(root, base)) here.push(...expand(root, join(base, child), segments))
    return here
  }
  if (!/[*?]/.test(head)) return expand(root, join(base, head), rest)
  const matcher = new RegExp(`^${head.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`)
  return subdirectories(root, base).filter((child) => matcher.test(child)).flatMap((child) => expand(root, join(base, child), rest))
}

function subdirectories(root: string, base: string): string[] {
  try {
    return fs.readdirSync(path.join(root, base), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return []
    throw err
  }
}

function hasManifest(dir: string): boolean {
  try {
    fs.statSync(path.join(dir, 'package.json'))
    return true
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false
    throw err
  }
}

function join(base: string, child: string): string {
  return base === '' ? child : `${base}/${child}`
}

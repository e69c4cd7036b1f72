import fs from 'node:fs'
import path from 'node:path'
import { BUILD_INPUTS, BUILD_OUTPUTS, staleReason } from './dist'
import { tempDir } from './tmp'

/** A stand-in repository: every build input and output, all an hour old. */
function fakeRepo(): string {
  const root = tempDir()
  const then = new Date(Date.now() - 3_600_000)
  for (const rel of ['src/index.ts', 'src/gc/run.ts', 'src/cli/main.ts', 'hooks/pnpm-hook.ts', 'scripts/build.mjs', 'scripts/esbuild-options.cjs', 'package.json', ...BUILD_OUTPUTS.map((n) => `dist/${n}`)]) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    fs.writeFileSync(path.join(root, rel), '')
    fs.utimesSync(path.join(root, rel), then, then)
  }
  return root
}

test('a build newer than every source is fresh', () => {
  const root = fakeRepo()
  const now = new Date()
  for (const name of BUILD_OUTPUTS) fs.utimesSync(path.join(root, 'dist', name), now, now)
  expect(staleReason(root)).toBeNull()
})

test.each(['src/gc/run.ts', 'src/cli/main.ts', 'hooks/pnpm-hook.ts', 'scripts/build.mjs', 'scripts/esbuild-options.cjs', 'package.json'])('an edit of %s makes dist/ stale', (rel) => {
  const root = fakeRepo()
  const now = new Date()
  fs.utimesSync(path.join(root, rel), now, now)
  expect(staleReason(root)).toBe(`${path.join(root, rel)} is newer than the build`)
  expect(BUILD_INPUTS.some((input) => rel === input || rel.startsWith(`${input}/`))).toBe(true)
})

test('a missing output makes dist/ stale', () => {
  const root = fakeRepo()
  fs.rmSync(path.join(root, 'dist', 'gc.cjs'))
  expect(staleReason(root)).toBe(`${path.join(root, 'dist', 'gc.cjs')} is missing`)
})

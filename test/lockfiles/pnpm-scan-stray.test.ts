/**
 * Damage the scanner must leave to the YAML path (which refuses it), because reading past it
 * would list fewer names than the project installs: dependencies dedented out of their section
 * (a lost `dependencies:` line), an importer `name`, a JSON-like document with a duplicate key,
 * and a byte order mark. The contract of the fast path: `null`, or exactly the slow path's answer.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { parsePnpmLockfileFast, parsePnpmLockfileSlow } from '../../src/lockfiles/pnpm'

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lockfiles')
const workspace = fs.readFileSync(path.join(FIXTURES, 'pnpm-10.34.9', 'pnpm-lock.yaml'), 'utf8')
const vite = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'corpus', 'vite', 'pnpm-lock.yaml.gz'))).toString('utf8')

function agree(text: string): void {
  const fast = parsePnpmLockfileFast(text)
  if (fast === null) return
  const slow = parsePnpmLockfileSlow(text)
  expect({ ok: fast.ok, names: fast.ok ? [...fast.names].sort() : null }).toEqual({ ok: slow.ok, names: slow.ok ? [...slow.names].sort() : null })
}

/** `text` with `count` lines from the line `from` dedented by `by` spaces. */
function dedent(text: string, from: string, count: number, by: number): string {
  const lines = text.split('\n')
  const at = lines.indexOf(from)
  expect(at).toBeGreaterThan(0)
  for (let i = at; i < at + count; i++) lines[i] = lines[i].slice(by)
  return lines.join('\n')
}

test('importer dependencies dedented out of their section (vite, 6 lines): never read as fewer names', () => {
  const damaged = dedent(vite, "      '@vitejs/test-resolve-browser-module-field1':", 6, 2)
  agree(damaged)
  expect(parsePnpmLockfileSlow(damaged).ok).toBe(false)
})

test('a link dependency dedented to the level of the importer fields, in block and flow form', () => {
  agree(workspace.replace('    dependencies:\n', '    extra:\n      specifier: link:./x\n      version: link:x\n    dependencies:\n'))
  agree(workspace.replace('    dependencies:\n', '    extra: {specifier: x, version: link:x}\n    dependencies:\n'))
  // The keys written with YAML escapes: no `specifier` in the raw text.
  agree(workspace.replace('    dependencies:\n', '    zz-extra: {"spec\\x69fier": ^1.0.0, "versi\\x6fn": 1.0.0}\n    dependencies:\n'))
})

test('a dependency dedented to the level of the importers: both paths refuse the file', () => {
  const lines = workspace.split('\n')
  const at = lines.findIndex((line) => /^ {6}\S.*:$/.test(line) && lines[lines.indexOf(line) - 1]?.trim() === 'dependencies:')
  expect(at).toBeGreaterThan(0)
  for (let i = at; i < at + 3; i++) lines[i] = lines[i].slice(4)
  const damaged = lines.join('\n')
  agree(damaged)
  expect(parsePnpmLockfileSlow(damaged).ok).toBe(false)
})

test("an importer's own name field", () => {
  agree(workspace.replace('    dependencies:\n', '    name: own-name\n    dependencies:\n'))
})

test('a JSON-like document with a duplicate key goes to the YAML parser, which refuses it', () => {
  const text = `{
  "lockfileVersion": "9.0",
  "importers": {".": {"dependencies": {"ali": {"specifier": "npm:b@1", "version": "b@1.0.0"}}, "dependencies": {}}},
  "packages": {"b@1.0.0": {"resolution": {"integrity": "y"}}},
  "snapshots": {"b@1.0.0": {}}
}
`
  expect(parsePnpmLockfileFast(text)).toBeNull()
  expect(parsePnpmLockfileSlow(text).ok).toBe(false)
})

test('a byte order mark goes to the YAML parser, which reads the file', () => {
  expect(parsePnpmLockfileFast(`\ufeff${workspace}`)).toBeNull()
  expect(parsePnpmLockfileSlow(`\ufeff${workspace}`).ok).toBe(true)
})

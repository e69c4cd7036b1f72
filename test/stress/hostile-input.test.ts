/**
 * Hostile input, property-based (fast-check, fixed seeds, bounded runs): keys and owner names
 * through every runtime entry point and the CLI, and archive entry names through importScratch.
 * Only valid input may touch the disk, and then only `<root>/<owner>/<key>` (plus the store's
 * own bookkeeping); everything else is refused with a coded error and changes nothing.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {
  deleteScratch, ensureScratch, exportScratch, getGlobalScratch, getScratch, importScratch, scratchPath, versionedKey,
} from '../../src'
import { main } from '../../src/cli/main'
import type { Io } from '../../src/cli/io'
import { rawTar, type RawEntry } from '../archive/helpers'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, seedOf, type Snapshot } from './support'
import { BOOKKEEPING_DIR, bookkeepingDir } from '../../src/runtime/layout'

const box = useSandbox()

// The contract (SPEC §2), written out here rather than imported, so the oracle is independent of the code.
const KEY = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/
const isValidKey = (key: unknown): key is string => typeof key === 'string' && KEY.test(key)
const isValidOwner = (name: unknown): name is string => typeof name === 'string' && name.length <= 214 && NPM_NAME.test(name)

const PIECES = ['..', '.', '/', '\\', '\0', '\n', '\r', ' ', '%2e%2e', '%2f', 'CON', 'NUL', 'a:b', '-', '~', '@', '_global', 'é', '\u202e',
  '\uFEFF', '../..', '/etc/passwd', 'C:\\Windows', '//', '\t', '*', '?', '"', '<', '>', '|', 'A', 'z', '0', '_', '-x', '.x', 'x.']
const piece = fc.constantFrom(...PIECES)
const joined = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''))
const validKey = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,40}$/)
const keyArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validKey },
  { weight: 3, arbitrary: joined },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('k'.repeat(128), 'k'.repeat(129), '', '.', '..', 'a\nb', 'ok\n') },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.constant(undefined), fc.constant({}), fc.constant(['a'])) },
)
const validName = fc.tuple(fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/), { nil: undefined }), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/))
  .map(([scope, name]) => (scope === undefined ? name : `@${scope}/${name}`))
const nameArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validName },
  { weight: 3, arbitrary: joined },
  { weight: 2, arbitrary: fc.tuple(joined, joined).map(([a, b]) => `@${a}/${b}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(214), 'a'.repeat(215), 'UPPER', '@s/..', '@../x', '_global', '@s/', '@/x', 'a/b') },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.constant({})) },
)

/** Everything under `dir` (links listed, never followed) with file contents, for before/after comparisons. */
function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (abs: string, rel: string): void => {
    let names: string[]
    try {
      names = fs.readdirSync(abs)
    } catch {
      return
    }
    for (const name of names) {
      const child = path.join(abs, name)
      const key = rel === '' ? name : `${rel}/${name}`
      const stat = fs.lstatSync(child)
      if (stat.isSymbolicLink()) out.set(key, `-> ${fs.readlinkSync(child)}`)
      else if (stat.isDirectory()) {
        out.set(key, '<dir>')
        walk(child, key)
      } else out.set(key, fs.readFileSync(child, 'latin1'))
    }
  }
  walk(dir, '')
  return out
}

/** Paths added, removed or changed between two snapshots. */
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = []
  for (const [key, value] of after) if (before.get(key) !== value) out.push(before.has(key) ? `~${key}` : `+${key}`)
  for (const key of before.keys()) if (!after.has(key)) out.push(`-${key}`)
  return out.sort()
}

/** What a valid call may change: the store's bookkeeping, and the space (with its namespace directories). */
function allowedChange(change: string, owner: string | null, key: string | null): boolean {
  const rel = change.slice(1)
  if (!rel.startsWith('store/') && rel !== 'store') return false
  const inStore = rel.slice('store/'.length)
  if (rel === 'store' || inStore === 'CACHEDIR.TAG' || inStore === BOOKKEEPING_DIR || inStore.startsWith('.scratch/')) return true
  const ns = (owner ?? '_global').split('/')
  const allowed = [ns.slice(0, 1).join('/'), ns.join('/'), ...(key === null ? [] : [[...ns, key].join('/')])]
  return allowed.includes(inStore) || (key === null ? inStore.startsWith(ns.join('/') + '/') : inStore.startsWith([...ns, key].join('/') + '/'))
}

function populate(): void {
  fs.mkdirSync(path.join(box.tmp, 'outside'))
  fs.writeFileSync(path.join(box.tmp, 'outside', 'precious'), 'do not touch')
  // A store is marked by its bookkeeping directory (as the runtime's first write makes it).
  fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
  for (const [owner, key] of [['victim', 'k1'], ['@s/x', 'k'], ['_global', 'g']]) {
    const dir = path.join(box.store, ...owner.split('/'), key)
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'data'), `${owner}/${key}`)
  }
}

const REFUSALS = ['ERR_SCRATCH_INVALID_KEY', 'ERR_SCRATCH_INVALID_OWNER']
const counts = { api: 0, apiValid: 0, cli: 0, cliValid: 0, archives: 0, archivesAccepted: 0, violations: 0 }
afterAll(() => {
  figure(`hostile input: ${counts.api} API calls (${counts.apiValid} with valid key and owner) and ${counts.cli} CLI runs ` +
    `(${counts.cliValid} valid) with fuzzed keys/owners, ${counts.archives} fuzzed archives (${counts.archivesAccepted} accepted, all contained): ` +
    `${counts.violations} writes outside <root>/<owner>/<key>, seeds=${seedOf(7001)}/${seedOf(7002)}/${seedOf(7003)}`)
})

type Call = { name: string; run: (key: unknown, owner: unknown) => unknown; ownerKind: 'named' | 'global' | 'either'; touches: boolean }

const CALLS: Call[] = [
  { name: 'getScratch', run: (k, o) => getScratch(k as string, { name: o as string }), ownerKind: 'named', touches: true },
  { name: 'getScratch caller', run: (k, o) => getScratch(k as string, { name: 'victim' }, { caller: { name: o as string } }), ownerKind: 'named', touches: true },
  { name: 'getGlobalScratch', run: (k) => getGlobalScratch(k as string), ownerKind: 'global', touches: true },
  { name: 'deleteScratch', run: (k, o) => deleteScratch(k as string, { name: o as string }), ownerKind: 'named', touches: true },
  { name: 'deleteScratch global', run: (k) => deleteScratch(k as string, null), ownerKind: 'global', touches: true },
  { name: 'scratchPath', run: (k, o) => scratchPath(k as string, { name: o as string }), ownerKind: 'named', touches: false },
  { name: 'ensureScratch', run: (k, o) => ensureScratch(k as string, { name: o as string }, (dir) => fs.writeFileSync(path.join(dir, 'made'), 'x')), ownerKind: 'named', touches: true },
  { name: 'versionedKey', run: (k) => versionedKey(k as string, '1.2.3'), ownerKind: 'either', touches: false },
  { name: 'exportScratch', run: (k, o) => exportScratch(k as string, { name: o as string }, path.join(box.tmp, 'out.tgz')), ownerKind: 'named', touches: false },
  { name: 'importScratch', run: (k, o) => importScratch(path.join(box.tmp, 'missing.tgz'), k as string, { name: o as string }), ownerKind: 'named', touches: false },
]

test('fuzzed keys and owner names through every API entry point: only valid ones touch the disk, and only <root>/<owner>/<key>', async () => {
  const seed = seedOf(7001)
  await fc.assert(fc.asyncProperty(fc.constantFrom(...CALLS), keyArb, nameArb, async (call, key, name) => {
    if (!fs.existsSync(path.join(box.tmp, 'outside'))) populate()
    counts.api++
    // The call's owner: the fuzzed name, the global namespace, or (versionedKey) none.
    const ownerValid = call.ownerKind !== 'named' || isValidOwner(name)
    const ownerName = call.ownerKind === 'named' ? name as string : null
    const callerOnly = call.name === 'getScratch caller'
    const valid = isValidKey(key) && ownerValid && !(call.ownerKind === 'named' && name === '_global')
    const before = snapshotTree(box.tmp)
    let error: unknown = null
    let result: unknown
    try {
      result = await call.run(key, name)
    } catch (err) {
      error = err
    }
    const changed = changes(before, snapshotTree(box.tmp))
    if (!valid) {
      const code = (error as { code?: string } | null)?.code
      if (!REFUSALS.includes(code ?? '') || changed.length > 0) counts.violations++
      expect({ code, changed }).toEqual({ code: expect.stringMatching(/^ERR_SCRATCH_INVALID_(KEY|OWNER)$/), changed: [] })
      return
    }
    counts.apiValid++
    const spaceOwner = callerOnly ? 'victim' : ownerName
    if (changed.some((c) => !allowedChange(c, spaceOwner, key as string))) counts.violations++
    expect(changed.filter((c) => !allowedChange(c, spaceOwner, key as string))).toEqual([])
    if (call.name === 'exportScratch' || call.name === 'importScratch') {
      // Valid names, but no space / no archive file: a usage error, nothing written.
      expect(error).toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
      expect(changed).toEqual([])
    } else if (call.name === 'versionedKey') {
      expect(error === null ? isValidKey(result) : (error as { code: string }).code === 'ERR_SCRATCH_INVALID_KEY').toBe(true)
    } else {
      expect(error).toBeNull()
      if (typeof result === 'string') {
        expect(result).toBe(path.join(box.store, ...(spaceOwner ?? '_global').split('/'), key as string))
      }
    }
    if (!call.touches) expect(changed).toEqual([])
  }), { seed, numRuns: 1500, endOnFailure: true })
})

function cliIo(out: string[], err: string[]): Io {
  return { stdout: (t) => { out.push(t) }, stderr: (t) => { err.push(t) }, interactive: false, color: false, confirm: async () => false, env: process.env, cwd: box.tmp }
}

test('fuzzed OWNER and KEY through the CLI (delete, path, clear, list): invalid ones change nothing and exit 1 or 2', async () => {
  const seed = seedOf(7002)
  const argString = fc.oneof(validKey, joined, validName, fc.string({ unit: 'grapheme-ascii', maxLength: 12 }))
  const commands = fc.constantFrom('delete', 'delete --global', 'path', 'path --global', 'clear', 'list')
  await fc.assert(fc.asyncProperty(commands, argString, argString, async (command, owner, key) => {
    if (!fs.existsSync(path.join(box.tmp, 'outside'))) populate()
    counts.cli++
    const [verb, flag] = command.split(' ')
    const global = flag === '--global'
    const args = global ? [verb, '--global', key] : verb === 'clear' || verb === 'list' ? [verb, owner] : [verb, owner, key]
    const before = snapshotTree(box.tmp)
    const out: string[] = []
    const err: string[] = []
    const code = await main(args, cliIo(out, err))
    const changed = changes(before, snapshotTree(box.tmp))
    const optionLike = args.slice(1).some((a) => a.startsWith('-') && a !== '--global')
    const keyOk = verb === 'clear' || verb === 'list' || isValidKey(key)
    const ownerOk = global || (isValidOwner(owner) && owner !== '_global')
    if (optionLike || !keyOk || !ownerOk) {
      if (changed.length > 0 || code === 0) counts.violations++
      expect({ code: code === 1 || code === 2 ? 'refused' : code, changed }).toEqual({ code: 'refused', changed: [] })
      return
    }
    counts.cliValid++
    expect([code, err.join('')]).toEqual([0, ''])
    const spaceKey = verb === 'clear' || verb === 'list' ? null : key
    const bad = changed.filter((c) => !allowedChange(c, global ? null : owner, spaceKey))
    if (bad.length > 0) counts.violations++
    expect(bad).toEqual([])
    if (verb === 'path' || verb === 'list') expect(changed).toEqual([])
  }), { seed, numRuns: 800, endOnFailure: true })
})

test('fuzzed archive entry names and link targets: refused, or installed entirely inside the space', async () => {
  const seed = seedOf(7003)
  const segment = fc.constantFrom('..', '.', '', 'a', 'b', 'dir', 'x.txt', '/', '\\', 'C:', '~', '\0', 'é', '...', 'a/..', '../..')
  const entryPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'))
  const linkTarget = fc.oneof(entryPath, fc.constantFrom('/etc/passwd', '../../outside/precious', '../outside', path.join('/tmp', 'x')))
  const entry: fc.Arbitrary<RawEntry> = fc.oneof(
    entryPath.map((p) => ({ path: p, body: 'x' })),
    entryPath.map((p) => ({ path: p.endsWith('/') ? p : `${p}/`, type: 'Directory' as const })),
    fc.tuple(entryPath, linkTarget).map(([p, target]) => ({ path: p, type: 'SymbolicLink' as const, linkpath: target })),
    fc.tuple(entryPath, linkTarget).map(([p, target]) => ({ path: p, type: 'Link' as const, linkpath: target })),
  )
  let run = 0
  await fc.assert(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), async (entries) => {
    if (!fs.existsSync(path.join(box.tmp, 'outside'))) populate()
    counts.archives++
    const file = path.join(box.tmp, `fuzz-${run++}.tar`)
    let tar: Buffer
    try {
      tar = rawTar(entries, { gzip: run % 2 === 0 })
    } catch {
      return // tar could not even encode these headers
    }
    fs.writeFileSync(file, tar)
    const before = snapshotTree(box.tmp)
    const space = scratchPath('target', { name: 'victim' })
    let installed = false
    try {
      await importScratch(file, 'target', { name: 'victim' })
      installed = true
    } catch (err) {
      expect(err).toMatchObject({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' })
    }
    const changed = changes(before, snapshotTree(box.tmp))
    const bad = changed.filter((c) => !allowedChange(c, 'victim', 'target'))
    if (bad.length > 0) counts.violations++
    expect(bad).toEqual([])
    if (!installed) {
      // Refused: at most the store's own bookkeeping (CACHEDIR.TAG, .scratch) appeared.
      expect(changed.filter((c) => !/^.store\/(CACHEDIR\.TAG$|\.scratch(\/|$))/.test(c))).toEqual([])
      return
    }
    counts.archivesAccepted++
    // Everything installed resolves inside the space; no file is hard-linked to anything.
    const real = fs.realpathSync(space)
    for (const rel of snapshotTree(space).keys()) {
      const abs = path.join(space, rel)
      const stat = fs.lstatSync(abs)
      if (stat.isFile()) expect(stat.nlink).toBe(1)
      let resolved: string
      try {
        resolved = fs.realpathSync(abs)
      } catch {
        continue // a dangling link that points inside (checked lexically by import) is harmless
      }
      expect(resolved === real || resolved.startsWith(real + path.sep)).toBe(true)
    }
    expect(fs.readFileSync(path.join(box.tmp, 'outside', 'precious'), 'utf8')).toBe('do not touch')
    deleteScratch('target', { name: 'victim' })
  }), { seed, numRuns: 500, endOnFailure: true })
})

describe('the built CLI in a real process', () => {
  let snapshot: Snapshot
  beforeAll(async () => { snapshot = await buildSnapshot() })
  afterAll(() => removeSnapshot(snapshot))

  test.each([
    [['delete', 'victim', '../../outside']], [['delete', '..', 'k1']], [['delete', '@s/..', 'k']], [['delete', '--global', '..']],
    [['clear', '..']], [['clear', '../outside']], [['clear', '@s/x/../..']], [['path', 'victim', '..']], [['path', '../..']],
    [['list', '../x']], [['delete', 'victim', 'k1/../../..']], [['delete', 'VICTIM', 'k1']],
  ])('%j is refused (exit 1 or 2, a coded error) and changes nothing', async (args) => {
    populate()
    const before = snapshotTree(box.tmp)
    const result = await scratchCli(snapshot, box.store, args)
    counts.cli++
    expect([1, 2]).toContain(result.code)
    expect(result.stderr).toMatch(/^ERR_SCRATCH_(INVALID_KEY|INVALID_OWNER|USAGE): /)
    expect(result.stdout).toBe('')
    expect(changes(before, snapshotTree(box.tmp))).toEqual([])
  })
})

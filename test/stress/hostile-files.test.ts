/**
 * Hostile files: symlinks planted in and around the store, and damaged lockfiles and access logs
 * (seeded random cuts, flips and garbage over real fixture files). The gc must never follow a
 * link out of the store, never crash, and never delete the space of a package that the damaged
 * project's real lockfile lists.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { checkProject } from '../../src/gc/projects'
import { readLockfile } from '../../src/lockfiles'
import { lockfilesIn } from '../../src/lockfiles/detect'
import { DAY, npmProject, recordUse } from '../gc/support'
import { repoRoot } from '../helpers/dist'
import { useSandbox } from '../runtime/support'
import { figure, prng, seedOf, treeOf } from './support'
import { bookkeepingDir, trashDir } from '../../src/runtime/layout'

const box = useSandbox()
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/

function space(owner: string | null, key: string, root = box.store): string {
  return path.join(root, ...(owner ?? '_global').split('/'), key)
}

function ageLink(file: string, ageMs: number): void {
  const when = new Date(Date.now() - ageMs)
  fs.lutimesSync(file, when, when)
}

/**
 * Bytes under `dir` counted the way the contract says: lstat, links never followed; a hard link
 * to a file outside frees nothing, so it counts 0.
 */
function ownBytes(dir: string): number {
  const stat = fs.lstatSync(dir)
  if (!stat.isDirectory()) return stat.nlink > 1 ? 0 : stat.size
  return fs.readdirSync(dir).reduce((sum, name) => sum + ownBytes(path.join(dir, name)), 0)
}

describe('symlinks', () => {
  function outsideTree(): string {
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(path.join(outside, 'dir', 'deeper'), { recursive: true })
    fs.writeFileSync(path.join(outside, 'precious'), 'p'.repeat(5000))
    fs.writeFileSync(path.join(outside, 'dir', 'file'), 'f'.repeat(3000))
    fs.writeFileSync(path.join(outside, 'dir', 'deeper', 'file'), 'd'.repeat(2000))
    return outside
  }

  test('random spaces full of links pointing outside: gc removes the links, every target survives and none is counted', async () => {
    const seed = seedOf(8001)
    const random = prng(seed)
    const outside = outsideTree()
    const before = treeOf(outside)
    const targets = [
      path.join(outside, 'precious'), outside, path.join(outside, 'dir'), '../../../outside/precious', '../../../../outside', '/',
      path.join(outside, 'missing'), '.', '..', '../..',
    ]
    let expected = 0
    let links = 0
    for (let i = 0; i < 20; i++) {
      const dir = space(`orphan-${i % 4}`, `k${i}`)
      fs.mkdirSync(path.join(dir, 'sub'), { recursive: true })
      fs.writeFileSync(path.join(dir, 'own'), 'o'.repeat(Math.floor(random() * 1000)))
      for (let j = 0; j < 4; j++) {
        const where = path.join(dir, random() < 0.5 ? '' : 'sub', `link-${j}`)
        fs.symlinkSync(targets[Math.floor(random() * targets.length)], where)
        links++
      }
      if (random() < 0.3) fs.linkSync(path.join(outside, 'dir', 'file'), path.join(dir, 'hardlink'))
      for (const name of [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, 'sub')).map((n) => `sub/${n}`)]) {
        ageLink(path.join(dir, name), 9 * DAY)
      }
      ageLink(path.join(dir, 'sub'), 9 * DAY)
      ageLink(dir, 9 * DAY)
      expected += ownBytes(dir)
    }
    // A space that is itself a link to the outside tree, and an owner directory that is one.
    fs.symlinkSync(outside, space('orphan-0', 'linked'))
    ageLink(space('orphan-0', 'linked'), 9 * DAY)
    expected += fs.lstatSync(space('orphan-0', 'linked')).size
    fs.symlinkSync(path.join(outside, 'dir'), path.join(box.store, 'linked-owner'))
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true }) // the store's mark
    const report = await runGc()
    const deleted = report.spaces.filter((s) => s.action === 'deleted')
    figure(`hostile symlinks: ${links} links out of ${deleted.length} deleted spaces (one space itself a link, one owner dir a link), ` +
      `outside tree ${JSON.stringify(treeOf(outside)) === JSON.stringify(before) ? 'unchanged' : 'CHANGED'}, ` +
      `freed ${report.freedBytes} bytes = ${expected} counted by lstat (targets excluded), seed=${seed}`)
    expect(deleted).toHaveLength(21)
    expect(treeOf(outside)).toEqual(before)
    expect(report.freedBytes).toBe(expected)
    expect(fs.lstatSync(path.join(box.store, 'linked-owner')).isSymbolicLink()).toBe(true)
  })

  test('a trash directory replaced by a link to the outside: the gc never empties the outside directory', async () => {
    const outside = outsideTree()
    const before = treeOf(outside)
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.symlinkSync(outside, trashDir(box.store))
    const orphan = space('orphan', 'k')
    fs.mkdirSync(orphan, { recursive: true })
    fs.writeFileSync(path.join(orphan, 'f'), 'x')
    ageLink(orphan, 9 * DAY)
    await runGc()
    expect(treeOf(outside)).toEqual(before)
    expect(fs.existsSync(orphan)).toBe(false)
  })
})

/** One seeded way of damaging a file's bytes, named for the report. */
type Damage = { name: string; apply: (data: Buffer, random: () => number) => Buffer }

const LINE_CUT: Damage = {
  name: 'cut at a line end',
  apply: (data, random) => {
    const ends = [...data.entries()].filter(([, b]) => b === 10).map(([i]) => i)
    return data.subarray(0, ends.length === 0 ? 0 : ends[Math.floor(random() * ends.length)] + 1)
  },
}

const DAMAGES: Damage[] = [
  { name: 'cut at a random byte', apply: (data, random) => data.subarray(0, Math.floor(random() * data.length)) },
  LINE_CUT,
  { name: 'one byte flipped', apply: (data, random) => flip(data, random, 1) },
  { name: 'eight bytes flipped', apply: (data, random) => flip(data, random, 8) },
  { name: 'a 512-byte block zeroed', apply: (data, random) => {
    const copy = Buffer.from(data)
    const start = Math.floor(random() * Math.max(1, data.length - 512))
    copy.fill(0, start, Math.min(data.length, start + 512))
    return copy
  } },
  { name: 'a line dropped', apply: (data, random) => editLines(data, random, (lines, i) => lines.splice(i, 1)) },
  { name: 'a line repeated', apply: (data, random) => editLines(data, random, (lines, i) => lines.splice(i, 0, lines[i])) },
  { name: 'garbage inserted', apply: (data, random) => editLines(data, random, (lines, i) => lines.splice(i, 0, '\u0000\u00ff{"garbage": [')) },
  { name: 'emptied', apply: () => Buffer.alloc(0) },
  { name: 'random bytes', apply: (data, random) => Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256))) },
]

const STRUCTURAL = new Set(['cut at a random byte', 'cut at a line end', 'garbage inserted', 'emptied', 'random bytes'])

function flip(data: Buffer, random: () => number, count: number): Buffer {
  const copy = Buffer.from(data)
  for (let i = 0; i < count && copy.length > 0; i++) copy[Math.floor(random() * copy.length)] ^= 1 << Math.floor(random() * 8)
  return copy
}

function editLines(data: Buffer, random: () => number, edit: (lines: string[], i: number) => void): Buffer {
  const lines = data.toString('latin1').split('\n')
  edit(lines, Math.floor(random() * lines.length))
  return Buffer.from(lines.join('\n'), 'latin1')
}

describe('damaged lockfiles (real fixtures, seeded damage)', () => {
  const fixtures = path.join(repoRoot, 'test', 'fixtures', 'lockfiles')

  test('never a crash, and never a deletion of a space whose owner the real lockfile lists', async () => {
    const seed = seedOf(8002)
    const random = prng(seed)
    const stats = { fixtures: 0, variants: 0, unknown: 0, acceptedSame: 0, acceptedFewer: 0, caughtByManifest: 0, crashes: 0, liveDeleted: 0, flipDeleted: 0 }
    const flipped: string[] = []
    const problems: string[] = []
    for (const fixture of fs.readdirSync(fixtures).sort()) {
      const project = path.join(box.tmp, fixture)
      fs.cpSync(path.join(fixtures, fixture), project, { recursive: true })
      const files = lockfilesIn(project).filter((file) => !file.endsWith('.lockb'))
      const reads = files.map((file) => readLockfile(file))
      if (files.length === 0 || reads.some((read) => !read.ok)) continue
      const names = [...new Set(reads.flatMap((read) => (read.ok ? [...read.names] : [])))].filter((n) => NPM_NAME.test(n)).sort()
      if (names.length === 0) continue
      stats.fixtures++
      // A store of its own: other fixtures list some of the same names.
      const store = path.join(box.tmp, 'stores', fixture)
      // The spaces of three names the real lockfile lists, used from the project.
      const owners = [...new Set([names[0], names[Math.floor(names.length / 2)], names[names.length - 1]])]
      for (const owner of owners) {
        fs.mkdirSync(space(owner, 'data', store), { recursive: true })
        recordUse(store, { owner, key: 'data' }, project, Date.now() - 60_000)
      }
      await runGc({ root: store }) // the registry learns the project's names
      const registry = fs.readFileSync(path.join(bookkeepingDir(store), 'registry.json'))
      for (let v = 0; v < 36; v++) {
        const damage = DAMAGES[v % DAMAGES.length]
        const file = files[Math.floor(random() * files.length)]
        const intact = fs.readFileSync(file)
        const damaged = damage.apply(intact, random)
        fs.writeFileSync(file, damaged)
        const stamp = new Date(Date.now() + (v + 1) * 1000)
        fs.utimesSync(file, stamp, stamp)
        fs.writeFileSync(path.join(bookkeepingDir(store), 'registry.json'), registry)
        const read = readLockfile(file)
        const dropped = read.ok ? owners.filter((owner) => !read.names.has(owner)) : []
        stats.variants++
        if (!read.ok) stats.unknown++
        else if (dropped.length === 0) stats.acceptedSame++
        else {
          stats.acceptedFewer++
          // The reader took the damaged file for a smaller project: the check against package.json must catch it.
          if (checkProject(project, undefined, Date.now()).report.status === 'unknown') stats.caughtByManifest++
        }
        try {
          await runGc({ root: store })
        } catch (err) {
          stats.crashes++
          problems.push(`${fixture} ${path.basename(file)} ${damage.name}: gc threw ${String(err)}`)
        }
        for (const owner of owners) {
          if (!fs.existsSync(space(owner, 'data', store))) {
            const what = `${fixture} ${path.basename(file)} ${damage.name}: ${owner}'s space deleted (reader: ${read.ok ? 'accepted the damaged file' : read.reason})`
            // A flipped letter inside a name can make another valid lockfile (a different name,
            // every section agreeing), which no reader can tell from an edit: reported, not failed.
            if (STRUCTURAL.has(damage.name) || !read.ok || !damage.name.includes('flipped')) {
              stats.liveDeleted++
              problems.push(what)
            } else {
              stats.flipDeleted++
              flipped.push(what)
            }
            fs.mkdirSync(space(owner, 'data', store), { recursive: true })
            recordUse(store, { owner, key: 'data' }, project, Date.now() - 60_000)
          }
        }
        fs.writeFileSync(file, intact)
        fs.utimesSync(file, new Date(), new Date(Date.now() + 100_000 + v))
      }
    }
    figure(`hostile lockfiles: ${stats.variants} damaged variants of ${stats.fixtures} real fixture lockfiles (${DAMAGES.length} kinds of damage), ` +
      `${stats.unknown} unreadable (project unknown), ${stats.acceptedSame} still listing every owner, ${stats.acceptedFewer} parsed without an owner ` +
      `(${stats.caughtByManifest} of them caught by the package.json check), ${stats.crashes} crashes, ${stats.liveDeleted} live spaces deleted ` +
      `(+${stats.flipDeleted} after a bit flip turned a name into another valid name), seed=${seed}`)
    for (const line of flipped) figure(`  undetectable: ${line}`)
    expect(problems).toEqual([])
  }, 120_000)
})

describe('damaged access logs (seeded damage)', () => {
  test('never a crash, never a deletion of a live space, and the next clean run is clean', async () => {
    const seed = seedOf(8003)
    const random = prng(seed)
    const project = npmProject(path.join(box.tmp, 'p1'), ['live-a', 'live-b', '@scope/live-c'])
    const live = [['live-a', 'k1'], ['live-b', 'k1'], ['@scope/live-c', 'k1'], [null, 'shared']] as const
    for (const [owner, key] of live) {
      fs.mkdirSync(space(owner, key), { recursive: true })
      fs.writeFileSync(path.join(space(owner, key), 'f'), 'x')
      recordUse(box.store, { owner, key }, project, Date.now() - 3_600_000)
    }
    await runGc()
    for (let i = 0; i < 30; i++) recordUse(box.store, { owner: live[i % 3][0], key: 'k1', caller: `caller-${i}` }, project, Date.now() - 60_000)
    const book = bookkeepingDir(box.store)
    const saved = new Map(fs.readdirSync(book).filter((n) => /^(access\.|registry\.json|orphans\.json)/.test(n)).map((n) => [n, fs.readFileSync(path.join(book, n))]))
    const targets = [...saved.keys()]
    let crashes = 0
    let liveDeleted = 0
    let holds = 0
    const problems: string[] = []
    let variants = 0
    for (let v = 0; v < 120; v++) {
      for (const [name, data] of saved) fs.writeFileSync(path.join(book, name), data)
      // Damage one to three of the log and state files at once.
      const count = 1 + Math.floor(random() * 3)
      const done: string[] = []
      for (let c = 0; c < count; c++) {
        const name = targets[Math.floor(random() * targets.length)]
        // Log lines carry a checksum, so any damage is fair. The JSON state files do not: damage
        // that leaves valid JSON (a flipped letter in a name) cannot be told from a real edit, so
        // they get the damage a crash or a full disk makes (cuts, empty, garbage).
        const kinds = name.startsWith('access.') ? DAMAGES : DAMAGES.filter((d) => STRUCTURAL.has(d.name))
        const damage = kinds[Math.floor(random() * kinds.length)]
        fs.writeFileSync(path.join(book, name), damage.apply(fs.readFileSync(path.join(book, name)), random))
        done.push(`${name}: ${damage.name}`)
      }
      variants++
      let report: Awaited<ReturnType<typeof runGc>> | null = null
      try {
        report = await runGc()
        if (report.warnings.some((w) => w.includes('deletes nothing'))) holds++
      } catch (err) {
        crashes++
        problems.push(`${done.join(', ')}: gc threw ${String(err)}`)
      }
      for (const [owner, key] of live) {
        if (!fs.existsSync(path.join(space(owner, key), 'f'))) {
          liveDeleted++
          const entry = report?.spaces.find((s) => s.owner === owner && s.key === key)
          problems.push(`${done.join(', ')}: ${owner ?? '_global'}/${key} deleted (${entry?.reason})`)
          fs.mkdirSync(space(owner, key), { recursive: true })
          fs.writeFileSync(path.join(space(owner, key), 'f'), 'x')
        }
      }
    }
    figure(`hostile access logs: ${variants} runs over damaged logs (${DAMAGES.length} kinds of damage) and registry/marks (${STRUCTURAL.size} kinds), 1-3 files at once: ` +
      `${crashes} crashes, ${liveDeleted} live spaces deleted, ${holds} runs held deletions because a state file was rebuilt, seed=${seed}`)
    expect(problems).toEqual([])
  }, 60_000)
})

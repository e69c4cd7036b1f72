/**
 * The store the first revision wrote (test/fixtures/r1-store), copied into a fresh directory and
 * relocated there: the fixture names absolute paths under the directory it was made in, which
 * are replaced by the new one. Log lines get their checksum computed again with the package's own
 * function, and registry.json its `"checksum"` member, so each is what the first revision would
 * have written at the new place; nothing else changes (see the fixture's README.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import { checksum } from '../../src/runtime/checksum'
import { bookkeepingDir } from '../../src/runtime/layout'

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'r1-store')

export interface R1Store {
  /** The store root (`<dir>/store`). */
  store: string
  /** The projects' directory (`<dir>/work`). */
  work: string
  /** Space ids the fixture expects live and orphaned. */
  spaces: { live: string[]; orphaned: string[] }
}

function relocateLog(file: string, from: string, to: string): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n').map((line) => {
    if (line === '') return line
    // Every line of the fixture is intact: the checksum it had must match before it is replaced.
    const json = line.slice(9)
    if (checksum(json) !== line.slice(0, 8)) throw new Error(`${file}: a line of the fixture is damaged: ${line}`)
    const moved = json.split(from).join(to)
    return `${checksum(moved)} ${moved}`
  })
  fs.writeFileSync(file, lines.join('\n'))
}

const SEAL = /,"checksum":"([0-9a-f]{8})"\}$/

function relocateSealed(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8')
  const seal = SEAL.exec(text)
  if (seal === null || checksum(`${text.slice(0, seal.index)}}`) !== seal[1]) throw new Error(`${file}: the fixture's seal does not match`)
  const body = `${text.slice(0, seal.index).split(from).join(to)}}`
  fs.writeFileSync(file, `${body.slice(0, -1)},"checksum":"${checksum(body)}"}`)
}

/** Copies the fixture into `dir` (fresh, empty) and relocates it there. */
export function r1Store(dir: string): R1Store {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'fixture.json'), 'utf8')) as { base: string; spaces: R1Store['spaces'] }
  for (const part of ['store', 'work']) fs.cpSync(path.join(FIXTURE, part), path.join(dir, part), { recursive: true })
  const book = bookkeepingDir(path.join(dir, 'store'))
  for (const name of fs.readdirSync(book)) {
    const file = path.join(book, name)
    if (name.endsWith('.log')) relocateLog(file, meta.base, dir)
    else if (name.endsWith('.json')) relocateSealed(file, meta.base, dir)
  }
  return { store: path.join(dir, 'store'), work: path.join(dir, 'work'), spaces: meta.spaces }
}

/**
 * The detached trash emptier the install-time sweep starts is not started again for entries it
 * has already tried: a trash entry the store's user cannot remove (a directory of another user
 * inside it) would otherwise start a process at every install. Run for real as an unprivileged
 * user (setpriv, uid 65534) over a store that user owns, with a root-owned directory in its trash.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { trashDir } from '../../src/runtime/layout'
import { sealedJson } from '../../src/store/atomic'
import { lastEmptierPath } from '../../src/gc/background'
import { NOBODY, buildSnapshot, cannotDropPrivileges, removeSnapshot, waitFor, type Snapshot } from './support'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))
jest.setTimeout(120_000)


/** `scratch gc --project` as uid/gid 65534, as the npm script runs it after an install. */
function sweepAsNobody(project: string): void {
  const argv = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, snapshot!.cli, 'gc', '--project', project]
  execFileSync('setpriv', argv, { env: { ...process.env, SCRATCHSPACE_DIR: box.store, HOME: box.tmp, NO_COLOR: '1' }, cwd: box.tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

interface EmptierStart { at: string; entries: string[] }

function lastStart(): EmptierStart | null {
  try {
    return JSON.parse(fs.readFileSync(lastEmptierPath(box.store), 'utf8')) as EmptierStart
  } catch {
    return null
  }
}

test('an entry the emptier cannot remove starts it once an hour, not at every install; a new entry starts it at once', async () => {
  const why = cannotDropPrivileges()
  if (why !== null) {
    console.log(`skipped: ${why}`)
    return
  }
  const project = npmProject(path.join(box.tmp, 'p1'), ['kept-pkg'])
  makeSpace(box.store, 'kept-pkg', 'cache', 1)
  recordUse(box.store, { owner: 'kept-pkg', key: 'cache' }, project, Date.now() - DAY)
  const trash = trashDir(box.store)
  const stuck = path.join(trash, 'stuck-entry')
  fs.mkdirSync(path.join(stuck, 'theirs'), { recursive: true })
  fs.writeFileSync(path.join(stuck, 'theirs', 'file'), 'x')
  fs.chmodSync(snapshot!.dir, 0o755)
  execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, box.store, box.tmp])
  // Another user's directory inside the entry: the store's user cannot empty it.
  execFileSync('chown', ['-R', '0:0', path.join(stuck, 'theirs')])

  sweepAsNobody(project)
  const first = lastStart()
  expect(first?.entries).toEqual(['stuck-entry'])
  const firstBytes = fs.readFileSync(lastEmptierPath(box.store), 'utf8')

  // Nothing new in the trash: the emptier started a moment ago has tried it all.
  sweepAsNobody(project)
  expect(fs.readFileSync(lastEmptierPath(box.store), 'utf8')).toBe(firstBytes)
  expect(fs.existsSync(path.join(stuck, 'theirs', 'file'))).toBe(true)

  // A new entry (one the user can remove) starts it again, and it really empties that one.
  const fresh = path.join(trash, 'fresh-entry')
  fs.mkdirSync(fresh)
  fs.writeFileSync(path.join(fresh, 'file'), 'y')
  execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, fresh])
  sweepAsNobody(project)
  expect(lastStart()?.entries).toEqual(['fresh-entry', 'stuck-entry'])
  expect(await waitFor(() => !fs.existsSync(fresh), 30_000)).toBe(true)

  // An hour later the stuck entry is tried again.
  const record = path.join(path.dirname(lastEmptierPath(box.store)), 'aged.json')
  fs.writeFileSync(record, sealedJson({ version: 1, at: new Date(Date.now() - 2 * 3600_000).toISOString(), entries: ['stuck-entry'] }))
  fs.renameSync(record, lastEmptierPath(box.store))
  execFileSync('chown', [`${NOBODY}:${NOBODY}`, lastEmptierPath(box.store)])
  sweepAsNobody(project)
  const retried = lastStart()
  expect(retried?.entries).toEqual(['stuck-entry'])
  expect(Date.now() - Date.parse(retried!.at)).toBeLessThan(60_000)
})

/**
 * An unreadable directory inside a space, for real: gc, list and the scoped sweep run as an
 * unprivileged user (setpriv, uid 65534) over a store that user owns, where mode 000 directories
 * really refuse to be read (root would bypass the check). The space with such a directory is
 * kept with the reason (verdict orphaned, action keep); everything else goes on; exit 0.
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { NOBODY, buildSnapshot, cannotDropPrivileges, figure, removeSnapshot, type ChildResult, type Snapshot } from './support'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))


/** Runs the snapshot CLI as uid/gid 65534 against `store`. */
function cliAsNobody(store: string, args: string[]): Promise<ChildResult> {
  const started = Date.now()
  const child = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, snapshot!.cli, ...args], {
    env: { ...process.env, SCRATCHSPACE_DIR: store, HOME: box.tmp, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], cwd: box.tmp,
  })
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }))
  })
}

/** `dir/locked` (with a file) made mode 000 after the store is handed to nobody. */
function lockedInside(dir: string): string {
  const locked = path.join(dir, 'locked')
  fs.mkdirSync(locked)
  fs.writeFileSync(path.join(locked, 'secret'), 's')
  return locked
}

interface Row { owner: string; action: string; reason: string }

test('gc, list and gc --project as an unprivileged user: the space with a mode-000 directory is kept with the reason; exit 0', async () => {
  const why = cannotDropPrivileges()
  if (why !== null) {
    console.log(`skipped: ${why}`)
    return
  }
  fs.chmodSync(box.tmp, 0o755)
  fs.chmodSync(snapshot!.dir, 0o755)
  const p1 = npmProject(path.join(box.tmp, 'p1'), ['live-c'])
  const lockedOrphan = lockedInside(makeSpace(box.store, 'gone-a', 'cache'))
  makeSpace(box.store, 'gone-b', 'cache')
  const lockedLive = lockedInside(makeSpace(box.store, 'live-c', 'cache'))
  for (const owner of ['gone-a', 'gone-b', 'live-c']) recordUse(box.store, { owner, key: 'cache' }, p1, Date.now() - 9 * DAY)
  execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, box.store])
  for (const dir of [lockedOrphan, lockedLive]) fs.chmodSync(dir, 0o000)
  try {
    const list = await cliAsNobody(box.store, ['list', '--json'])
    expect(list.stderr).not.toMatch(/\n\s+at |EACCES: permission denied, scandir/)
    expect(list.stderr).toBe("")
    expect(list.code).toBe(0)
    const listed = (JSON.parse(list.stdout) as { spaces: Row[] }).spaces
    expect(listed.map((s) => [s.owner, s.action])).toEqual([['gone-a', 'keep'], ['gone-b', 'delete'], ['live-c', 'keep']])
    expect(listed[0].reason).toMatch(/EACCES.*locked/)
    expect(listed[2].reason).toMatch(/EACCES.*locked/)

    const sweep = await cliAsNobody(box.store, ['gc', '--project', p1, '--json'])
    expect(sweep.code).toBe(0)
    expect(sweep.stderr).not.toMatch(/skipped|\n\s+at /)
    const swept = (JSON.parse(sweep.stdout) as { spaces: Row[] }).spaces
    expect(swept.map((s) => [s.owner, s.action])).toEqual([['gone-a', 'keep'], ['gone-b', 'deleted']])
    expect(swept[0].reason).toMatch(/EACCES/)

    const gc = await cliAsNobody(box.store, ['gc', '--json'])
    expect(gc.stderr).toBe('')
    expect(gc.code).toBe(0)
    const ran = (JSON.parse(gc.stdout) as { spaces: Row[] }).spaces
    expect(ran.map((s) => [s.owner, s.action])).toEqual([['gone-a', 'keep'], ['live-c', 'keep']])
    expect(fs.existsSync(path.join(lockedOrphan, 'secret'))).toBe(true)
    figure(`unreadable directory (real uid ${NOBODY}, mode 000): list exit ${list.code}, gc --project exit ${sweep.code} (${sweep.ms} ms, not skipped), ` +
      `gc exit ${gc.code}; the space holding it kept ('${ran[0].reason}'), the other orphan deleted`)
  } finally {
    for (const dir of [lockedOrphan, lockedLive]) fs.chmodSync(dir, 0o700)
  }
})

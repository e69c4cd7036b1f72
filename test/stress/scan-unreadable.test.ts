/**
 * The scan of the store never aborts on a directory it cannot read (another user's owner
 * directory, a vanished /proc entry): such a directory holds no space this user could use, so
 * it lists nothing and the run goes on. Run for real as a non-root user (setpriv).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, cannotDropPrivileges, figure, removeSnapshot, type Snapshot } from './support'
import { BOOKKEEPING_DIR } from '../../src/runtime/layout'


describe('an unreadable directory in the store root', () => {
  const box = useSandbox()
  let snapshot: Snapshot | undefined
  beforeAll(async () => { snapshot = await buildSnapshot() }, 60_000)
  afterAll(() => removeSnapshot(snapshot))

  test('scratch list as another user lists the readable spaces and exits 0', () => {
    const why = cannotDropPrivileges()
    if (why !== null) {
      console.log(`skipped: ${why}`)
      return
    }
    fs.chmodSync(box.tmp, 0o755)
    fs.chmodSync(snapshot!.dir, 0o755)
    for (const dir of [BOOKKEEPING_DIR, 'pkg-a/cache', 'secret/k', '@scope/hidden/k']) fs.mkdirSync(path.join(box.store, dir), { recursive: true, mode: 0o755 })
    fs.writeFileSync(path.join(box.store, 'pkg-a', 'cache', 'data'), 'x')
    fs.chmodSync(path.join(box.store, 'secret'), 0o700)
    fs.chmodSync(path.join(box.store, '@scope'), 0o700)
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, snapshot!.cli, 'list', '--json'], {
      env: { ...process.env, SCRATCHSPACE_DIR: box.store, HOME: box.tmp }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    })
    const report = JSON.parse(out)
    expect(report.spaces.map((s: { owner: string; key: string }) => `${s.owner}/${s.key}`)).toEqual(['pkg-a/cache'])
    figure('scan: 2 unreadable owner directories (as user 65534): scratch list exit 0, 1 readable space listed')
  })
})

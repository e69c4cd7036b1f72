import fs from 'node:fs'
import path from 'node:path'
import { useSandbox } from '../runtime/support'
import { makeSpace } from '../gc/support'
import { scratch } from './support'

describe('scratch export / import', () => {
  const box = useSandbox()

  test('export prints the integrity alone on stdout; import with it installs the space', async () => {
    const space = makeSpace(box.store, 'my-lib', 'models', 300)
    fs.writeFileSync(path.join(space, 'weights.txt'), 'w1')
    const out = path.join(box.tmp, 'models.tgz')
    const exported = await scratch(box.store, ['export', 'my-lib', 'models', '-o', out])
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(/^sha512-[A-Za-z0-9+/]+=*\n$/)
    const integrity = exported.stdout.trim()

    const json = JSON.parse((await scratch(box.store, ['export', 'my-lib', 'models', '-o', out, '--json'])).stdout)
    expect(json).toEqual({ integrity, bytes: fs.statSync(out).size, file: out })

    const imported = await scratch(box.store, ['import', out, 'other-lib', 'models', '--integrity', integrity])
    expect(imported.code).toBe(0)
    expect(imported.stdout).toBe(`${path.join(box.store, 'other-lib', 'models')}\n`)
    expect(fs.readFileSync(path.join(box.store, 'other-lib', 'models', 'weights.txt'), 'utf8')).toBe('w1')
  })

  test('a wrong integrity fails with ERR_SCRATCH_INTEGRITY (exit 1) and installs nothing', async () => {
    makeSpace(box.store, 'my-lib', 'models')
    const out = path.join(box.tmp, 'models.tgz')
    await scratch(box.store, ['export', 'my-lib', 'models', '-o', out])
    const wrong = 'sha512-' + Buffer.alloc(64).toString('base64')
    const result = await scratch(box.store, ['import', out, 'other-lib', 'models', '--integrity', wrong])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^ERR_SCRATCH_INTEGRITY: /)
    expect(fs.existsSync(path.join(box.store, 'other-lib', 'models'))).toBe(false)
  })

  test('usage errors: export without -o, import with a bad key', async () => {
    expect((await scratch(box.store, ['export', 'my-lib', 'models'])).code).toBe(2)
    const bad = await scratch(box.store, ['import', path.join(box.tmp, 'x.tgz'), 'my-lib', '../up'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^ERR_SCRATCH_INVALID_KEY/)
    expect(fs.existsSync(box.store)).toBe(false)
  })
})

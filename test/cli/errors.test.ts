/** The CLI's error contract: coded errors in our own words, JSON errors, help, not-found paths. */
import fs from 'node:fs'
import path from 'node:path'
import { closestOption } from '../../src/cli/options'
import { useSandbox } from '../runtime/support'
import { makeSpace } from '../gc/support'
import { scratch } from './support'

describe('scratch CLI errors', () => {
  const box = useSandbox()

  test('an unknown option is ERR_SCRATCH_USAGE naming it, with a did-you-mean, and none of Node\'s parser text', async () => {
    const result = await scratch(box.store, ['gc', '--dryrun'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe("ERR_SCRATCH_USAGE: Unknown option --dryrun for 'scratch gc'; did you mean --dry-run?\n  hint: Run 'scratch gc --help' for usage and examples.\n")
    expect(result.stdout).toBe('')
    const far = await scratch(box.store, ['list', '--frobnicate=1'])
    expect(far.stderr).toMatch(/^ERR_SCRATCH_USAGE: Unknown option --frobnicate for 'scratch list'\n/)
    for (const args of [['gc', '--project'], ['gc', '--dry-run=yes'], ['export', 'a', 'b', '-o']]) {
      const bad = await scratch(box.store, args)
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/^ERR_SCRATCH_USAGE: Option (--project|--dry-run|-o) (needs a value|takes no value)\n/)
      expect(bad.stderr).not.toMatch(/positional argument|argument missing|does not take/)
    }
  })

  test.each([
    ['--dryrun', '--dry-run'], ['--dry_run', '--dry-run'], ['--jsno', '--json'], ['--max-ag', '--max-age'], ['--porject', '--project'], ['--zzz', null],
  ])('did you mean: %s → %s', (given, expected) => {
    expect(closestOption(given, ['dry-run', 'json', 'grace', 'max-age', 'project'])).toBe(expected)
  })

  test('with --json an error is one JSON document on stdout, with the usual exit code', async () => {
    const usage = await scratch(box.store, ['gc', '--json', '--grace', 'soon'])
    expect(usage.code).toBe(2)
    expect(JSON.parse(usage.stdout)).toEqual({ error: { code: 'ERR_SCRATCH_USAGE', message: expect.stringContaining('soon'), hint: expect.any(String) } })
    const missing = await scratch(box.store, ['register', path.join(box.tmp, 'nope'), '--json'])
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'ERR_SCRATCH_NOT_FOUND', message: expect.stringContaining(path.join(box.tmp, 'nope')) } })
  })

  test('scratch help gc prints gc\'s help; help of an unknown command is a usage error', async () => {
    const help = await scratch(box.store, ['help', 'gc'])
    expect(help.code).toBe(0)
    expect(help.stdout).toBe((await scratch(box.store, ['gc', '--help'])).stdout)
    expect(help.stdout).toMatch(/^Delete the scratch spaces/)
    expect((await scratch(box.store, ['help', 'nope'])).code).toBe(2)
  })

  test('scratch register /does/not/exist is ERR_SCRATCH_NOT_FOUND, exit 1, and registers nothing', async () => {
    const result = await scratch(box.store, ['register', '/does/not/exist'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^ERR_SCRATCH_NOT_FOUND: No such project directory: \/does\/not\/exist\n/)
    expect(result.stdout).toBe('')
  })

  test('export into a missing directory is ERR_SCRATCH_NOT_FOUND naming the directory, and writes nothing', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    const out = path.join(box.tmp, 'missing', 'dir', 'a.tgz')
    const result = await scratch(box.store, ['export', 'pkg-a', 'cache', '-o', out])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(new RegExp(`^ERR_SCRATCH_NOT_FOUND: No such directory ${path.dirname(out).replace(/[/.]/g, '\\$&')} `))
    expect(result.stderr).not.toMatch(/ENOENT|store/)
    expect(fs.existsSync(path.join(box.tmp, 'missing'))).toBe(false)
  })

  test('scratch path --json prints { path }', async () => {
    const result = await scratch(box.store, ['path', 'pkg-a', 'cache', '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ path: path.join(box.store, 'pkg-a', 'cache') })
    expect(JSON.parse((await scratch(box.store, ['path', '--json'])).stdout)).toEqual({ path: box.store })
  })
})

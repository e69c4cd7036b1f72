import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import { readLockfile } from '../../src/lockfiles'
import { MAX_READ_BYTES, readRegularFile } from '../../src/lockfiles/file'
import { readPackageJson } from '../../src/lockfiles/package-json'
import { parseYarnBerryLockfile, parseYarnBerryLockfileSlow } from '../../src/lockfiles/yarn-berry'
import { scanBerryLockfile } from '../../src/lockfiles/yarn-berry-scan'
import { zipEntry } from '../../src/lockfiles/zip-entry'
import { corpusEntries } from './corpus'
import { readFixture, useTempDirs } from './fixtures'

const temp = useTempDirs()

describe('readRegularFile', () => {
  test('a lockfile larger than 256 MiB is refused from its size, without reading it', () => {
    const file = path.join(temp.make(), 'package-lock.json')
    fs.writeFileSync(file, '')
    fs.truncateSync(file, MAX_READ_BYTES + 1) // sparse: no disk used, and no read may happen
    const read = jest.spyOn(fs, 'readSync')
    expect(readLockfile(file)).toEqual({ ok: false, kind: 'npm', reason: `${file}: larger than 256 MiB (${MAX_READ_BYTES + 1} bytes); not read` })
    expect(read).not.toHaveBeenCalled()
  })

  test('a symlink to a regular file is read; a dangling one is ENOENT', () => {
    const dir = temp.make()
    fs.writeFileSync(path.join(dir, 'real.json'), '{"name":"x"}')
    fs.symlinkSync('real.json', path.join(dir, 'package.json'))
    expect(readRegularFile(path.join(dir, 'package.json'))).toEqual({ ok: true, text: '{"name":"x"}' })
    fs.symlinkSync('missing', path.join(dir, 'dangling'))
    expect(readRegularFile(path.join(dir, 'dangling'))).toEqual({ ok: false, reason: 'cannot read: ENOENT', code: 'ENOENT' })
  })

  test('the whole file is read, also one larger than a read chunk', () => {
    const file = path.join(temp.make(), 'big')
    const text = 'x'.repeat(200_000) + 'é'
    fs.writeFileSync(file, text)
    expect(readRegularFile(file)).toEqual({ ok: true, text })
  })
})

describe('readPackageJson', () => {
  test('a UTF-8 BOM is read like any package.json; invalid JSON and non-objects are errors naming the file', () => {
    const dir = temp.make()
    const file = path.join(dir, 'package.json')
    fs.writeFileSync(file, '\uFEFF{"name":"bom"}\n')
    expect(readPackageJson(file)).toEqual({ ok: true, manifest: { name: 'bom' } })
    fs.writeFileSync(file, '{"name":')
    expect(readPackageJson(file)).toEqual({ ok: false, missing: false, code: null, reason: `${file}: invalid JSON` })
    fs.writeFileSync(file, '[1]')
    expect(readPackageJson(file)).toMatchObject({ ok: false, missing: false, reason: `${file}: not a JSON object` })
    expect(readPackageJson(path.join(dir, 'nope', 'package.json'))).toMatchObject({ ok: false, missing: true, code: 'ENOENT' })
  })
})

describe('the berry line scanner', () => {
  const berry = [
    ...['yarn-4.18.1', 'yarn-4.18.1-workspace', 'yarn-4.18.1-shapes'].map((dir) => [dir, readFixture(`${dir}/yarn.lock`)]),
    ...corpusEntries().filter((e) => e.lockfile === 'yarn.lock' && !e.text.includes('# yarn lockfile v1') && e.label.startsWith('corpus/')).map((e) => [e.label, e.text]),
  ]

  test.each(berry)('%s: reads every real berry lockfile, with the YAML parser\'s result', (_label, text) => {
    expect(scanBerryLockfile(text)).not.toBeNull()
    expect(parseYarnBerryLockfile(text)).toEqual(parseYarnBerryLockfileSlow(text))
  })

  test.each([
    ['a flow mapping', '__metadata:\n  version: 8\n\n"a@npm:1":\n  resolution: "a@npm:1.0.0"\n  dependencies: {b: npm:1}\n'],
    ['an anchor', '__metadata:\n  version: 8\n\n"a@npm:1": &x\n  resolution: "a@npm:1.0.0"\n'],
    ['a single-quoted key', "__metadata:\n  version: 8\n\n'a@npm:1':\n  resolution: \"a@npm:1.0.0\"\n"],
    ['tabs', '__metadata:\n\tversion: 8\n'],
    ['a duplicate key', '__metadata:\n  version: 8\n\n"a@npm:1":\n  resolution: "a@npm:1.0.0"\n\n"a@npm:1":\n  resolution: "a@npm:1.0.0"\n'],
    ['a duplicate key deep inside an entry', '__metadata:\n  version: 8\n\n"a@npm:1":\n  resolution: "a@npm:1.0.0"\n  peerDependenciesMeta:\n    b:\n      optional: true\n      optional: false\n'],
    ['a non-string resolution', '__metadata:\n  version: 8\n\n"a@npm:1":\n  resolution: 12\n'],
  ])('hands %s to the YAML parser, whose verdict stands', (_label, text) => {
    expect(scanBerryLockfile(text)).toBeNull()
    expect(parseYarnBerryLockfile(text)).toEqual(parseYarnBerryLockfileSlow(text))
  })
})

describe('zipEntry (package manifests inside yarn cache archives)', () => {
  test.each([['deflated', '-9'], ['stored', '-0']])('reads a %s entry written by the zip tool, and only that entry', (_label, level) => {
    const dir = temp.make()
    const manifest = JSON.stringify({ name: 'is-even', version: '1.0.0', description: 'x'.repeat(5000) })
    fs.mkdirSync(path.join(dir, 'node_modules', 'even-tar'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'node_modules', 'even-tar', 'package.json'), manifest)
    fs.writeFileSync(path.join(dir, 'node_modules', 'even-tar', 'index.js'), 'module.exports = 1\n')
    execFileSync('zip', ['-q', '-r', '-D', level, 'pkg.zip', 'node_modules'], { cwd: dir })
    const zip = fs.readFileSync(path.join(dir, 'pkg.zip'))
    expect(zipEntry(zip, 'node_modules/even-tar/package.json')?.toString('utf8')).toBe(manifest)
    expect(zipEntry(zip, 'node_modules/even-tar/missing.json')).toBeNull()
    expect(zipEntry(zip.subarray(0, zip.length - 30), 'node_modules/even-tar/package.json')).toBeNull()
    expect(zipEntry(Buffer.from('not a zip'), 'package.json')).toBeNull()
  })
})

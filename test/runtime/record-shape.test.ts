/** Which record shapes this version understands (docs/design.md, "Record versions"). */
import { encodeRecord, decodeLine } from '../../src/runtime/access-log'
import { unknownShape } from '../../src/runtime/record-shape'

const access = { t: 'access', space: 'pkg-a/cache', owner: 'pkg-a', caller: 'pkg-a', project: null, time: '2026-12-01T10:00:00.000Z', pid: 1 }

describe('record shapes', () => {
  test('what every writer of this version and the first revision writes is understood, with or without optional fields and v: 1', () => {
    for (const record of [
      access, { ...access, ownerVersion: '1.0.0', callerVersion: '2.0.0' }, { v: 1, ...access },
      { t: 'project', project: '/work/p', time: access.time, pid: 7 },
    ]) {
      expect([record, unknownShape(JSON.parse(JSON.stringify(record)))]).toEqual([record, null])
      expect(decodeLine(encodeRecord(record as never).trimEnd())).toEqual(record)
    }
  })

  test.each([
    [{ ...access, ownerVersion: null }, 'field "ownerVersion" of an access record is null'],
    [{ ...access, owner: 5 }, 'field "owner" of an access record is number'],
    [{ ...access, time: 1796164918951 }, 'field "time" of an access record is number'],
    [{ ...access, v: 0 }, 'an access record of version 0 (this version reads 1)'],
    [{ ...access, v: '1' }, 'an access record of version "1" (this version reads 1)'],
    [{ ...access, v: 1.5 }, 'an access record of version 1.5 (this version reads 1)'],
    [{ t: 'constructor' }, 'a record of unknown kind "constructor"'],
    [{ t: 5 }, 'a record of unknown kind 5'],
    [{ space: 'pkg-a/cache' }, 'a record of unknown kind undefined'],
    [{ t: 'project', project: '/p', time: access.time, pid: 1, space: 'x/y' }, 'unknown field "space" in a project record'],
  ])('%j: %s', (record, what) => {
    expect(unknownShape(record)).toBe(what)
  })

  test('a "__proto__" member is an unknown field, not a prototype', () => {
    expect(unknownShape(JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(access).slice(1)}`))).toBe('unknown field "__proto__" in an access record')
  })
})

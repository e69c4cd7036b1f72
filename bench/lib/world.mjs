// The projects every gc-side suite shares: written once per run, on demand, in order (project i
// depends only on the seed and i, so a suite asking for 100 gets the first 100 of the 1,000).
import fs from 'node:fs'
import path from 'node:path'
import { makePool } from './gen-lockfile.mjs'
import { writeProjects } from './gen-world.mjs'

export function createWorld({ seed, work, quick }) {
  const pool = makePool(seed, quick ? 2000 : 5000)
  const dir = path.join(work, 'projects')
  const outsideDir = path.join(work, 'outside')
  fs.mkdirSync(outsideDir, { recursive: true })
  const projects = []
  return {
    pool,
    outsideDir,
    /** The first `count` projects, writing the missing ones. */
    projects(count) {
      if (projects.length < count) projects.push(...writeProjects({ seed, dir, count, pool, from: projects.length }))
      return projects.slice(0, count)
    },
  }
}

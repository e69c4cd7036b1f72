// A package that uses scratch spaces, installed the way pnpm installs it:
// <project>/node_modules/.pnpm/bench-owner@1.0.0/node_modules/bench-owner (+ the top-level symlink),
// in a project with a pnpm-lock.yaml, so owner and project detection do their real work.
import fs from 'node:fs'
import path from 'node:path'

export const OWNER_NAME = 'bench-owner'

export function createOwnerFixture(work) {
  const projectDir = path.join(work, 'runtime-project')
  const ownerDir = path.join(projectDir, 'node_modules', '.pnpm', `${OWNER_NAME}@1.0.0`, 'node_modules', OWNER_NAME)
  fs.mkdirSync(path.join(ownerDir, 'lib'), { recursive: true })
  fs.writeFileSync(path.join(projectDir, 'package.json'), JSON.stringify({ name: 'runtime-project', version: '1.0.0', dependencies: { [OWNER_NAME]: '1.0.0' } }))
  fs.writeFileSync(path.join(projectDir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n")
  // A name-less dist/package.json like many packages ship, which owner resolution must skip.
  fs.writeFileSync(path.join(ownerDir, 'lib', 'package.json'), JSON.stringify({ type: 'commonjs' }))
  fs.writeFileSync(path.join(ownerDir, 'package.json'), JSON.stringify({ name: OWNER_NAME, version: '1.0.0', main: 'lib/index.js' }))
  fs.writeFileSync(path.join(ownerDir, 'lib', 'index.js'), '')
  const link = path.join(projectDir, 'node_modules', OWNER_NAME)
  if (!fs.existsSync(link)) fs.symlinkSync(path.relative(path.dirname(link), ownerDir), link, 'dir')
  const store = path.join(work, 'runtime-store')
  fs.mkdirSync(store, { recursive: true })
  return { projectDir, ownerDir, moduleDir: path.join(ownerDir, 'lib'), store }
}

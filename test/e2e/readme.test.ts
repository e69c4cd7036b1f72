/**
 * The README's set-up commands are the ones the adoption e2e tests run (adoption-npm.test.ts,
 * adoption-pnpm.test.ts drive each of these, with real npm 11 and pnpm 10/11/12), and no command
 * the docs show can resolve to another registry package (a bare `npx scratch`).
 */
import fs from 'node:fs'
import path from 'node:path'
import { repoRoot } from './harness'

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')

/** The commands of the `sh` code blocks in a section, comments and blank lines dropped. */
function commands(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line !== '')
}

test('the set-up section lists exactly the commands the adoption e2e tests run', () => {
  const start = readme.indexOf('## Automatic cleanup')
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
  expect(commands(section)).toEqual([
    'pnpm add --config pnpm-plugin-scratch',
    'pnpm dlx pnpm-plugin-scratch gc',
    'pnpm add --save-dev pnpm-plugin-scratch',
    'pnpm scratch init',
    'pnpm scratch gc',
    'pnpm scratch init --undo',
    'npm install --save-dev pnpm-plugin-scratch',
    'npx pnpm-plugin-scratch init',
    'npx pnpm-plugin-scratch init --undo',
  ])
})

test('the README opens with npm ci, then the demo and the tests; the stress suite is listed apart', () => {
  expect(commands(readme).slice(0, 4)).toEqual(['npm ci', 'npm run demo', 'npm test', 'npm run test:stress'])
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  expect(pkg.scripts.test).not.toMatch(/stress/)
  expect(pkg.scripts['test:stress']).toMatch(/--selectProjects stress/)
  expect(fs.readFileSync(path.join(repoRoot, '.ci', 'run'), 'utf8')).toMatch(/^npm run test:stress/m)
})

test('no doc, help text or init message shows a bare `npx scratch`', () => {
  const shown = [readme, fs.readFileSync(path.join(repoRoot, 'docs', 'design.md'), 'utf8')]
  for (const dir of ['src/cli', 'src/cli/commands', 'src/integration']) {
    for (const file of fs.readdirSync(path.join(repoRoot, dir)).filter((f) => f.endsWith('.ts'))) shown.push(fs.readFileSync(path.join(repoRoot, dir, file), 'utf8'))
  }
  for (const text of shown) {
    // The README warns about it once, in prose: "A bare `npx scratch` outside such a project …".
    expect(text.replace('A bare\n`npx scratch` outside', '').replace('A bare `npx scratch` outside', '')).not.toMatch(/npx scratch\b/)
  }
})

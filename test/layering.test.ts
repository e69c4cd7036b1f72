import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

// The rooms of the code and the one-way doors between them (docs/design.md, "Changing the
// code"). Every import, export-from, import() and require() in src/ and hooks/ is read with the
// TypeScript parser; type-only imports are left out (they vanish from the bundles).

const repo = path.resolve(__dirname, '..')

/**
 * Leaf modules: any room may import them, and they import nothing of ours but other leaves
 * (and Node builtins).
 */
const LEAVES = [
  'src/errors.ts',
  'src/bytes.ts',
  'src/lockfiles/kinds.ts',
  'src/lockfiles/types.ts',
  'src/lockfiles/file.ts',
  'src/lockfiles/package-json.ts',
]

type Room = 'leaf' | 'runtime' | 'store' | 'lockfiles' | 'archive' | 'gc' | 'integration' | 'cli' | 'hooks' | 'entry'

function roomOf(rel: string): Room {
  if (LEAVES.includes(rel)) return 'leaf'
  // The bundle entries put rooms together; nothing imports them.
  if (rel === 'src/index.ts' || rel === 'hooks/gc-entry.ts') return 'entry'
  if (rel.startsWith('hooks/')) return 'hooks'
  const room = rel.split('/')[1]
  if (['runtime', 'store', 'lockfiles', 'archive', 'gc', 'integration', 'cli'].includes(room)) return room as Room
  throw new Error(`${rel} belongs to no room: add it to a room or to LEAVES`)
}

/** For each room, the rooms it may import (its own room always). */
const MAY_IMPORT: Record<Room, Room[]> = {
  leaf: [],
  runtime: ['leaf'],
  lockfiles: ['leaf'],
  store: ['leaf', 'runtime'],
  archive: ['leaf', 'runtime'],
  integration: ['leaf', 'runtime', 'store', 'lockfiles'],
  gc: ['leaf', 'runtime', 'store', 'lockfiles', 'archive', 'integration'],
  cli: ['leaf', 'runtime', 'store', 'lockfiles', 'archive', 'integration', 'gc'],
  hooks: ['leaf', 'runtime', 'store', 'lockfiles', 'gc', 'integration'],
  entry: ['leaf', 'runtime', 'store', 'lockfiles', 'archive', 'gc', 'integration', 'cli', 'hooks'],
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`
    if (entry.isDirectory()) out.push(...sourceFiles(rel))
    else if (entry.name.endsWith('.ts')) out.push(rel)
  }
  return out
}

/** The value imports of a file: module specifiers, relative ones resolved to repository paths. */
export function valueImports(rel: string): string[] {
  const text = fs.readFileSync(path.join(repo, rel), 'utf8')
  const file = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true)
  const specs: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      if (!typeOnly) specs.push(node.moduleSpecifier.text)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) specs.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      specs.push(node.arguments[0].text)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return specs.filter((s) => s.startsWith('.')).map((s) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(rel), s))
    for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (fs.existsSync(path.join(repo, candidate))) return candidate
    throw new Error(`${rel}: import ${s} resolves to no file`)
  })
}

const files = [...sourceFiles('src'), ...sourceFiles('hooks')]

test('the parser sees every kind of import (a check that the check works)', () => {
  expect(valueImports('hooks/gc-entry.ts')).toEqual(expect.arrayContaining(['src/gc/index.ts', 'src/cli/main.ts', 'hooks/pnpm-hook.ts']))
  // src/index.ts re-exports a type next to values: the type-only line is not a door.
  expect(valueImports('src/index.ts')).not.toContain('src/runtime/owner.ts')
  expect(files.length).toBeGreaterThan(100)
})

test('every import goes through a door the rooms allow', () => {
  const violations: string[] = []
  for (const rel of files) {
    const from = roomOf(rel)
    for (const target of valueImports(rel)) {
      const to = roomOf(target)
      if (to !== from && !MAY_IMPORT[from].includes(to)) violations.push(`${rel} (${from}) imports ${target} (${to})`)
    }
  }
  expect(violations).toEqual([])
})

test('leaf modules import only leaf modules', () => {
  for (const rel of LEAVES) expect(fs.existsSync(path.join(repo, rel))).toBe(true)
  const violations = LEAVES.flatMap((rel) => valueImports(rel).filter((t) => !LEAVES.includes(t)).map((t) => `${rel} imports ${t}`))
  expect(violations).toEqual([])
})

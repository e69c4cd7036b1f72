import { isLoosePackageName, nameFromKey, namesFromDescriptor } from './names'
import { fail, isRecord, jsonObject, type NamesResult } from './types'

const NPM = 'npm:'

/**
 * Names from a Deno `deno.lock`, `version` `"4"` or `"5"` (Deno 2): the keys of its `npm` section
 * (`name@version`, peers after `_`: `@preact/signals@1.3.1_preact@10.25.1`) and the package of
 * every `npm:` specifier (`npm:@babel/core@^7.28.0`). `jsr:` and remote modules are not npm
 * packages and have no scratch spaces of their own. Importer directories: `'.'` and the
 * workspace members.
 *
 * Checked like the other readers, so a damaged file is unknown, never a smaller project: every
 * `npm:` specifier must resolve to an `npm` entry, and every dependency an entry lists must have
 * an entry of that name.
 */
export function parseDenoLockfile(text: string): NamesResult {
  const read = jsonObject(text)
  if (!read.ok) return read
  const lock = read.value
  if (lock.version !== '4' && lock.version !== '5') return fail(`unsupported deno.lock version ${JSON.stringify(lock.version)}`)
  const npm = lock.npm ?? {}
  const specifiers = lock.specifiers ?? {}
  if (!isRecord(npm)) return fail('npm is not a map')
  if (!isRecord(specifiers)) return fail('specifiers is not a map')

  const names = new Set<string>()
  const required: string[] = []
  for (const [key, entry] of Object.entries(npm)) {
    const name = nameFromKey(key)
    if (name === null) return fail(`malformed npm key ${JSON.stringify(key)}`)
    if (!isRecord(entry)) return fail(`npm entry ${JSON.stringify(key)} is not a map (truncated?)`)
    names.add(name)
    for (const field of ['dependencies', 'optionalDependencies']) {
      const deps = entry[field]
      if (deps === undefined) continue
      if (!Array.isArray(deps)) return fail(`npm entry ${JSON.stringify(key)} ${field} is not a list`)
      for (const dep of deps) {
        // A name, `name@version[_peers]` when several versions are locked, or an npm alias
        // `alias@npm:name@version` (the alias is installed under its own name too).
        const found = typeof dep !== 'string' ? null
          : isLoosePackageName(dep) ? [dep]
            : dep.includes('@npm:') ? namesFromDescriptor(dep)
              : nameOrNull(nameFromKey(dep))
        if (found === null) return fail(`npm entry ${JSON.stringify(key)} has a malformed dependency ${JSON.stringify(dep)}`)
        if (found.length > 1) names.add(found[0])
        required.push(found[found.length - 1])
      }
    }
  }
  for (const [specifier, resolved] of Object.entries(specifiers)) {
    if (!specifier.startsWith(NPM)) continue
    const name = nameFromKey(specifier.slice(NPM.length))
    if (name === null || typeof resolved !== 'string') return fail(`malformed specifier ${JSON.stringify(specifier)}`)
    if (!Object.hasOwn(npm, `${name}@${resolved}`)) return fail(`inconsistent lockfile (truncated?): ${specifier} resolves to ${name}@${resolved}, which has no npm entry`)
    names.add(name)
  }
  for (const name of required) if (!names.has(name)) return fail(`inconsistent lockfile (truncated?): ${name} is a dependency but has no entry`)
  const importerDirs = ['.']
  const workspace = lock.workspace
  if (isRecord(workspace) && isRecord(workspace.members)) importerDirs.push(...Object.keys(workspace.members).filter((dir) => dir !== '.'))
  return { ok: true, names, importerDirs }
}

function nameOrNull(name: string | null): string[] | null {
  return name === null ? null : [name]
}

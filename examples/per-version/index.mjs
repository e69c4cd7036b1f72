// Example: per-version scratch spaces with versionedKey.
//
//   node index.mjs     (SCRATCHSPACE_DIR=/tmp/some-store node index.mjs for a throw-away store)
//
// installed/ holds three versions of one package, `example-compiler` 1.4.2, 1.4.7 and 1.5.0,
// side by side as pnpm's store would (node_modules/.pnpm/example-compiler@1.4.2/…). Each asks
// for its compiled-output space with versionedKey('compiled', itsVersion): the two 1.4.x
// versions share `compiled-1.4`, 1.5.0 gets `compiled-1.5`. Both live in the one namespace
// `<store>/example-compiler/`, so gc removes them with the package.
import fs from 'node:fs'
import { scratchDir, versionedKey } from 'pnpm-plugin-scratch'

console.log(`store: ${scratchDir()}`)
for (const version of ['1.4.2', '1.4.7', '1.5.0']) {
  const { space } = await import(`./installed/example-compiler@${version}/index.mjs`)
  const builtBy = fs.readFileSync(`${space.dir}/built-by.txt`, 'utf8').trim()
  console.log(`${space.name}@${space.version.padEnd(6)} -> ${space.key.padEnd(12)} ${space.dir} (built by ${builtBy})`)
}
console.log(`spaces of example-compiler: ${fs.readdirSync(scratchDir('example-compiler')).sort().join(', ')}`)

console.log('granularity for 1.4.2-beta.1:')
for (const granularity of ['major', 'minor', 'patch']) {
  console.log(`  versionedKey('compiled', '1.4.2-beta.1', '${granularity}') = '${versionedKey('compiled', '1.4.2-beta.1', granularity)}'`)
}

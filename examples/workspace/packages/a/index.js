'use strict'
// @example-ws/a (CommonJS): builds a search index into its own scratch space when loaded.
// The owner is found from __dirname: the nearest package.json with a name is this package's.
const fs = require('node:fs')
const path = require('node:path')
const { getScratch } = require('pnpm-plugin-scratch')

const index = getScratch('search-index', __dirname) // <store>/@example-ws/a/search-index
const file = path.join(index, 'terms.json')
if (!fs.existsSync(file)) fs.writeFileSync(file, `${JSON.stringify({ scratch: [1, 4], space: [2] })}\n`)

module.exports = { name: '@example-ws/a', space: index }

module.exports = require('./dist/pnpm-hook.cjs')

import fs from 'node:fs'
import path from 'node:path'
import { ScratchError } from '../errors'

/**
 * The yarn plugin file, composed when `scratch init` wires a yarn berry project. yarn loads a
 * plugin from the project before it installs anything, so the file must hold all the code it
 * runs; the package ships that code once, in `dist/gc.cjs` (which requires the runtime entry
 * `dist/index.cjs` and lazily `dist/yaml.cjs`). The plugin file is a small loader followed by the text of those bundles
 * as string literals in a module table. yarn loads every plugin on every command, and a string
 * costs next to nothing to load (the same code as function source: V8 pre-parses it, ~4 ms), so a
 * bundle is compiled and evaluated only when the hook first needs it (docs/design.md, "yarn berry").
 *
 * The file is a function of the package alone (version and bundle texts, no paths or times), so
 * the same package always writes the same bytes and re-running init changes nothing.
 */

/** The bundles the plugin embeds, by the id the code requires them with (`require('./yaml.cjs')`). */
const EMBEDDED = ['./gc.cjs', './index.cjs', './yaml.cjs'] as const

/** The first line: who wrote the file, which package version, and the digest of the rest. */
const HEADER = /^\/\* pnpm-plugin-scratch (\S+) yarn plugin, sha256 ([0-9a-f]{64}) \*\/\n/

// The loader runs in the plugin file's own CommonJS scope (yarn `require`s the file). A bundle is
// compiled as Node compiles a CommonJS module (the same wrapper parameters, in the main context,
// so its free names mean what they mean in a file of its own). Builtins go to the real
// `require`; the table holds everything else the hook can reach. A failed evaluation leaves no
// half-loaded module behind, as in Node. Even a bundle that fails to load only makes the hook
// warn: a hook that throws fails the yarn command.
const LOADER = `(function (sources) {
  "use strict";
  var cache = Object.create(null);
  function load(id) {
    var cached = cache[id];
    if (cached !== undefined) return cached.exports;
    var mod = cache[id] = { id: id, exports: {} };
    try {
      var params = ["exports", "require", "module", "__filename", "__dirname"];
      var compiled = require("node:vm").compileFunction(sources[id], params, { filename: __filename + "#" + id });
      compiled.call(mod.exports, mod.exports, requireIn, mod, __filename, __dirname);
    } catch (err) {
      delete cache[id];
      throw err;
    }
    return mod.exports;
  }
  function requireIn(id) {
    if (Object.prototype.hasOwnProperty.call(sources, id)) return load(id);
    if (require("node:module").isBuiltin(id)) return require(id);
    throw new Error("pnpm-plugin-scratch: " + id + " is not part of the yarn plugin");
  }
  function warn(options, err) {
    try {
      var line = "pnpm-plugin-scratch: warning: scratch spaces not swept: " + (err instanceof Error ? err.message : String(err));
      var report = options && options.report;
      if (report && typeof report.reportWarning === "function") report.reportWarning(0, line);
      else process.stderr.write(line + "\\n");
    } catch (ignored) {
      // Nowhere left to report to; the install matters more.
    }
  }
  module.exports = {
    name: "pnpm-plugin-scratch",
    factory: function () {
      return {
        hooks: {
          afterAllInstalled: function (project, options) {
            var hooks;
            try {
              hooks = load("./gc.cjs").yarnHooks;
            } catch (err) {
              warn(options, err);
              return;
            }
            return hooks.afterAllInstalled(project, options);
          },
        },
      };
    },
  };
})({
`

export interface PluginSource {
  /** The package's `dist/` to compose from; default: the one this code runs from. */
  distDir?: string
}

/** The composed plugin: its text, and the package version and digest its header names. */
export interface ComposedPlugin {
  text: string
  version: string
  digest: string
}

function distDirOf(opts: PluginSource): string {
  if (opts.distDir !== undefined) return opts.distDir
  // Bundled, this code is dist/gc.cjs itself; from the sources (tests), the built dist/.
  const candidates = [__dirname, path.resolve(__dirname, '..', '..', 'dist')]
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'gc.cjs'))) ?? candidates[0]
}

function readShipped(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new ScratchError('ERR_SCRATCH_NOT_FOUND', `A file of pnpm-plugin-scratch that the yarn plugin is made from is missing: ${file}`, {
      hint: 'Reinstall pnpm-plugin-scratch (its dist/ ships with the package), then run scratch init again.',
      cause: err,
    })
  }
}

function versionOf(distDir: string): string {
  try {
    const version: unknown = JSON.parse(fs.readFileSync(path.join(distDir, '..', 'package.json'), 'utf8')).version
    return typeof version === 'string' && /^\S+$/.test(version) ? version : 'unknown'
  } catch {
    // The version only labels the file; the digest tells copies apart.
    return 'unknown'
  }
}

// node:crypto is loaded here, by `scratch init` alone: loading it costs ~3 ms, which every other
// CLI run and every install loading the hook would pay.
const sha256 = (text: string): string => (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text).digest('hex')

function entry(id: string, code: string, version: string): string {
  // The digest lets a reviewer check the embedded text against the installed package's file.
  return `// ${id}: dist/${id.slice(2)} of pnpm-plugin-scratch ${version}, sha256 ${sha256(code)}\n${JSON.stringify(id)}: ${JSON.stringify(code)}`
}

/** Composes the plugin file from the package's built bundles; throws ERR_SCRATCH_NOT_FOUND naming a missing one. */
export function composeYarnPlugin(opts: PluginSource = {}): ComposedPlugin {
  const distDir = distDirOf(opts)
  const version = versionOf(distDir)
  const entries = EMBEDDED.map((id) => entry(id, readShipped(path.join(distDir, id)), version))
  const body = '/* Written by `scratch init` from the dist/gc.cjs, index.cjs and yaml.cjs of pnpm-plugin-scratch: a\n' +
    ' * loader, then the text of the bundles. Commit it with the project; run `scratch init` again after\n' +
    ' * upgrading the package to update it. Do not edit: init replaces a file that differs. */\n' +
    `${LOADER}${entries.join(',\n')}\n});\n`
  const digest = sha256(body)
  return { text: `/* pnpm-plugin-scratch ${version} yarn plugin, sha256 ${digest} */\n${body}`, version, digest }
}

/** What an existing plugin file is, for init's report of what it replaces. */
export function describePluginFile(text: string): string {
  const header = HEADER.exec(text)
  if (header === null) return 'an older copy of the plugin'
  const intact = sha256(text.slice(header[0].length)) === header[2]
  return intact ? `the yarn plugin of pnpm-plugin-scratch ${header[1]}` : `an edited copy of the yarn plugin of pnpm-plugin-scratch ${header[1]}`
}

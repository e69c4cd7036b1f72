import { storeStatus, type StoreStatus } from '../../gc'
import { projectWiring, type Wiring } from '../../integration/wiring'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatBytes } from '../../bytes'
import { displayPath, formatAge, paint } from '../format'
import { plural, shorten, visibleLength } from '../table'

/** The routes a project has wired, in words (none: what to run). */
export function describeWiring(wiring: Wiring | null): string {
  if (wiring === null) return 'no project here (no package.json at or above this directory)'
  const routes = [
    wiring.configDependency ? 'pnpm config dependency' : null,
    wiring.pnpmfile === 'ours' ? '.pnpmfile.cjs bridge' : wiring.pnpmfile === 'edited' ? '.pnpmfile.cjs bridge (edited)' : null,
    wiring.npmScript ? 'npm "dependencies" script' : null,
    wiring.yarnPlugin ? 'yarn plugin' : null,
  ].filter((route): route is string => route !== null)
  const where = `${displayPath(wiring.dir)} (${wiring.packageManager})`
  return routes.length > 0 ? `${where}: ${routes.join(', ')}` : `${where}: nothing wired; 'scratch init' sweeps after every install`
}

/** `text` in lines of at most `width` visible characters, broken at spaces; a word longer than that is shortened, keeping its end (paths). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`
    if (visibleLength(next) <= width) line = next
    else {
      if (line !== '') lines.push(line)
      line = shorten(word, width, true)
    }
  }
  return [...lines, line]
}

/** The human view of `scratch status`: one labelled line per fact, wrapped at spaces to fit `columns`. */
export function formatStatus(status: StoreStatus, wiring: Wiring | null, opts: { color: boolean; now: number; columns?: number }): string {
  const p = paint(opts.color)
  const lines: [string, string][] = [
    ['Store', `${displayPath(status.root)} (format ${status.format}${status.exists ? '' : ', empty: nothing stored yet'})`],
    ['Size', `${formatBytes(status.bytes)} in ${plural(status.spaces, 'space')}`],
    ['Projects', `${status.projects.present} present, ${status.projects.unknown} unknown, ${status.projects.gone} gone`],
  ]
  const gc = status.lastGcRun
  lines.push(['Last gc', gc === null ? 'never' : `${formatAge(gc.at, opts.now)}${gc.automatic ? ' (automatic)' : ''}: ` +
    `deleted ${plural(gc.deleted, 'space')}, freed ${formatBytes(gc.freedBytes)}`])
  for (const warning of gc?.warnings ?? []) lines.push(['', `${p.red('!')} ${warning}`])
  const sweep = status.lastSweep
  lines.push(['Last sweep', sweep === null ? 'never' : `${formatAge(sweep.at, opts.now)} for ${displayPath(sweep.project)}: ` +
    `deleted ${plural(sweep.deleted, 'space')}, freed ${formatBytes(sweep.freedBytes)}`])
  for (const warning of sweep?.warnings ?? []) lines.push(['', `${p.red('!')} ${warning}`])
  lines.push(['Upkeep', !status.upkeep.enabled ? 'off (SCRATCHSPACE_AUTO_GC)'
    : status.upkeep.due === null ? 'on: a gc starts by itself once the store is 7 days old'
    : Date.parse(status.upkeep.due) <= opts.now ? 'on: due, starts with the next space created'
    : `on: next automatic gc after ${status.upkeep.due.slice(0, 10)}`])
  lines.push(['This project', describeWiring(wiring)])
  const width = Math.max(...lines.map(([label]) => label.length))
  return lines.map(([label, text]) => {
    const room = opts.columns === undefined ? Infinity : Math.max(12, opts.columns - width - 2)
    return wrapWords(text, room).map((part, i) => `${i === 0 ? p.bold(label.padEnd(width)) : ' '.repeat(width)}  ${part}`).join('\n')
  }).join('\n') + '\n'
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the store at a glance: size, spaces, projects, the last gc and sweep, and what this project has wired.',
  usage: ['status [--json]'],
  options: { ...JSON_OPTION },
  optionHelp: ['--json   print the status as JSON (root, format, bytes, spaces, projects, lastGc, lastSweep, wired, ...)'],
  examples: [
    'scratch status',
    'scratch status --json',
    'SCRATCHSPACE_DIR=/tmp/store scratch status   # another store',
  ],
  arity: [0, 0],
  async run({ values, io }) {
    const status = await storeStatus({ env: io.env })
    const wired = projectWiring(io.cwd, io.env)
    for (const warning of status.warnings) io.stderr(`scratch: warning: ${warning}\n`)
    if (values.json === true) printJson(io, { ...status, wired })
    else io.stdout(formatStatus(status, wired, { color: io.color, now: Date.now(), columns: io.columns }))
    return 0
  },
}

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { useSandbox } from '../runtime/support'
import { makeSpace } from '../gc/support'
import { scratch } from './support'

/**
 * Runs the built CLI on a real pseudo-terminal (util-linux `script`), typing `input`; returns
 * what the terminal showed (stdout and stderr together) and the exit code.
 */
function onTerminal(store: string, args: string[], input: string, env: NodeJS.ProcessEnv = {}, afterPrompt?: string): Promise<{ code: number | null; screen: string }> {
  builtRuntime()
  const command = ['node', path.join(repoRoot, 'dist', 'cli.cjs'), ...args].map((a) => `'${a}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      // Node's colour detection also says no under CI=…; a person's terminal is what this test is about.
      env: { ...process.env, SCRATCHSPACE_DIR: store, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TERM: 'xterm', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let screen = ''
    let typed = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk
      // Keys typed once the prompt is up (readline has the terminal in raw mode by then).
      if (afterPrompt !== undefined && !typed && screen.includes(afterPrompt)) {
        typed = true
        child.stdin.end(input)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, screen }))
    if (afterPrompt === undefined) child.stdin.end(input)
  })
}

describe('scratch CLI on a terminal', () => {
  const box = useSandbox()

  test('clear --all asks first: "y" deletes everything', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    const result = await onTerminal(box.store, ['clear', '--all'], 'y\n')
    expect(result.screen).toContain('Delete every scratch space of every package? [y/N]')
    expect(result.code).toBe(0)
    expect(fs.existsSync(path.join(box.store, 'pkg-a'))).toBe(false)
  })

  test('clear --all asks first: anything else deletes nothing', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    const result = await onTerminal(box.store, ['clear', '--all'], 'n\n')
    expect(result.screen).toContain('Nothing deleted.')
    expect(result.code).toBe(0)
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'cache'))).toBe(true)
  })

  test.each([['Ctrl+C', '\u0003'], ['Ctrl+D', '\u0004']])('clear --all: %s at the prompt deletes nothing, says so, exits 130', async (_, key) => {
    makeSpace(box.store, 'pkg-a', 'cache')
    const result = await onTerminal(box.store, ['clear', '--all'], key, {}, '[y/N]')
    expect(result.screen).toContain('Interrupted: nothing was deleted.')
    expect(result.screen).not.toMatch(/ABORT_ERR|Error/)
    expect(result.code).toBe(130)
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'cache'))).toBe(true)
  })

  test('clear --all --force shows its progress on a terminal, and none when stderr is not one', async () => {
    for (let i = 0; i < 50; i++) makeSpace(box.store, `pkg-${i}`, 'cache')
    const result = await onTerminal(box.store, ['clear', '--all', '--force'], '')
    expect(result.code).toBe(0)
    expect(result.screen).toContain('scratch clear: deleting spaces 50/50')
    expect(result.screen).toContain('Deleted 50 spaces')
    expect(fs.readdirSync(box.store).filter((name) => name.startsWith('pkg-'))).toEqual([])
    for (let i = 0; i < 5; i++) makeSpace(box.store, `pkg-${i}`, 'cache')
    const piped = await scratch(box.store, ['clear', '--all', '--force'])
    expect(piped.stderr).toBe('')
    expect(piped.stdout).toContain('Deleted 5 spaces')
  })

  test('list shows progress and colour on a terminal, and no colour with NO_COLOR', async () => {
    for (let i = 0; i < 50; i++) makeSpace(box.store, `pkg-${i}`, 'cache', 10, 8 * 24 * 3_600_000)
    const coloured = await onTerminal(box.store, ['list'], '')
    expect(coloured.screen).toContain('scratch list: judging spaces 50/50')
    expect(coloured.screen).toMatch(/\u001b\[31morphaned\u001b\[39m/)
    const plain = await onTerminal(box.store, ['list'], '', { NO_COLOR: '1' })
    expect(plain.screen).toContain('orphaned')
    expect(plain.screen).not.toMatch(/\u001b\[3\dm/)
  })
})

// Child processes: every measurement that needs a fresh process (first call, import cost, the
// gc's peak RSS) runs a script in bench/children and reads one JSON line from its stdout.
import { spawn } from 'node:child_process'

/** A clean environment for children: no tracking switch, no store override leaking in. */
export function childEnv(extra = {}) {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (name.startsWith('SCRATCHSPACE_') || name.startsWith('npm_') || name === 'NODE_OPTIONS') delete env[name]
  }
  return { ...env, ...extra }
}

/**
 * Runs `node script ...args` and resolves with its stdout's last line parsed as JSON (or null when
 * that line is not JSON). Rejects with stderr when the child fails.
 */
export function runNode(script, args = [], { env = childEnv(), cwd, nodeArgs = [] } = {}) {
  return run(process.execPath, [...nodeArgs, script, ...args], { env, cwd }).then(({ stdout }) => {
    const last = stdout.trimEnd().split('\n').pop() ?? ''
    try {
      return JSON.parse(last)
    } catch {
      return null
    }
  })
}

/** Runs a command; resolves `{ stdout, stderr, ms }`, rejects when it exits non-zero. */
export function run(command, args, { env = childEnv(), cwd, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (err) => { clearTimeout(timer); reject(err) })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code === 0) resolve({ stdout, stderr, ms })
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${stderr.slice(-4000)}`))
    })
  })
}

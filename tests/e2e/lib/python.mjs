// Runs a Python client suite's scenario (tests/e2e/clients/*.py) with
// Debian's python3 and its packages, never another python on PATH.  Each
// line the script prints is JSON; onLine(obj, child) sees each one as it
// comes (a scenario may wait on stdin for the test to act), and the last is
// the result.  Killed after 60 s, so a stuck library never hangs the run.
import { spawn } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

export function runPython(script, args, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '', last;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} timed out:\n${err}`)); }, 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop();
      for (const l of lines) if (l.trim()) { last = JSON.parse(l); onLine?.(last, child); }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (out.trim()) last = JSON.parse(out);
      if (code !== 0) reject(new Error(`${script} exited ${code}:\n${err}`));
      else resolve(last);
    });
  });
}

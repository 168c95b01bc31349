"""Runs a program on a new pseudo-terminal and plays a script at it.

Usage: pty_run.py SPEC, SPEC being JSON:
  {"argv": [...], "env": {...}, "timeout": seconds for each step,
   "steps": [{"expect": "regex"} | {"send": "text"}, ...]}
"expect" waits until the terminal's output, past what the last expect
matched, matches the regular expression; "send" types the text ("\r" is
Enter, "\x03" Ctrl-C).  After the steps it waits for the program to end.

Prints one JSON line: {"output": everything the terminal showed,
"status": exit status or null, "signal": the signal that ended it or null,
"echo": whether the terminal echoes once the program is gone, "error":
why a step failed, or null}.  The program is killed on a failure.

The program is the session leader with the terminal as its controlling
terminal, so Ctrl-C reaches it as SIGINT, as in a shell.  This process keeps
the terminal's other end open throughout: a pseudo-terminal's settings are
reset when the last process using it closes it, so "echo" says what the
program left behind, not a fresh terminal's default.
"""
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time


def main():
    spec = json.loads(sys.argv[1])
    timeout = spec.get("timeout", 10)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))

    def controlling_terminal():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(spec["argv"], stdin=slave, stdout=slave, stderr=slave,
                             env=spec.get("env"), preexec_fn=controlling_terminal,
                             close_fds=True)
    out = b""
    seen = 0
    error = None

    def pump(until):
        nonlocal out
        left = until - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([master], [], [], min(left, 0.1))
        if ready:
            try:
                out += os.read(master, 65536)
            except OSError:
                pass
        return True

    for step in spec["steps"]:
        if "send" in step:
            os.write(master, step["send"].encode())
            continue
        pattern = re.compile(step["expect"].encode())
        until = time.monotonic() + timeout
        while True:
            m = pattern.search(out, seen)
            if m:
                seen = m.end()
                break
            if not pump(until):
                error = f"no {step['expect']!r} within {timeout} s"
                break
        if error:
            break
    until = time.monotonic() + timeout
    while error is None and child.poll() is None:
        if not pump(until):
            error = f"still running {timeout} s after the last step"
    if child.poll() is None:
        child.kill()
        child.wait()
    while pump(time.monotonic() + 0.05) and select.select([master], [], [], 0)[0]:
        pass
    echo = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    code = child.returncode
    print(json.dumps({
        "output": out.decode("utf-8", "replace"),
        "status": code if code >= 0 else None,
        "signal": -code if code < 0 else None,
        "echo": echo,
        "error": error,
    }))
    os.close(master)
    os.close(slave)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()

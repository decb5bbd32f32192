#!/usr/bin/env python3
"""Runs a command whose standard input is a terminal, and types into it.

Usage: pty-stdin.py COMMAND [ARG...]

The command gets a new pseudo-terminal as its controlling terminal and
standard input (a real line discipline: canonical mode, echo, Ctrl-D),
while its standard output and error stay this process's, so a test can
read them apart. Every line this process reads on its own standard input
is typed on the terminal as a person would type it; when that input ends,
Ctrl-D is typed. What the terminal echoes is read and dropped, so the
terminal never blocks. The exit status is the command's.
"""

import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2

    master, slave = pty.openpty()

    def become_session_leader():
        # The terminal is the command's own, as in a shell on an SSH login.
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(sys.argv[1:], stdin=slave, preexec_fn=become_session_leader,
                             pass_fds=(slave,))
    os.close(slave)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())

    stdin = sys.stdin.fileno()
    typing = True
    while child.poll() is None:
        watched = [master] + ([stdin] if typing else [])
        ready, _, _ = select.select(watched, [], [], 0.2)
        if master in ready:
            try:
                os.read(master, 4096)  # the echo
            except OSError:
                pass
        if typing and stdin in ready:
            data = os.read(stdin, 4096)
            if data:
                os.write(master, data)
            else:
                typing = False
                os.write(master, b"\x04")  # Ctrl-D: end of input
    os.close(master)
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


if __name__ == "__main__":
    sys.exit(main())

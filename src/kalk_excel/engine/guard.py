"""Clean death for child processes (issue 8, point 7): when ``kontroller`` or ``beregn`` is killed,
no worker or LibreOffice process is left running and no LibreOffice profile stays in the temp
directory.

- ``die_with_parent()``: a worker (``ProcessPoolExecutor`` initializer) asks Linux to kill it when
  its parent dies (``prctl(PR_SET_PDEATHSIG)``), so a killed ``kontroller`` leaves no workers.
- ``python -m kalk_excel.engine.guard PARENT_PID FOLDER -- COMMAND...``: runs COMMAND (LibreOffice)
  in its own process group and waits for it. If the parent process dies (even by SIGKILL, which no
  cleanup code survives) or the guard gets SIGTERM/SIGINT, the whole group (``soffice``,
  ``oosplash``, ``soffice.bin``) is killed and FOLDER (the throw-away profile, which also holds
  LibreOffice's temporary files) is removed. The guard exits with COMMAND's exit code.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Have the kernel send ``sig`` to this process when its parent exits (Linux; elsewhere a
    no-op). Exits at once if the parent is already gone."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent or parent == 1:
        os._exit(1)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("bruk: python -m kalk_excel.engine.guard FORELDER-PID MAPPE -- KOMMANDO ...", file=sys.stderr)
        return 2
    parent, folder, cmd = int(argv[0]), argv[1], argv[3:]
    stopping = []

    def stop(_signum: int, _frame: object) -> None:
        stopping.append(True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    proc = subprocess.Popen(cmd, start_new_session=True, stdin=subprocess.DEVNULL)
    try:
        while True:
            try:
                return proc.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            if stopping or os.getppid() != parent:
                _kill_group(proc)
                return 1
    finally:
        if proc.poll() is None:
            _kill_group(proc)
        if stopping or os.getppid() != parent:
            for _ in range(5):
                shutil.rmtree(folder, ignore_errors=True)
                if not os.path.exists(folder):
                    break
                time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

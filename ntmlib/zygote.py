"""A kernel factory for batch workers: a process that has imported the report's libraries once
and forks a fresh IPython kernel for each report.

Starting a kernel the usual way costs a Python start, ipykernel's imports and the report's
imports (pandas, matplotlib, ntmlib) for every unit: about 1 s of a core each time. The zygote
pays them once per worker; each kernel is then a fork of it that starts ipykernel's app, as
`python -m ipykernel_launcher` would, in a new session, with the kernel's working folder and
environment. Isolation is that of a new process: the zygote only imports modules and never
runs a unit's code or reads its data, so a kernel starts with nothing of any unit, and each
kernel still runs one notebook and is then shut down.

    python -m ntmlib.zygote FD [LISTEN_FD]
    # FD: the owner's socket; LISTEN_FD: a listening Unix socket other processes connect to

On each connection: one JSON request a line, one answer a line, after a first line
{"ready": true, "pid": N} once the imports are done. A request is {"argv": [...ipykernel
arguments], "env": {...}, "cwd": "..."}; the answer is {"pid": N} or {"error": "..."}.

A batch shares one zygote between its parent and its workers (`kernels.shared_zygote`): the
parent owns it, the workers connect to its listening socket. The zygote ends when its owner's
socket closes, and a kernel whose zygote is gone ends too (ipykernel's parent poller). When a
connection closes (its worker ended or was killed) the kernels forked for it that still run
are killed, as they would have ended with a zygote of the worker's own.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import socket
import sys
import threading
import traceback

# What a kernel would import in its first cells anyway (kernels.WARM_UP), and ipykernel.
IMPORTS = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ntmlib.charts",
           "ntmlib.dataset", "ntmlib.indicators", "ntmlib.notebook", "ntmlib.render",
           "ntmlib.report", "ntmlib.tables", "ntmlib.province", "IPython.display")


def _prepare() -> None:
    """Import what every kernel needs, in the state a kernel would import it: ipykernel
    chooses the inline matplotlib backend before any user code runs, so the zygote does the
    same before matplotlib loads (ntmlib.charts then selects Agg, as it does in a kernel)."""
    import importlib

    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    for name in IMPORTS:
        importlib.import_module(name)
    importlib.import_module("ntmlib.charts").warm_up()  # fonts loaded once, not per kernel


def _become_kernel(request: dict, sockets: list[socket.socket]) -> None:
    """In the forked child: become `python -m ipykernel_launcher ARGV` in `cwd` with `env`."""
    code = 1
    try:
        for sock in sockets:  # the workers' lines to the zygote are not the kernel's
            os.close(sock.detach())
        os.setsid()  # its own process group, as jupyter_client starts kernels
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # ends with the zygote
        # a fresh process draws its own random numbers
        import random

        import numpy

        random.seed()
        numpy.random.seed()
        if sys.path and sys.path[0] in ("", os.getcwd()):
            del sys.path[0]
        import ipykernel_launcher
        from ipykernel import kernelapp

        # ipykernel read JPY_PARENT_PID when the zygote imported it: say it again
        sys.argv = [ipykernel_launcher.__file__, *request["argv"],
                    f"--IPKernelApp.parent_handle={os.getppid()}"]
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - say why on stderr, as a kernel that fails would
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _preload_reference(request: dict) -> None:
    """Read the reference tables of the kernel's data folder (the same for every unit: the
    country's units, criteria, periods), once, so that each kernel forked after has them.
    They are checked against the files when a kernel uses them (reference.reference_in)."""
    root = request.get("env", {}).get("NTM_DATA_DIR")
    if not root:
        return
    from pathlib import Path

    from ntmlib import config, reference

    try:
        folder = config.reference_dir(Path(root))
        held = reference._LOADED.get(str(folder))
        if held is None or held.digest != reference.tables_digest(folder):
            reference.load_reference.cache_clear()
            held = reference.load_reference(Path(root))
        held.warm_up()
    except Exception:  # noqa: BLE001 - the kernel reads them itself, and says what is wrong
        logging.getLogger(__name__).debug("reference tables not preloaded", exc_info=True)


def _reap() -> set[int]:
    """Collect the kernels that have ended (so that their CPU time counts as this process's
    children's, as a kernel's does for the process that started it); their pids."""
    ended = set()
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.add(pid)


class _Line:
    """One connection to the zygote: its unread bytes and the kernels forked for it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pending = b""
        self.kernels: list[int] = []

    def requests(self, chunk: bytes) -> list[bytes]:
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        return lines

    def answer(self, message: dict) -> None:
        try:
            self.sock.sendall(json.dumps(message).encode() + b"\n")
        except OSError:  # gone: its kernels are killed when the zygote sees it closed
            pass

    def kill_kernels(self) -> None:
        """The kernels forked for this connection that still run (each leads its own
        process group) killed, with whatever they started. Only pids not yet collected
        are listed, so none of them can belong to another process by now."""
        for pid in self.kernels:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _fork_for(line: _Line, request: dict, sockets: list[socket.socket]) -> None:
    try:
        _preload_reference(request)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except Exception as exc:  # noqa: BLE001 - the worker starts a kernel the usual way
        line.answer({"error": f"{type(exc).__name__}: {exc}"})
        return
    if pid == 0:
        _become_kernel(request, sockets)
    line.kernels.append(pid)
    line.answer({"pid": pid})


def serve(fd: int, listen_fd: int | None = None) -> None:
    owner = _Line(socket.socket(fileno=fd))
    listener = socket.socket(fileno=listen_fd) if listen_fd is not None else None
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the worker, which stops us
    _prepare()
    if threading.active_count() > 1:  # a thread would not survive the fork
        logging.getLogger(__name__).debug("%d thread(s) after the imports",
                                          threading.active_count() - 1)
    ready = {"ready": True, "pid": os.getpid()}
    owner.answer(ready)
    lines = {owner.sock: owner}
    while True:
        watched = [*lines, *([listener] if listener is not None else [])]
        readable, _, _ = select.select(watched, [], [], 1.0)
        ended = _reap()
        if ended:  # a pid collected may be reused: never killed as a kernel's afterwards
            for line in lines.values():
                line.kernels = [pid for pid in line.kernels if pid not in ended]
        for sock in readable:
            if sock is listener:
                try:
                    joined, _address = listener.accept()
                except OSError:
                    continue
                lines[joined] = _Line(joined)
                lines[joined].answer(ready)
                continue
            line = lines[sock]
            try:
                chunk = sock.recv(1 << 16)
            except OSError:
                chunk = b""
            if not chunk:  # the owner is gone (the zygote ends), or a worker is
                if line is owner:
                    return
                line.kill_kernels()
                del lines[sock]
                sock.close()
                continue
            for request in line.requests(chunk):
                try:
                    request = json.loads(request)
                except ValueError as exc:
                    line.answer({"error": f"{type(exc).__name__}: {exc}"})
                    continue
                _fork_for(line, request, [*lines, *([listener] if listener else [])])


if __name__ == "__main__":
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher does
        del sys.path[0]
    serve(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)

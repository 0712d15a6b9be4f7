"""Worker processes that survive their inputs: one input's crash or hang loses that input only.

:func:`run` applies a function to a stream of tasks in ``jobs`` worker
processes and yields each task's result as it comes. A worker that dies (a
segfault in a native library, the out-of-memory killer) or takes longer than
``timeout`` seconds on one task is killed and replaced; that task's result is
a :class:`Failure` and every other task goes on. At most ``jobs`` tasks are
in flight, so a stream of any length runs in bounded memory.

The standard pools do not fit: :class:`concurrent.futures.ProcessPoolExecutor`
breaks as a whole when one worker dies and cannot stop a task that hangs,
and :class:`multiprocessing.Pool` loses a dead worker's task silently.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Failure:
    """Why a task has no result: its worker died, hung, or raised."""

    reason: str


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds with kgbuild already imported; where
    # there is no fork (Windows, macOS's default), spawn imports it afresh.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _serve(func: Callable[[object], object], conn: Connection, parent: int) -> None:
    """A worker's loop: a task in, its result (or the exception's text) out."""
    # Ctrl-C is the main process's to handle: it stops the workers, without a traceback from each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            # A main process killed outright (SIGKILL, SIGTERM, the out-of-memory killer) tells no
            # worker to stop, and a forked worker holds pipe ends that keep EOF from coming: look.
            if not conn.poll(1.0):
                if os.getppid() != parent:
                    return
                continue
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        try:
            result: object = func(task)
        except Exception as e:  # a bug on one input: report it, serve the next
            result = Failure(f"kgbuild failed on this input ({type(e).__name__}: {e})")
        try:
            conn.send(result)
        except OSError:  # the main process is gone
            return


@dataclass
class _Worker(Generic[T]):
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: T | None = None
    started: float = 0.0

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


def run(
    func: Callable[[T], R], tasks: Iterable[T], *, jobs: int | None = None, timeout: float | None = None
) -> Iterator[tuple[T, R | Failure]]:
    """Each task with its result (or :class:`Failure`), in the order they finish.

    :param func: a module-level function (it is pickled where workers are spawned).
    :param jobs: worker processes; ``None`` for :func:`default_jobs`.
    :param timeout: seconds one task may take; ``None`` for no limit.
    """
    ctx = _context()
    jobs = max(1, jobs or default_jobs())

    def start() -> _Worker[T]:
        ours, theirs = ctx.Pipe()
        # Not a daemon, so that a build can run inside a daemonic process (a
        # multiprocessing.Pool worker); a worker whose parent dies sees it gone and ends.
        process = ctx.Process(target=_serve, args=(func, theirs, os.getpid()))
        process.start()
        theirs.close()
        return _Worker(process, ours)

    pending = iter(tasks)
    workers = [start() for _ in range(jobs)]
    idle = list(workers)
    busy: dict[Connection, _Worker[T]] = {}

    def replace(w: _Worker[T]) -> None:
        w.stop()
        workers.remove(w)
        fresh = start()
        workers.append(fresh)
        idle.append(fresh)

    try:
        while True:
            while idle:
                task = next(pending, _END)
                if task is _END:
                    break
                w = idle.pop()
                try:
                    w.conn.send(task)
                except OSError:  # it died while it waited
                    replace(w)
                    w = idle.pop()
                    w.conn.send(task)
                w.task, w.started = task, time.monotonic()  # type: ignore[assignment]
                busy[w.conn] = w
            if not busy:
                return
            wait_for = None
            if timeout is not None:
                wait_for = max(0.0, min(w.started for w in busy.values()) + timeout - time.monotonic())
            for conn in wait(list(busy), timeout=wait_for):
                w = busy.pop(conn)  # type: ignore[arg-type]
                task = w.task
                try:
                    result = w.conn.recv()
                except (EOFError, OSError):  # it died: a crash in native code, or killed
                    w.process.join()
                    result = Failure(f"the worker process died (exit code {w.process.exitcode}) on this input")
                    replace(w)
                else:
                    idle.append(w)
                yield task, result  # type: ignore[misc]
            if timeout is not None:
                now = time.monotonic()
                for conn, w in list(busy.items()):
                    if now - w.started >= timeout:
                        del busy[conn]
                        task = w.task
                        replace(w)
                        yield task, Failure(f"took longer than {timeout:g} s, so it was stopped")  # type: ignore[misc]
    finally:
        try:
            for w in workers:
                if w.conn in busy:
                    w.stop()
                else:
                    w.conn.send(None)
                    w.process.join(timeout=5)
                    if w.process.is_alive():
                        w.stop()
        except BaseException:
            # Stopped while stopping (a second Ctrl-C): kill the rest, or the
            # interpreter's exit would wait for ever on a worker that waits for a task.
            for w in workers:
                w.process.kill()
            raise


_END = object()


__all__ = ["Failure", "default_jobs", "run"]

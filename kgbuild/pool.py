"""Worker processes that survive their inputs: one input's crash or hang loses that input only.

:func:`run` applies a function to a stream of tasks in ``jobs`` worker
processes (pebble's :class:`~pebble.ProcessPool`) and yields each task's
result as it comes. A worker that dies (a segfault in a native library, the
out-of-memory killer) or takes longer than ``timeout`` seconds on one task is
replaced; that task's result is a :class:`Failure` and every other task goes
on. At most ``jobs`` tasks are handed to the pool at once, so a stream of any
length runs in bounded memory.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

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


def _ignore_ctrl_c() -> None:
    # Ctrl-C is the main process's to handle: it stops the pool, without a traceback from each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _outcome(future: Future[Any], timeout: float | None) -> Any:
    try:
        return future.result()
    except TimeoutError:
        return Failure(f"took longer than {timeout:g} s, so it was stopped")
    except ProcessExpired as e:
        return Failure(f"the worker process died (exit code {e.exitcode}) on this input")
    except Exception as e:  # a bug on one input: report it, go on with the next
        return Failure(f"kgbuild failed on this input ({type(e).__name__}: {e})")


def run(
    func: Callable[[T], R], tasks: Iterable[T], *, jobs: int | None = None, timeout: float | None = None
) -> Generator[tuple[T, R | Failure], None, None]:
    """Each task with its result (or :class:`Failure`), in the order they finish.

    :param func: a module-level function (it is pickled where workers are spawned).
    :param jobs: worker processes; ``None`` for :func:`default_jobs`.
    :param timeout: seconds one task may take; ``None`` for no limit.
    """
    jobs = max(1, jobs or default_jobs())
    pool = ProcessPool(max_workers=jobs, initializer=_ignore_ctrl_c, context=_context())
    pending = iter(tasks)
    running: dict[Future[R], T] = {}
    try:
        while True:
            for task in pending:
                running[pool.schedule(func, args=(task,), timeout=timeout)] = task
                if len(running) >= jobs:
                    break
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), _outcome(future, timeout)
    finally:
        # Finished, or stopped (Ctrl-C, an error, a consumer that left): no worker outlives the run.
        pool.stop()
        pool.join()


__all__ = ["Failure", "default_jobs", "run"]

"""Where a run's document-level tasks run: in this process, a local process pool, or a Dask cluster.

Every executor has :meth:`Executor.map` (a function over items, results in order), its
form that starts now and answers later, :meth:`Executor.map_later`, and :meth:`Executor.partitions`, the map that a
:class:`pipeline.engines.runs.PartitionedEngine` runs engine partitions through. A task
gets everything it needs as values (the source text, the catalog text, the settings) and
returns values (a Document, catalogs and pages as text); it reads and writes no file, so Dask workers
need no filesystem shared with the driver, and only the driver writes.

- ``local`` with ``jobs=1``: in this process, one item after the other.
- ``local`` with ``jobs=N``: a ``concurrent.futures.ProcessPoolExecutor`` of N processes for
  the tasks, and N threads for engine partitions (each an Apertium run of its own processes).
- ``dask``: a ``dask.distributed.Client`` on the scheduler at `scheduler` (``--scheduler``,
  ``PIPELINE_DASK_SCHEDULER``), or on a ``LocalCluster`` of `jobs` worker processes when none is
  given; engine partitions are Dask tasks too, so the workers need the engine installed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from .errors import InputError

if TYPE_CHECKING:  # imported when a pool is made (multiprocessing: 6 ms of every start)
    from concurrent.futures import ProcessPoolExecutor

EXECUTORS = ("local", "dask")
STREAMED_CHUNK = 32  # results of map_streamed per message (a pool) or per gather (a cluster)


class Executor:
    """Runs tasks in this process."""

    jobs = 1

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        return [function(item) for item in items]

    def map_later(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Callable[[], list[Any]]:
        """:meth:`map` started now where it can run beside this process (a pool, a cluster), its results
        when the returned callable is called; here, in this process, it runs only then."""
        return lambda: self.map(function, items)

    def map_streamed(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        """:meth:`map` started now where it can run beside this process, its results in order as they come,
        so that the caller works on the first while the others are made; here, each one as it is asked for
        (one result alive at a time)."""
        return (function(item) for item in items)

    def partitions(self, translate: Callable[[list], list[str]], partitions: list[list]) -> list[list[str]]:
        return [translate(part) for part in partitions]

    def close(self) -> None:
        pass

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class ProcessPool(Executor):
    """Tasks in a pool of `jobs` processes (made on first use); engine partitions in threads."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        return self.map_later(function, items)()

    def map_later(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Callable[[], list[Any]]:
        if len(items) < 2:
            return lambda: [function(item) for item in items]
        pool = self._start()
        # a few tasks per message: a document is milliseconds of work, a message to a process about 0.1 ms
        chunksize = max(1, len(items) // (self.jobs * 4))
        results = pool.map(function, items, chunksize=chunksize)  # every task submitted now
        return lambda: list(results)

    def map_streamed(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        if len(items) < 2:
            return super().map_streamed(function, items)
        pool = self._start()
        # smaller messages than map_later's: the caller starts on the first results while the rest are made
        return pool.map(function, items, chunksize=max(1, min(STREAMED_CHUNK, len(items) // (self.jobs * 4))))

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        return self._pool

    def partitions(self, translate: Callable[[list], list[str]], partitions: list[list]) -> list[list[str]]:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(partitions)) as threads:
            return list(threads.map(translate, partitions))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class DaskExecutor(Executor):
    """Tasks on a Dask distributed cluster: the one at `scheduler`, else a LocalCluster of `jobs` workers."""

    def __init__(self, scheduler: str = "", jobs: int = 2):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--executor dask needs dask.distributed: pip install 'dask[distributed]'") from None
        self.jobs = jobs
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as error:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        else:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=50)
            self.client = Client(self.cluster)

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        return self.map_later(function, items)()

    def map_later(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Callable[[], list[Any]]:
        futures = self.client.map(function, list(items), pure=False) if items else []
        return lambda: self.client.gather(futures) if futures else []

    def map_streamed(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        futures = self.client.map(function, list(items), pure=False) if items else []

        def results() -> Iterator[Any]:  # gathered a few at a time: one round trip to the cluster each
            for start in range(0, len(futures), STREAMED_CHUNK):
                yield from self.client.gather(futures[start:start + STREAMED_CHUNK])
        return results()

    def partitions(self, translate: Callable[[list], list[str]], partitions: list[list]) -> list[list[str]]:
        # the bound method carries the engine (its settings) to the worker, which runs its own apertium
        return self.client.gather(self.client.map(translate, partitions, pure=False))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(kind: str = "local", jobs: int = 1, scheduler: str = "") -> Executor:
    """The executor for ``--executor KIND --jobs N [--scheduler ADDRESS]``."""
    if kind not in EXECUTORS:
        raise InputError(f"executor must be one of {', '.join(EXECUTORS)}, not {kind!r}")
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    if kind == "dask":
        return DaskExecutor(scheduler, jobs)
    return ProcessPool(jobs) if jobs > 1 else Executor()

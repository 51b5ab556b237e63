"""One zygote for a whole batch (kernels.shared_zygote): the parent and the workers fork their
kernels from it, a worker that ends takes its kernels with it, and nothing is left after the
batch. The kernels' own isolation (an empty namespace, their own environment and random
numbers) is tested in test_planted_round5_b.py and test_kernels.py."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import psutil
import pytest

from ntmlib import kernels
from tests.test_planted_round5_b import _wait_gone


def _kernels_parent(address: str) -> tuple[int, int, int]:
    """In a pool worker (as batch.render_district does): a kernel from the batch's zygote;
    the kernel's pid, its parent's and the pid of any zygote this worker started itself."""
    kernels.use_zygote(address)
    kernel = kernels.take_kernel()
    assert kernel is not None and kernel.alive()
    pid = kernel.km.provisioner.pid
    parent = psutil.Process(pid).ppid()
    own = kernels._zygote.process.pid if isinstance(kernels._zygote, kernels.Zygote) else 0
    kernel.shutdown()
    return pid, parent, own


def _abandon_kernel(address: str, conn) -> None:
    """A worker that dies with its kernel running (no shutdown, no exit handlers)."""
    kernels.use_zygote(address)
    kernel = kernels.take_kernel()
    assert kernel is not None and kernel.alive()
    conn.send(kernel.km.provisioner.pid)
    os._exit(0)


@pytest.mark.kernel
def test_the_parent_and_its_workers_fork_their_kernels_from_one_zygote():
    before = (kernels._zygote_wanted, kernels._zygote_shared)
    with kernels.shared_zygote() as address:
        assert address is not None and Path(address).exists()
        mine = kernels.take_kernel()  # the parent's (the province report's)
        assert mine is not None
        zygote = psutil.Process(mine.km.provisioner.pid).ppid()
        assert zygote != os.getpid()
        assert "ntmlib.zygote" in " ".join(psutil.Process(zygote).cmdline())
        mine.shutdown()
        ctx = multiprocessing.get_context("forkserver")
        with ctx.Pool(2) as pool:
            seen = pool.map(_kernels_parent, [address, address])
        assert [parent for _pid, parent, _own in seen] == [zygote, zygote]
        assert [own for _pid, _parent, own in seen] == [0, 0]  # no zygote of their own
        assert all(_wait_gone(pid) for pid, _parent, _own in seen)
    # afterwards: the zygote and its folder gone, this process as it was
    assert _wait_gone(zygote)
    assert not Path(address).parent.exists()
    assert (kernels._zygote_wanted, kernels._zygote_shared) == before


@pytest.mark.kernel
def test_a_worker_that_dies_takes_its_kernel_with_it():
    """A worker killed mid-report leaves its kernel to the shared zygote, which lives on for
    the other workers: the zygote kills the kernels forked for a connection that closed."""
    with kernels.shared_zygote() as address:
        ctx = multiprocessing.get_context("fork")
        theirs, mine = ctx.Pipe()
        worker = ctx.Process(target=_abandon_kernel, args=(address, theirs))
        worker.start()
        assert mine.poll(60)
        pid = mine.recv()
        worker.join(60)
        assert worker.exitcode == 0
        ended = _wait_gone(pid)
        if not ended:
            os.kill(pid, signal.SIGKILL)
        assert ended
        # and the zygote goes on serving the others
        kernel = kernels.take_kernel()
        assert kernel is not None and kernel.alive()
        kernel.shutdown()


@pytest.mark.kernel
def test_a_worker_that_cannot_reach_the_batchs_zygote_starts_its_own(tmp_path):
    kernels.use_zygote(str(tmp_path / "no-zygote-here"))
    try:
        kernel = kernels.take_kernel()
        assert kernel is not None and kernel.alive()
        assert isinstance(kernels._zygote, kernels.Zygote)
        assert psutil.Process(kernel.km.provisioner.pid).ppid() == kernels._zygote.process.pid
        kernel.shutdown()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()


def test_no_shared_zygote_when_it_cannot_listen(monkeypatch):
    """A socket path the system refuses (too long): the batch goes on, each worker with a
    zygote of its own, and nothing is left behind."""
    made = []

    def refuse(self, *args):
        made.append(self)
        raise OSError("AF_UNIX path too long")

    monkeypatch.setattr(kernels.SharedZygote, "__init__", refuse)
    with kernels.shared_zygote() as address:
        assert address is None
    assert len(made) == 1


def test_a_batch_on_this_machine_shares_a_zygote_and_dask_does_not(monkeypatch):
    from contextlib import contextmanager

    from ntmlib import batch

    @contextmanager
    def fake():
        yield "/somewhere/zygote"

    monkeypatch.setattr(kernels, "shared_zygote", fake)
    task = batch.DistrictTask(2023, "x", "X", "d", "o", ("html",), "k")
    with batch._zygote_for([task], None) as address:
        assert address == "/somewhere/zygote"
    with batch._zygote_for([task], "tcp://host:8786") as address:
        assert address is None
    with batch._zygote_for([], None) as address:
        assert address is None

"""The runner's checks and messages without a kernel: output formats and folder, notebook
parameters and their types, a run's summary, the time limit, and where a partial notebook
stopped. The runs themselves are in the kernel tests (test_report, test_kernels, test_outputs)."""

from __future__ import annotations

import logging
import shutil
import signal
import threading
import time
import types
from pathlib import Path

import nbformat
import pytest

from ntmlib import config, runner
from ntmlib.errors import NtmError, ReportError
from ntmlib.findings import Finding
from ntmlib.runner import (
    ReportOutcome,
    ReportTimeout,
    check_extra_parameters,
    check_formats,
    check_output_folder,
    check_parameters,
    time_limit,
)

KNOWN = "html, pdf, docx, xlsx"


@pytest.mark.parametrize(("formats", "named"), [
    (("html", "odt", "pdf", "csv", "odt"), "csv, odt"),  # each once, sorted
    (("PDF",), "PDF"),  # formats are lower case
    ((), "-"),  # none at all
])
def test_unknown_or_no_formats_are_refused_naming_them(formats, named):
    with pytest.raises(NtmError) as err:
        check_formats(formats)
    assert str(err.value) == f"Không có định dạng đầu ra {named}: dùng {KNOWN}."


def test_known_formats_pass():
    check_formats(("xlsx",))
    check_formats(("html", "pdf", "docx", "xlsx"))


def test_an_outputs_folder_under_a_file_is_refused_naming_the_file(tmp_path):
    blocker = tmp_path / "kết quả"
    blocker.write_text("", encoding="utf-8")
    folder = blocker / "2024" / "x"
    with pytest.raises(NtmError) as err:
        check_output_folder(folder)
    assert str(err.value) == (f"Không dùng được thư mục kết quả {folder}: {blocker} là một tệp, "
                              "không phải thư mục.")


def test_an_outputs_folder_without_permission_to_write_is_refused_naming_where(tmp_path,
                                                                              monkeypatch):
    import os

    locked = tmp_path / "khóa"
    locked.mkdir()
    asked = []

    def access(path, mode):  # as for a user without write permission there (tests run as root)
        asked.append((Path(path), mode))
        return Path(path) != locked

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(NtmError) as err:
        check_output_folder(locked / "2024")
    assert str(err.value) == (f"Không ghi được vào thư mục kết quả {locked / '2024'}: không có "
                              f"quyền ghi trong {locked}.")
    assert asked == [(locked, os.W_OK | os.X_OK)]
    check_output_folder(tmp_path / "mở")


def test_an_outputs_folder_not_made_yet_passes_when_its_parent_can_be_written(tmp_path):
    check_output_folder(tmp_path / "new" / "deeper")
    assert not (tmp_path / "new").exists()  # only checked, not made


def _notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    cell = nbformat.v4.new_code_cell(
        'year: int = 2024  # năm\ncommune: str = "xa-a"\nshare: float = 0.5\n'
        'draft: bool = False\nnote = None  # no type: any value')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# x"), cell, nbformat.v4.new_code_cell("1")]
    path = tmp_path / "thu.ipynb"
    nbformat.write(nb, path)
    return path


def _refusal(notebook: Path, parameters: dict, extra: bool = False) -> str:
    with pytest.raises(ReportError) as err:
        (check_extra_parameters if extra else check_parameters)(notebook, parameters)
    return str(err.value)


@pytest.mark.e2e
def test_an_undeclared_parameter_is_refused_with_those_the_notebook_takes(tmp_path):
    nb = _notebook(tmp_path)
    assert _refusal(nb, {"year": 2024, "comune": "xa-a", "draft": True, "Year": 1}) == (
        "Notebook không có tham số Year, comune; thu.ipynb nhận các tham số: "
        "year, commune, share, draft, note.")


@pytest.mark.parametrize(("parameters", "message"), [
    ({"year": "2024"}, "Tham số year phải là một số nguyên, không phải '2024'."),
    ({"year": 2024.0}, "Tham số year phải là một số nguyên, không phải 2024.0."),
    ({"year": True}, "Tham số year phải là một số nguyên, không phải True."),
    ({"share": "0,5"}, "Tham số share phải là một số, không phải '0,5'."),
    ({"share": False}, "Tham số share phải là một số, không phải False."),
    ({"draft": 1}, "Tham số draft phải là true hoặc false, không phải 1."),
    ({"draft": "yes"}, "Tham số draft phải là true hoặc false, không phải 'yes'."),
    ({"commune": 7}, "Tham số commune phải là một chuỗi ký tự, không phải 7."),
    ({"year": 2024, "commune": ["xa-a"]},
     "Tham số commune phải là một chuỗi ký tự, không phải ['xa-a']."),
])
def test_a_value_of_another_type_than_declared_is_refused(tmp_path, parameters, message):
    assert _refusal(_notebook(tmp_path), parameters) == message


def test_values_of_the_declared_types_pass(tmp_path):
    nb = _notebook(tmp_path)
    check_parameters(nb, {"year": 2025, "commune": "xa-b", "share": 1, "draft": True})
    check_parameters(nb, {"share": 0.25, "draft": False})
    check_parameters(nb, {"note": 3})  # declared without a type: any value
    check_parameters(nb, {"note": "văn bản"})
    check_parameters(nb, {})


@pytest.mark.parametrize(("name", "option"), [
    ("year", "--year"), ("district", "--unit"), ("commune", "--unit"),
    ("province", "--unit"), ("data_dir", "--data-dir"),
])
def test_parameters_the_command_sets_are_refused_from_p_naming_the_option(tmp_path, name,
                                                                          option):
    assert _refusal(_notebook(tmp_path), {"share": 1.0, name: 1}, extra=True) == (
        f"Tham số {name} được nhập bằng {option}, không nhập bằng -p hay tệp tham số.")


def test_extra_parameters_are_checked_against_the_notebook_too(tmp_path):
    nb = _notebook(tmp_path)
    assert _refusal(nb, {"shares": 1.0}, extra=True).startswith(
        "Notebook không có tham số shares; thu.ipynb")
    assert _refusal(nb, {"draft": "no"}, extra=True) == (
        "Tham số draft phải là true hoặc false, không phải 'no'.")
    check_extra_parameters(nb, {"share": 2, "draft": True})


def _findings() -> list[Finding]:
    return [Finding.error("range", "giá trị âm", file="ocop.csv", row=4, column="stars"),
            Finding.warning("total", "tổng lệch", file="funds.csv", row=2, column="total"),
            Finding.error("required", "thiếu", file="a.xlsx", sheet="hộ", row=9,
                          column="x"),
            Finding.warning("total", "lệch nữa", file="funds.csv")]


def test_the_summary_of_invalid_data_lists_its_errors_then_says_nothing_was_made():
    out = ReportOutcome(2025, "xa-a", "invalid", findings=_findings())
    assert (out.ok, out.n_errors, out.n_warnings) == (False, 2, 2)
    assert out.summary().splitlines() == [
        'LỖI: tệp ocop.csv, dòng 4, cột "stars": giá trị âm',
        'LỖI: tệp a.xlsx, trang tính "hộ", dòng 9, cột "x": thiếu',
        "xa-a 2025: chưa lập: dữ liệu có 2 lỗi; sửa rồi chạy lại."]


def test_the_summary_of_a_failed_run_names_the_error_and_the_partial_notebook(tmp_path):
    out = ReportOutcome(2024, "phuong-b", "failed", error="ô 7 báo lỗi KeyError: 'x'")
    assert not out.ok
    assert out.summary() == "phuong-b 2024: lỗi: ô 7 báo lỗi KeyError: 'x'"
    out.failed_notebook = tmp_path / "phuong-b.failed.ipynb"
    assert out.summary() == ("phuong-b 2024: lỗi: ô 7 báo lỗi KeyError: 'x'; notebook chạy dở "
                             f"được giữ ở {tmp_path / 'phuong-b.failed.ipynb'}")


def test_the_summary_of_a_good_run_counts_and_names_its_outputs(tmp_path):
    out = ReportOutcome(2026, "xa-c", "ok", out_dir=tmp_path,
                        outputs=[tmp_path / "report.html", tmp_path / "report.pdf"],
                        findings=_findings()[1:2], seconds=12.349)
    assert (out.ok, out.n_errors, out.n_warnings) == (True, 0, 1)
    # no review.html among them: the warnings are in the executed notebook
    assert out.summary() == (f"xa-c 2026: 2 tệp kết quả trong {tmp_path} (report.html, "
                             "report.pdf); 1 cảnh báo, xem report.ipynb; 12,3 giây")
    out.outputs.append(tmp_path / "review.html")
    assert out.summary() == (f"xa-c 2026: 3 tệp kết quả trong {tmp_path} (report.html, "
                             "report.pdf, review.html); 1 cảnh báo, xem review.html; 12,3 giây")
    out.findings = []
    assert out.summary() == (f"xa-c 2026: 3 tệp kết quả trong {tmp_path} (report.html, "
                             "report.pdf, review.html); không có cảnh báo; 12,3 giây")


def test_the_summary_in_english(english):
    out = ReportOutcome(2025, "xa-a", "invalid", findings=_findings()[:1])
    assert out.summary().splitlines()[-1] == (
        "xa-a 2025: not made: the data has 1 error(s); correct them and run again.")


def test_kernel_env_carries_the_data_and_outputs_folders(tmp_path):
    assert runner.kernel_env(tmp_path / "d", tmp_path / "o") == {
        "NTM_DATA_DIR": str(tmp_path / "d"), "NTM_OUTPUT_DIR": str(tmp_path / "o")}


# -- the time limit ---------------------------------------------------------------------------


def test_the_time_limit_stops_a_stuck_step_and_says_how_long_was_allowed():
    before = signal.getsignal(signal.SIGALRM)
    started = time.perf_counter()
    with pytest.raises(ReportTimeout) as err, time_limit(0.05):
        time.sleep(5)
    assert time.perf_counter() - started < 2
    assert str(err.value) == "báo cáo chạy quá 0 giây cho phép (--timeout) nên đã bị dừng"
    # the alarm is off and the handler restored, also after the limit was reached
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    assert runner._limit == []


def test_a_step_within_its_limit_runs_to_the_end_and_leaves_no_alarm():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(30):
        assert runner._limit == [30]
        assert 29 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    assert runner._limit == []


@pytest.mark.e2e
def test_an_inner_time_limit_leaves_the_outer_one_in_charge():
    with time_limit(30):
        with time_limit(0.01):
            time.sleep(0.1)  # the inner limit is not armed: no timeout
            assert runner._limit == [30]
        assert 29 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30


@pytest.mark.e2e
def test_outside_the_main_thread_the_time_limit_is_not_armed():
    seen = []

    def work():
        try:
            with time_limit(0.01):
                time.sleep(0.1)
                seen.append(runner._limit.copy())
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            seen.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [[]]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_timeout_message_names_the_limit_of_the_report_running():
    assert runner._timeout_text(90) == (
        "báo cáo chạy quá 90 giây cho phép (--timeout) nên đã bị dừng")
    runner._running.limit = 45
    try:
        assert runner._timeout_text() == (
            "báo cáo chạy quá 45 giây cho phép (--timeout) nên đã bị dừng")
        assert "quá 120 giây" in runner._timeout_text(120.9)  # whole seconds
    finally:
        del runner._running.limit
    got = []
    t = threading.Thread(target=lambda: got.append(runner._timeout_text()))
    t.start()
    t.join()
    assert got == [f"báo cáo chạy quá {int(runner.config.REPORT_TIMEOUT)} giây cho phép "
                   "(--timeout) nên đã bị dừng"]


# -- where a partial notebook stopped ---------------------------------------------------------


def _partial(tmp_path: Path, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    path = tmp_path / "x.failed.ipynb"
    nbformat.write(nb, path)
    return path


def _code(count, outputs=(), status="completed"):
    cell = nbformat.v4.new_code_cell("x", execution_count=count, outputs=list(outputs))
    cell.metadata["papermill"] = {"status": status}
    return cell


def _error(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])


def test_the_first_error_output_names_its_cell_and_the_first_line_of_its_message(tmp_path):
    path = _partial(tmp_path, [
        nbformat.v4.new_markdown_cell("# a"),
        _code(1, [nbformat.v4.new_output("stream", text="ok")]),
        _code(4, [_error("ValueError", "  giá trị sai\nchi tiết  ")], status="failed"),
        _code(5, [_error("KeyError", "'y'")]),
    ])
    assert runner._cell_error(path) == ("ô 4", "ValueError: giá trị sai")


def test_an_error_without_a_message_is_its_name_alone(tmp_path):
    path = _partial(tmp_path, [_code(2, [_error("StopIteration", "")], status="failed")])
    assert runner._cell_error(path) == ("ô 2", "StopIteration")


def test_a_cell_stopped_without_an_error_is_found_by_its_papermill_status(tmp_path):
    unmarked = nbformat.v4.new_code_cell("y", execution_count=2)  # no papermill metadata
    path = _partial(tmp_path, [_code(5), unmarked, _code(7, status="failed"), _code(None)])
    assert runner._cell_error(path) == ("ô 7", "")
    # never started (no execution count): numbered among the code cells
    path = _partial(tmp_path, [nbformat.v4.new_markdown_cell("# a"), _code(1),
                               _code(None, status="failed")])
    assert runner._cell_error(path) == ("ô 2", "")


def test_a_partial_notebook_without_a_failed_cell_or_unreadable_names_nothing(tmp_path):
    assert runner._cell_error(_partial(tmp_path, [_code(1), _code(2)])) == ("", "")
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    assert runner._cell_error(broken) == ("", "")


def test_kernel_scratch_folders_of_dead_runs_are_found_in_the_temporary_folder(tmp_path,
                                                                              monkeypatch):
    import subprocess
    import sys
    import tempfile

    from ntmlib import safefs

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is now free
    stale = tmp_path / "tmp" / f"ntm-kernel-{dead.pid}-{safefs._HOST}.abcd1234"
    stale.mkdir(parents=True)
    runner.recover_outputs(tmp_path / "out" / "2024" / "tra-cu")
    assert not stale.exists()


# -- run_report up to the notebook ------------------------------------------------------------


class _Kernel:
    """Stands in for the warm kernel run_report takes first: it is handed the validated data
    and released; papermill, replaced, never runs code in it."""

    def __init__(self, scratch: Path) -> None:
        self.released: list[tuple] = []
        self.scratch = scratch
        self.env: dict[str, str] = {}

    def set_env(self, name: str, value: str) -> None:
        self.env[name] = value

    def shutdown(self, wait: bool = True, then=None) -> None:
        self.released.append((wait, then))


@pytest.fixture
def kernel(monkeypatch, tmp_path):
    k = _Kernel(tmp_path / "scratch")
    k.scratch.mkdir()
    k.taken = []

    def take(env=None, **kw):  # the first time this one, then others
        k.taken.append(env)
        return k if len(k.taken) == 1 else _Kernel(tmp_path)
    monkeypatch.setattr(runner, "take_kernel", take)
    return k


def test_invalid_data_is_reported_without_running_the_notebook(tmp_path, monkeypatch, kernel):
    (tmp_path / "data" / "2024" / "tra-cu").mkdir(parents=True)  # no header.yaml
    monkeypatch.chdir(tmp_path)
    out = runner.run_report(2024, "849", data_dir=Path("data"), out_dir=Path("out"),
                            progress=False)
    assert (out.status, out.year, out.district, out.out_dir, out.outputs, out.error) == (
        "invalid", 2024, "tra-cu", None, [], "")
    assert [str(f) for f in out.findings] == [
        "LỖI: tệp data/2024/tra-cu: thư mục của đơn vị đang trống: hãy đưa số liệu vào, từ "
        "biểu mẫu Excel (ntm template, rồi ntm import) hoặc từ số liệu năm trước (ntm "
        "new-year)"]
    assert list(out.stages) == ["validate"] and 0 < out.stages["validate"] <= out.seconds < 30
    assert out.summary().splitlines()[-1] == (
        "tra-cu 2024: chưa lập: dữ liệu có 1 lỗi; sửa rồi chạy lại.")
    # the kernel was started with the folders as absolute paths, and released without waiting
    assert kernel.taken == [{"NTM_DATA_DIR": str(tmp_path / "data"),
                             "NTM_OUTPUT_DIR": str(tmp_path / "out")}]
    assert kernel.released == [(False, None)]
    assert kernel.env == {} and list(kernel.scratch.iterdir()) == []  # nothing handed over
    assert not (tmp_path / "out" / "2024").exists()  # nothing written


def test_the_data_and_outputs_folders_default_to_the_environments(tmp_path, monkeypatch,
                                                                  kernel):
    (tmp_path / "d" / "2024" / "cau-ke").mkdir(parents=True)
    monkeypatch.setenv("NTM_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("NTM_OUTPUT_DIR", str(tmp_path / "o"))
    out = runner.run_report(2024, "cau-ke", progress=False)
    assert out.status == "invalid" and kernel.taken == [
        {"NTM_DATA_DIR": str(tmp_path / "d"), "NTM_OUTPUT_DIR": str(tmp_path / "o")}]


@pytest.mark.e2e  # reads a copy of the reference tables
def test_units_are_found_in_the_data_folders_own_reference_tables(tmp_path, kernel):
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", tmp_path / "reference")
    with open(tmp_path / "reference" / "units.csv", "a", encoding="utf-8") as f:
        f.write("99999,Huyện Mới,Huyện,district,84,huyen-moi,,2025-06-30\n"
                "99998,Xã Mới,Xã,commune,99999,xa-moi,,2025-06-30\n")
    (tmp_path / "2024" / "huyen-moi").mkdir(parents=True)
    out = runner.run_report(2024, "huyen-moi", data_dir=tmp_path, out_dir=tmp_path / "out",
                            progress=False)
    assert (out.status, out.district) == ("invalid", "huyen-moi")


def test_a_batch_worker_starts_its_next_kernel_when_it_releases_this_one(tmp_path, kernel):
    (tmp_path / "2024" / "tra-cu").mkdir(parents=True)
    runner.run_report(2024, "tra-cu", data_dir=tmp_path, out_dir=tmp_path / "out",
                      progress=False, keep_spare=True)
    [(wait, then)] = kernel.released
    assert wait is False and callable(then)


def test_a_unit_named_at_another_level_is_refused(tmp_path, kernel):
    from ntmlib.errors import NtmError

    with pytest.raises(NtmError):
        runner.run_report(2024, "tra-cu", level="commune", data_dir=tmp_path,
                          out_dir=tmp_path / "out", progress=False)
    assert kernel.taken == []  # refused before a kernel was taken


@pytest.mark.e2e  # waits for a one-second limit
def test_a_stuck_validation_is_stopped_at_the_time_limit(tmp_path, monkeypatch, kernel):
    from ntmlib import dataset

    monkeypatch.setattr(dataset, "load_unit", lambda *a, **k: time.sleep(10))
    out = runner.run_report(2024, "tra-cu", data_dir=tmp_path, out_dir=tmp_path / "out",
                            progress=False, timeout=1)
    assert (out.status, out.error, out.failed_notebook) == (
        "failed", "báo cáo chạy quá 1 giây cho phép (--timeout) nên đã bị dừng", None)
    assert 1 <= out.seconds < 5 and kernel.released == [(False, None)]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    # a partial notebook left beside the outputs is named in the outcome
    failed = tmp_path / "out" / "2024" / "tra-cu.failed.ipynb"
    failed.parent.mkdir(parents=True)
    failed.write_text("{}", encoding="utf-8")
    out = runner.run_report(2024, "tra-cu", data_dir=tmp_path, out_dir=tmp_path / "out",
                            progress=False, timeout=0.2)
    assert (out.status, out.failed_notebook) == ("failed", failed)


# -- what a notebook run that went wrong says, and what it leaves ------------------------------


@pytest.fixture
def papermill_raises(monkeypatch):
    """papermill.execute_notebook replaced by one that records its arguments and raises the
    given exception (the real runs are in the kernel tests; these are the messages)."""
    import papermill

    calls: list[dict] = []

    def set_to(exc: BaseException | None, partial: list | None = None):
        def execute(input_path, output_path, **kwargs):
            calls.append({"input": input_path, "output": output_path, **kwargs})
            if partial is not None:
                _partial(Path(output_path).parent, partial).rename(output_path)
            if exc is not None:
                raise exc
            return "executed"
        monkeypatch.setattr(papermill, "execute_notebook", execute)
        return calls
    return set_to


def _execute(tmp_path: Path, deadline: float | None = None) -> tuple[str, list]:
    done: list = []
    error = runner._execute(tmp_path / "nb.ipynb", tmp_path / "out.ipynb", {"year": 2024},
                            tmp_path, deadline, False, None, done)
    return error, done


def test_a_good_run_passes_papermill_the_parameters_limits_and_engine(tmp_path,
                                                                       papermill_raises):
    calls = papermill_raises(None)
    assert _execute(tmp_path, time.perf_counter() + 50.9) == ("", ["executed"])
    call = calls[0]
    assert (call["input"], call["output"], call["parameters"], call["cwd"]) == (
        str(tmp_path / "nb.ipynb"), str(tmp_path / "out.ipynb"), {"year": 2024},
        str(tmp_path))
    assert call["execution_timeout"] in (49, 50)
    assert (call["kernel_name"], call["engine_name"], call["start_timeout"], call["kernel"],
            call["progress_bar"]) == (runner.config.KERNEL_NAME, "ntm", 120, None, False)
    _execute(tmp_path, time.perf_counter() - 5)  # past its deadline: still at least 1 s
    assert calls[1]["execution_timeout"] == 1
    _execute(tmp_path)
    assert calls[2]["execution_timeout"] == int(runner.config.REPORT_TIMEOUT)


@pytest.mark.parametrize(("raised", "said"), [
    ("cell", "ô 6 báo lỗi ValueError: số âm"),
    ("cell-no-message", "ô 6 báo lỗi ZeroDivisionError"),
    ("other", "RuntimeError: không mở được"),
    ("other-empty", "OSError: "),
])
def test_what_a_run_that_raised_says(tmp_path, papermill_raises, raised, said):
    from papermill.exceptions import PapermillExecutionError

    exc = {"cell": PapermillExecutionError(3, 6, "x", "ValueError", "  số âm\nchi tiết", []),
           "cell-no-message": PapermillExecutionError(3, 6, "x", "ZeroDivisionError", "", []),
           "other": RuntimeError("không mở được\ndòng hai"),
           "other-empty": OSError()}[raised]
    papermill_raises(exc)
    assert _execute(tmp_path) == (said, [])


@pytest.mark.parametrize(("raised", "said"), [
    ("cell-timeout", "báo cáo chạy quá 600 giây cho phép (--timeout) nên đã bị dừng"),
    ("timed-out", "báo cáo chạy quá 600 giây cho phép (--timeout) nên đã bị dừng"),
    ("dead", "kernel của notebook bị dừng đột ngột (hết bộ nhớ?)"),
    ("report-timeout", "đã hết giờ"),
])
def test_a_run_that_was_stopped_says_why_marked_as_stopped(tmp_path, papermill_raises,
                                                           monkeypatch, raised, said):
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    monkeypatch.setattr(runner._running, "limit", 600, raising=False)  # as run_report sets it
    exc = {"cell-timeout": CellTimeoutError("Cell execution timed out"),
           "timed-out": RuntimeError("Kernel didn't respond: timed out"),
           "dead": DeadKernelError("Kernel died"),
           "report-timeout": ReportTimeout("đã hết giờ")}[raised]
    papermill_raises(exc)
    error, done = _execute(tmp_path)
    assert (error, done) == (runner.STOPPED + said, [])


def test_a_timeout_inside_a_time_limit_names_that_limit(tmp_path, papermill_raises):
    from nbclient.exceptions import CellTimeoutError

    papermill_raises(CellTimeoutError("x"))
    with time_limit(75):
        error, _ = _execute(tmp_path)
    assert error == runner.STOPPED + "báo cáo chạy quá 75 giây cho phép (--timeout) nên đã bị dừng"


def _run(tmp_path: Path, deadline: float | None = None) -> runner.NotebookRun:
    final = tmp_path / "out" / "2024" / "tra-cu"
    return runner.run_notebook(tmp_path / "nb.ipynb", {"year": 2024}, final, ("html",),
                               deadline=deadline, progress=False)


def _left(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "out" / "2024").iterdir())


def test_a_failed_run_keeps_its_partial_notebook_beside_the_outputs(tmp_path, papermill_raises):
    from papermill.exceptions import PapermillExecutionError

    final = tmp_path / "out" / "2024" / "tra-cu"
    final.mkdir(parents=True)
    (final / "report.html").write_text("last good", encoding="utf-8")
    papermill_raises(PapermillExecutionError(3, 9, "x", "KeyError", "'z'", []),
                     [_code(1), _code(4, [_error("ValueError", "sai ở đây")], "failed")])
    run = _run(tmp_path)
    failed = tmp_path / "out" / "2024" / "tra-cu.failed.ipynb"
    # the partial notebook's own error, where it stopped, rather than papermill's summary
    assert (run.error, run.failed_notebook, run.outputs) == (
        "ô 4 báo lỗi ValueError: sai ở đây", failed, [])
    assert list(run.stages) == ["execute"]
    assert nbformat.read(failed, as_version=4).cells[1].execution_count == 4
    # the last good outputs are kept as they were, and no staging folder is left
    assert _left(tmp_path) == ["tra-cu", "tra-cu.failed.ipynb"]
    assert (final / "report.html").read_text(encoding="utf-8") == "last good"


def test_a_stopped_run_says_why_and_where(tmp_path, papermill_raises, monkeypatch):
    from nbclient.exceptions import CellTimeoutError

    monkeypatch.setattr(runner._running, "limit", 300, raising=False)
    papermill_raises(CellTimeoutError("x"), [_code(1), _code(2, status="failed")])
    run = _run(tmp_path)
    assert run.error == "báo cáo chạy quá 300 giây cho phép (--timeout) nên đã bị dừng (ô 2)"
    assert run.failed_notebook == tmp_path / "out" / "2024" / "tra-cu.failed.ipynb"


def test_a_run_stopped_before_any_notebook_was_written_names_no_partial(tmp_path,
                                                                        papermill_raises):
    from nbclient.exceptions import DeadKernelError

    papermill_raises(DeadKernelError("x"))
    run = _run(tmp_path)
    assert (run.error, run.failed_notebook) == (
        "kernel của notebook bị dừng đột ngột (hết bộ nhớ?)", None)
    assert _left(tmp_path) == []  # neither outputs nor staging


def test_a_partial_notebook_without_a_failed_cell_keeps_papermills_message(tmp_path,
                                                                          papermill_raises):
    papermill_raises(RuntimeError("hỏng"), [_code(1), _code(2)])
    assert _run(tmp_path).error == "RuntimeError: hỏng"


def test_a_run_past_its_deadline_is_not_exported(tmp_path, papermill_raises, monkeypatch):
    """The notebook ran to the end but the time is up: nothing is exported, the staging
    folder is removed, and the executed notebook is kept as the failed run's."""
    monkeypatch.setattr(runner._running, "limit", 300, raising=False)
    papermill_raises(None, [_code(1), _code(2)])
    with pytest.raises(ReportTimeout) as err:
        _run(tmp_path, deadline=time.perf_counter() - 1)
    assert str(err.value) == ("báo cáo chạy quá 300 giây cho phép (--timeout) nên đã bị dừng "
                              "(khi ghi các tệp kết quả)")
    assert _left(tmp_path) == ["tra-cu.failed.ipynb"]
    failed = nbformat.read(tmp_path / "out" / "2024" / "tra-cu.failed.ipynb", as_version=4)
    assert [c.execution_count for c in failed.cells] == [1, 2]


@pytest.mark.e2e  # loads Trà Cú
def test_valid_data_is_handed_to_the_kernel_and_the_notebook_runs_in_it(tmp_path, kernel,
                                                                        papermill_raises):
    from papermill.exceptions import PapermillExecutionError

    from ntmlib import dataset
    from ntmlib.dataset import HANDOVER

    calls = papermill_raises(PapermillExecutionError(3, 2, "x", "ValueError", "x", []))
    last_year = tmp_path / "out" / "2022" / "tra-cu" / "figures.json"
    last_year.parent.mkdir(parents=True)
    last_year.write_text("{", encoding="utf-8")  # read from the outputs folder given
    out = runner.run_report(2023, "tra-cu", data_dir=config.PROJECT_DIR / "data",
                            out_dir=tmp_path / "out", timeout=50,
                            extra_parameters={"appendix_numbering": "roman"})
    assert [f.file for f in out.findings if f.rule == "previous-year"] == [
        "outputs/2022/tra-cu/figures.json"]
    assert kernel.env == {HANDOVER: str(kernel.scratch / "validated.pickle")}
    with open(kernel.scratch / "validated.pickle", "rb") as fh:
        record = dataset._Unpickler(fh).load()
    # handed over as the notebook will ask for it: this unit, level, data and outputs
    assert record["key"] == dataset._key(2023, config.PROJECT_DIR / "data", "district", True,
                                         tmp_path / "out")
    assert record["unit"] == ["849", "tra-cu"]
    [call] = calls
    assert call["kernel"] is kernel and call["input"] == str(config.REPORT_NOTEBOOK)
    assert call["parameters"] == {"year": 2023, "district": "tra-cu",
                                  "appendix_numbering": "roman"}
    assert Path(call["output"]).name == "report.ipynb"
    assert Path(call["output"]).parent.parent == tmp_path / "out" / "2023"
    assert call["execution_timeout"] in (48, 49, 50) and call["progress_bar"] is True
    assert (out.status, out.error, out.failed_notebook, out.out_dir) == (
        "failed", "ô 2 báo lỗi ValueError: x", None, None)
    assert list(out.stages) == ["validate", "execute"] and out.n_errors == 0
    # run_notebook stops it before exporting; run_report's own release after it does nothing
    # on a real kernel
    assert kernel.released == [(False, None), (False, None)]


@pytest.mark.e2e  # loads Trà Cú
@pytest.mark.parametrize("cores, asked, apart", [(2, None, True), (1, None, False),
                                                 (4, False, False), (1, True, True)])
def test_the_pdf_is_laid_out_in_a_process_apart_where_a_core_is_spare(
        tmp_path, kernel, papermill_raises, monkeypatch, cores, asked, apart):
    from ntmlib import export

    papermill_raises(None, [_code(1)])
    exported = []

    def export_all(executed, out_dir, formats, timings, nb=None, apart=False):
        exported.append((formats, nb, apart))
        return []
    monkeypatch.setattr(export, "export_all", export_all)
    monkeypatch.setattr(runner.config, "cores", lambda: cores)
    out = runner.run_report(2023, "tra-cu", data_dir=config.PROJECT_DIR / "data",
                            out_dir=tmp_path / "out", progress=False, formats=("pdf",),
                            pdf_apart=asked)
    assert out.status == "ok" and exported == [(("pdf",), "executed", apart)]


@pytest.mark.e2e  # loads Trà Cú
def test_a_parameter_the_notebook_does_not_take_fails_the_run_before_it_starts(
        tmp_path, kernel, papermill_raises):
    calls = papermill_raises(None)
    out = runner.run_report(2023, "tra-cu", data_dir=config.PROJECT_DIR / "data",
                            out_dir=tmp_path / "out", progress=False,
                            notebook=_notebook(tmp_path))  # takes commune, not district
    assert (out.status, calls) == ("failed", [])
    assert out.error.startswith("Notebook không có tham số district; thu.ipynb nhận")


@pytest.mark.e2e  # loads Trà Cú
def test_a_batch_worker_starts_its_next_kernel_after_the_notebook_run(tmp_path, kernel,
                                                                       papermill_raises,
                                                                       monkeypatch):
    papermill_raises(RuntimeError("x"))
    started = []
    monkeypatch.setattr(runner, "start_spare", lambda env=None: started.append(env))
    runner.run_report(2023, "tra-cu", data_dir=config.PROJECT_DIR / "data",
                      out_dir=tmp_path / "out", progress=False, keep_spare=True)
    assert kernel.released and all(w is False and callable(t) for w, t in kernel.released)
    for _wait, then in kernel.released:  # run_notebook's release, then run_report's
        then()
    assert started == [{"NTM_DATA_DIR": str(config.PROJECT_DIR / "data"),
                        "NTM_OUTPUT_DIR": str(tmp_path / "out")}] * 2


@pytest.mark.e2e  # loads Trà Cú
def test_without_a_hand_over_the_notebook_validates_the_data_itself(tmp_path, kernel,
                                                                    papermill_raises,
                                                                    monkeypatch, caplog):
    from ntmlib import dataset

    def cannot(result, path, **kwargs):
        if kwargs["year"] == 2023:
            path.write_bytes(b"half")
        raise OSError("disk full")
    monkeypatch.setattr(dataset, "hand_over", cannot)
    calls = papermill_raises(RuntimeError("x"))
    with caplog.at_level(logging.DEBUG, logger="ntmlib.runner"):
        runner.run_report(2023, "tra-cu", data_dir=config.PROJECT_DIR / "data",
                          out_dir=tmp_path / "out", progress=False)
    assert kernel.env == {} and list(kernel.scratch.iterdir()) == []
    assert len(calls) == 1 and calls[0]["progress_bar"] is False  # the run went on
    assert caplog.messages == ["no hand-over: disk full"]
    # nothing written before it failed: nothing to remove
    unit = types.SimpleNamespace(level="district")
    runner._hand_over(kernel, None, 2024, unit, tmp_path, tmp_path)
    assert kernel.env == {}


@pytest.mark.e2e
def test_a_run_waits_for_another_run_of_the_same_unit_and_says_so(tmp_path, papermill_raises,
                                                                 capsys):
    import os

    from ntmlib.safefs import FolderLock

    calls = papermill_raises(None)
    final = tmp_path / "out" / "2024" / "tra-cu"
    with FolderLock(final):
        for progress in (True, False):
            with pytest.raises(NtmError):
                runner.run_notebook(tmp_path / "nb.ipynb", {}, final, ("html",),
                                    progress=progress, lock_wait=0.05)
    assert capsys.readouterr().err == (
        f"đang chờ một lần chạy khác (tiến trình {os.getpid()}) ghi xong {final}\n")
    assert calls == []


@pytest.mark.e2e  # loads Trà Cú
def test_outside_the_main_thread_a_cell_timeout_names_the_reports_limit(tmp_path, kernel,
                                                                        papermill_raises):
    from nbclient.exceptions import CellTimeoutError

    papermill_raises(CellTimeoutError("x"))
    got = []
    t = threading.Thread(target=lambda: got.append(runner.run_report(
        2023, "tra-cu", data_dir=config.PROJECT_DIR / "data", out_dir=tmp_path / "out",
        progress=False, timeout=77)))
    t.start()
    t.join()
    assert got[0].error == "báo cáo chạy quá 77 giây cho phép (--timeout) nên đã bị dừng"


def test_a_run_without_a_warm_kernel_takes_one_with_the_folders_and_works_in_staging(
        tmp_path, papermill_raises, monkeypatch):
    from nbclient.exceptions import CellTimeoutError

    taken = []
    fresh = _Kernel(tmp_path)
    monkeypatch.setattr(runner, "take_kernel", lambda env=None: taken.append(env) or fresh)
    monkeypatch.setattr(runner._running, "limit", 300, raising=False)
    calls = papermill_raises(CellTimeoutError("x"), [_code(1), _code(2)])  # no failed cell
    final = tmp_path / "out" / "2024" / "tra-cu"
    env = {"NTM_DATA_DIR": "d", "NTM_OUTPUT_DIR": "o"}
    run = runner.run_notebook(tmp_path / "nb.ipynb", {}, final, ("html",), progress=False,
                              env=env)
    assert taken == [env] and calls[0]["kernel"] is fresh and fresh.released == [(False, None)]
    cwd = Path(calls[0]["cwd"])
    assert cwd.parent == final.parent and cwd.name.startswith(".tra-cu.")
    assert calls[0]["output"] == str(cwd / "report.ipynb")
    # stopped where no cell says so: the reason alone
    assert run.error == "báo cáo chạy quá 300 giây cho phép (--timeout) nên đã bị dừng"
    assert run.out_dir == final and 0 <= run.stages["execute"] < 5


UNITS_CSV = """code,name,type,level,parent_code,slug,valid_from,valid_to
77,Tỉnh Mẫu,Tỉnh,province,,tinh-mau,,2025-06-30
771,Huyện Một,Huyện,district,77,huyen-mot,2019-01-01,2025-06-30
772,Huyện Ba,Huyện,district,77,huyen-ba,2019-12-31,2025-06-30
77101,Xã Một,Xã,commune,771,xa-mot,,2025-06-30
77101,Xã Một,Xã,commune,77,xa-mot-moi,2025-07-01,
broken,row
"""


@pytest.mark.parametrize(("ident", "year", "level", "likely"), [
    ("huyen-mot", 2019, None, True),  # the first year it existed
    ("huyen-mot", 2025, None, True),  # its last (ended 30 June)
    ("HUYEN-MOT", 2023, "district", True),  # ids are lower case, as the reference reads them
    ("771", 2023, None, True),  # by code
    ("huyen-mot", 2018, None, False),  # not yet made
    ("huyen-ba", 2019, None, True),  # made on the year's last day
    ("huyen-mot", 2026, None, False),  # merged away
    ("huyen-mot", 2023, "commune", False),  # another level
    ("77101", 2026, None, True),  # the same code under its new id
    ("xa-mot", 2026, None, False),  # the old id after the reorganisation
    ("huyen-hai", 2023, None, False),  # no such unit
    ("Huyện Một", 2023, None, False),  # a name: the reference tables resolve it, later
    ("row", 2023, None, False),  # the short row is no unit
])
def test_likely_unit_reads_ids_codes_levels_and_years_from_units_csv(tmp_path, ident, year,
                                                                     level, likely):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    assert runner.likely_unit(tmp_path, ident, year, level) is likely


@pytest.mark.parametrize("content", ["", "code;name;level\n771;Huyện Một;district\n"])
def test_likely_unit_is_no_when_units_csv_cannot_be_read(tmp_path, content):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "units.csv").write_text(content, encoding="utf-8")
    assert runner.likely_unit(tmp_path, "771", 2023) is False


def test_likely_unit_reads_units_csv_again_once_it_is_edited(tmp_path):
    (tmp_path / "reference").mkdir()
    units = tmp_path / "reference" / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    assert runner.likely_unit(tmp_path, "huyen-hai", 2023) is False
    units.write_text(UNITS_CSV + "772,Huyện Hai,Huyện,district,77,huyen-hai,,\n",
                     encoding="utf-8")
    assert runner.likely_unit(tmp_path, "huyen-hai", 2023) is True


# --- a run's paths (runner._run_locked), its notebook's execution and export stood in ---------

def _stand_in(monkeypatch, *, error="", write=True, cell_error=False, exported=None):
    """`_execute` writes a notebook (with a cell that raised when `cell_error`) and returns
    `error`; the export writes report.html and records what it was given."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def execute(notebook, executed, parameters, staging, deadline, progress, kernel, done):
        assert executed.parent == staging and staging.name.startswith(".x.")
        if write:
            cell = new_code_cell("1/0", execution_count=7)
            if cell_error:
                cell.outputs = [new_output("error", ename="ZeroDivisionError",
                                           evalue="division by zero\nmore", traceback=[])]
            nbformat.write(new_notebook(cells=[cell]), executed)
            done.append("the executed notebook")
        return error

    def export_all(executed, staging, formats, stages, nb=None, apart=False):
        exported.append((executed.name, formats, nb, apart, sorted(stages)))
        (staging / "report.html").write_text("<p>báo cáo</p>", encoding="utf-8")
        # what a write cut short leaves (export.atomic_write's temporary name): not an output
        (staging / ".report.pdf.k3j2").write_bytes(b"%PDF")

    monkeypatch.setattr(runner, "_execute", execute)
    monkeypatch.setattr(runner, "_release", lambda kernel, keep_spare, env=None: None)
    monkeypatch.setattr("ntmlib.export.export_all", export_all)


def _locked(tmp_path, **kw):
    final = tmp_path / "x"
    run = runner._run_locked(tmp_path / "nb.ipynb", {"year": 2024}, final, ("html",),
                             kw.pop("deadline", None), False, None, False, **kw)
    left = sorted(p.name for p in tmp_path.iterdir())
    return run, final, left


def test_a_run_that_succeeds_swaps_its_outputs_in_and_removes_an_earlier_failed_notebook(
        tmp_path, monkeypatch):
    exported: list = []
    _stand_in(monkeypatch, exported=exported)
    (tmp_path / "x.failed.ipynb").write_text("{}", encoding="utf-8")  # an earlier run's
    (tmp_path / "x").mkdir()  # an earlier run's PDF, of other figures (no figures.json)
    (tmp_path / "x" / "report.pdf").write_bytes(b"%PDF-1.7")
    run, final, left = _locked(tmp_path, pdf_apart=True)
    assert left == ["x"]  # no staging folder, no failed notebook
    assert run.error == "" and run.failed_notebook is None
    assert run.dropped == ["report.pdf"]  # removed, and named in the run's summary
    assert run.outputs == [final / "report.html", final / "report.ipynb"]
    assert sorted(p.name for p in final.iterdir()) == [
        ".report.pdf.k3j2", "report.html", "report.ipynb"]
    assert list(run.stages) == ["execute"] and run.stages["execute"] >= 0
    # the export is given the notebook the run kept and its place in the staging folder
    assert exported == [("report.ipynb", ("html",), "the executed notebook", True,
                         ["execute"])]
    _locked(tmp_path)
    assert exported[-1][3] is False  # the PDF in this process unless asked


def test_a_run_whose_notebook_raised_keeps_it_as_the_failed_notebook_and_names_the_cell(
        tmp_path, monkeypatch):
    _stand_in(monkeypatch, error="papermill: the notebook raised", cell_error=True,
              exported=[])
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "report.html").write_text("cũ", encoding="utf-8")  # the last good run
    run, final, left = _locked(tmp_path)
    assert left == ["x", "x.failed.ipynb"]
    assert run.error == "ô 7 báo lỗi ZeroDivisionError: division by zero"
    assert run.failed_notebook == tmp_path / "x.failed.ipynb" and run.outputs == []
    assert (final / "report.html").read_text(encoding="utf-8") == "cũ"  # left as it was


def test_a_run_stopped_says_where_and_one_that_wrote_nothing_has_no_failed_notebook(
        tmp_path, monkeypatch):
    _stand_in(monkeypatch, error=runner.STOPPED + "dừng vì quá giờ", exported=[])
    run, _, left = _locked(tmp_path)
    assert run.error == "dừng vì quá giờ" and left == ["x.failed.ipynb"]
    (tmp_path / "x.failed.ipynb").unlink()
    _stand_in(monkeypatch, error="kernel không khởi động được", write=False, exported=[])
    run, _, left = _locked(tmp_path)
    assert (run.error, run.failed_notebook, left) == ("kernel không khởi động được", None, [])
    assert list(run.stages) == ["execute"]


def test_a_run_past_its_time_limit_after_the_notebook_keeps_the_notebook_and_no_outputs(
        tmp_path, monkeypatch):
    exported: list = []
    _stand_in(monkeypatch, exported=exported)
    with pytest.raises(ReportTimeout) as err:
        _locked(tmp_path, deadline=time.perf_counter() - 1)
    assert str(err.value) == ("báo cáo chạy quá 600 giây cho phép (--timeout) nên đã bị dừng "
                              "(khi ghi các tệp kết quả)")
    assert exported == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.failed.ipynb"]


def test_a_reports_outcome_takes_its_runs_outputs_dropped_files_and_stages(tmp_path,
                                                                            monkeypatch):
    """runner._execute_and_export with the run stood in: a run that succeeds gives the
    report its folder, outputs, the files it dropped and its stages; one that failed, its
    error and failed notebook, nothing else."""
    given = []

    def run_notebook(notebook, parameters, final, formats, **kw):
        given.append((parameters, final, kw["pdf_apart"]))
        return result

    monkeypatch.setattr(runner, "check_parameters", lambda notebook, parameters: None)
    monkeypatch.setattr(runner, "run_notebook", run_notebook)
    unit = types.SimpleNamespace(level="commune", slug="xa-mot")
    final = tmp_path / "2026" / "xa-mot"
    result = runner.NotebookRun(final, [final / "report.html"], stages={"execute": 2.5},
                                dropped=["report.pdf"])
    ok = ReportOutcome(2026, "xa-mot", "invalid", stages={"validate": 0.5})
    runner._execute_and_export(ok, Path("nb.ipynb"), 2026, unit, tmp_path, ("html",),
                               {"extra": 1}, 0.0, False, None, False, {}, pdf_apart=True)
    assert (ok.status, ok.error, ok.out_dir, ok.outputs, ok.dropped, ok.stages) == (
        "ok", "", final, [final / "report.html"], ["report.pdf"],
        {"validate": 0.5, "execute": 2.5})
    assert given == [({"year": 2026, "commune": "xa-mot", "extra": 1}, final, True)]
    result = runner.NotebookRun(final, error="ô 3 báo lỗi", stages={"execute": 1.0},
                                failed_notebook=tmp_path / "x.failed.ipynb",
                                dropped=["report.pdf"])
    failed = ReportOutcome(2026, "xa-mot", "invalid")
    runner._execute_and_export(failed, Path("nb.ipynb"), 2026, unit, tmp_path, ("html",),
                               None, 0.0, False, None, False, {})
    assert (failed.status, failed.error, failed.failed_notebook, failed.out_dir,
            failed.outputs, failed.dropped) == (
        "failed", "ô 3 báo lỗi", tmp_path / "x.failed.ipynb", None, [], [])


class _Stop(Exception):
    pass


@pytest.mark.parametrize(("ident", "order"), [
    ("huyen-mot", ["kernel", "reference"]),  # plainly in units.csv: the kernel boots first
    ("Huyện Một", ["reference"]),  # a name: the reference tables resolve it first
])
def test_the_kernel_starts_before_the_reference_is_read_only_for_a_plain_id(
        tmp_path, monkeypatch, ident, order):
    from ntmlib import reference

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    events = []
    monkeypatch.setattr(runner, "take_kernel", lambda env=None: events.append("kernel"))

    def read(root=None):
        events.append("reference")
        raise _Stop
    monkeypatch.setattr(reference, "load_reference", read)
    with pytest.raises(_Stop):
        runner.run_report(2023, ident, data_dir=tmp_path, out_dir=tmp_path / "out",
                          progress=False)
    assert events == order


def test_a_file_where_the_reports_folder_goes_is_kept_and_the_run_refused(tmp_path,
                                                                          papermill_raises):
    """A file named like the unit's folder is someone's: it is not swapped away (which left
    it as a hidden file beside the new folder), nor is anything written."""
    from ntmlib.errors import NtmError

    calls = papermill_raises(None, [_code(1)])
    final = tmp_path / "out" / "2024" / "tra-cu"
    final.parent.mkdir(parents=True)
    final.write_text("ghi chú", encoding="utf-8")
    with pytest.raises(NtmError) as err:
        _run(tmp_path)
    assert str(err.value) == (f"{final} là một tệp, không phải thư mục của báo cáo: hãy chuyển "
                              "hoặc đổi tên tệp này rồi chạy lại")
    assert _left(tmp_path) == ["tra-cu"] and final.read_text(encoding="utf-8") == "ghi chú"
    assert calls == []


def test_an_error_meant_for_the_user_is_said_without_its_class_name():
    """A cell that raised ntmlib's own error (a wrong parameter: appendix_numbering) said
    'NtmError: …' in the batch's table; a bug keeps its class's name, for whoever fixes it."""
    assert runner._raised("NtmError", "Cách đánh số phụ lục 'x' không phải arabic\nchi tiết") \
        == "Cách đánh số phụ lục 'x' không phải arabic"
    assert runner._raised("ValueError", "số âm") == "ValueError: số âm"
    assert runner._raised("KeyError", "") == "KeyError"

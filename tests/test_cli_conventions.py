"""Command-line conventions: --version, help and messages in Vietnamese unless --lang en, exit
codes, notebook parameters (-p, --params-file) checked before anything runs, --timeout for the
whole report, --quiet, and no carriage-return progress bars when nobody watches."""

from __future__ import annotations

import time

import pytest

from ntmlib import __version__
from ntmlib.cli import main
from ntmlib.runner import run_report
from tests.conftest import BUNDLED, FIXTURES


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"ntm-reports {__version__}\n"


def test_help_is_vietnamese_and_documents_the_exit_codes(capsys, monkeypatch):
    monkeypatch.delenv("NTM_LANG", raising=False)
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: ntm report")
    assert "năm báo cáo, ví dụ 2023" in out
    assert "Mã thoát: 0 hoàn thành; 1 dữ liệu có lỗi hoặc có báo cáo lỗi; 2 không thực" in out


def test_help_in_english_on_request(capsys, monkeypatch):
    monkeypatch.setenv("NTM_LANG", "vi")
    with pytest.raises(SystemExit):
        main(["--lang", "en", "report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: ntm report")
    assert "Exit status: 0 done; 1 the data has errors or a report failed; 2 the" in out


def test_usage_errors_exit_2_in_vietnamese(capsys, monkeypatch):
    monkeypatch.delenv("NTM_LANG", raising=False)
    with pytest.raises(SystemExit) as stop:
        main(["report", "--year", "2023"])
    assert stop.value.code == 2
    assert "thiếu các tham số bắt buộc: --unit/--district" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["report", "--year", "2023", "--unit", "tra-cu", "--timeout", "0"])
    assert stop.value.code == 2
    assert "0 phải lớn hơn 0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:  # a count of workers, not of seconds
        main(["batch", "--year", "2023", "--workers", "abc"])
    assert stop.value.code == 2
    assert "abc không phải là số nguyên" in capsys.readouterr().err


@pytest.mark.e2e
@pytest.mark.parametrize(("extra", "message"), [
    (["-p", "appendx_numbering", "roman"],
     "ntm: Notebook không có tham số appendx_numbering; district_report.ipynb nhận các tham "
     "số: year, district, data_dir, appendix_numbering.\n"),
    (["-p", "year", "abc"],
     "ntm: Tham số year được nhập bằng --year, không nhập bằng -p hay tệp tham số.\n"),
    (["-p", "appendix_numbering", "3"],
     "ntm: Tham số appendix_numbering phải là một chuỗi ký tự, không phải 3.\n"),
    (["--formats", "html,odt"],
     "ntm: Không có định dạng đầu ra odt: dùng html, pdf, docx, xlsx.\n"),
])
def test_bad_parameters_are_refused_before_anything_runs(tmp_path, capsys, monkeypatch,
                                                          extra, message):
    monkeypatch.delenv("NTM_LANG", raising=False)
    code = main(["report", "--year", "2023", "--unit", "tra-cu", "--data-dir", str(BUNDLED),
                 "--out-dir", str(tmp_path), *extra])
    assert code == 2
    assert capsys.readouterr().err == message
    assert list(tmp_path.iterdir()) == []


def test_parameters_file_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NTM_LANG", "en")
    bad = tmp_path / "params.yaml"
    bad.write_text("appendix_numbering: [roman\n", encoding="utf-8")
    args = ["report", "--year", "2023", "--unit", "tra-cu", "--data-dir", str(BUNDLED),
            "--out-dir", str(tmp_path / "out"), "--params-file", str(bad)]
    assert main(args) == 2
    assert capsys.readouterr().err.startswith(f"ntm: The parameters file {bad} is not valid "
                                              "YAML: ")
    bad.write_text("- roman\n", encoding="utf-8")
    assert main(args) == 2
    assert "must hold lines of the form 'name: value'" in capsys.readouterr().err
    assert main(args[:-1] + [str(tmp_path / "none.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.kernel
def test_parameters_file_quiet_run_without_carriage_returns(tmp_path, capsys):
    params = tmp_path / "params.yaml"
    params.write_text("appendix_numbering: roman\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["report", "--year", "2024", "--unit", "hoa-vang", "--data-dir", str(FIXTURES),
                 "--out-dir", str(out), "--formats", "html", "--params-file", str(params),
                 "-p", "appendix_numbering", "roman"])
    assert code == 0
    printed = capsys.readouterr()
    assert "\r" not in printed.err and "\r" not in printed.out  # no progress bars into a log
    assert "Kernel is running over TCP" not in printed.err
    html = (out / "2024" / "hoa-vang" / "report.html").read_text(encoding="utf-8")
    assert ">I</a></p>" in html  # Phụ lục I: the parameter reached the notebook
    code = main(["report", "--year", "2024", "--unit", "hoa-vang", "--data-dir", str(FIXTURES),
                 "--out-dir", str(out), "--formats", "html", "-q"])
    assert code == 0 and capsys.readouterr().out == ""


@pytest.mark.kernel
def test_timeout_covers_validation_too(tmp_path, monkeypatch):
    """A stage that hangs in this process (here validation) is stopped at the time limit."""
    import ntmlib.dataset

    monkeypatch.setattr(ntmlib.dataset, "load_unit", lambda *a, **k: time.sleep(30))
    started = time.perf_counter()
    outcome = run_report(2023, "tra-cu", data_dir=BUNDLED, out_dir=tmp_path, timeout=2,
                         progress=False)
    assert time.perf_counter() - started < 20
    assert outcome.status == "failed"
    assert outcome.error == ("báo cáo chạy quá 2 giây cho phép (--timeout) nên đã bị dừng")
    assert not (tmp_path / "2023" / "tra-cu").exists()


@pytest.mark.parametrize("year", ["0", "-1", "99999999999", "abc"])
def test_impossible_years_are_one_sentence(capsys, monkeypatch, year):
    monkeypatch.delenv("NTM_LANG", raising=False)
    with pytest.raises(SystemExit) as stop:
        main(["validate", f"--year={year}", "--unit", "tra-cu"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "tham số --year: " in err


def test_an_outputs_folder_that_is_a_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NTM_LANG", raising=False)
    afile = tmp_path / "outputs"
    afile.write_text("not a folder", encoding="utf-8")
    assert main(["report", "--year", "2023", "--unit", "tra-cu", "--data-dir", str(BUNDLED),
                 "--out-dir", str(afile / "sub"), "--formats", "html"]) == 2
    assert capsys.readouterr().err == (f"ntm: Không dùng được thư mục kết quả {afile / 'sub'}: "
                                       f"{afile} là một tệp, không phải thư mục.\n")


def test_a_bad_timeout_setting_is_one_sentence(tmp_path, capsys, monkeypatch):
    from ntmlib import config

    monkeypatch.delenv("NTM_LANG", raising=False)
    monkeypatch.setattr(config, "TIMEOUT_PROBLEM", "NTM_TIMEOUT='abc'")
    assert main(["report", "--year", "2023", "--unit", "tra-cu", "--data-dir", str(BUNDLED),
                 "--out-dir", str(tmp_path), "--formats", "html"]) == 2
    assert capsys.readouterr().err.startswith("ntm: NTM_TIMEOUT='abc' không phải số giây")
    assert config._seconds("NTM_NO_SUCH_SETTING") == (600, "")
    monkeypatch.setenv("NTM_TIMEOUT", "abc")
    assert config._seconds("NTM_TIMEOUT") == (600, "NTM_TIMEOUT='abc'")
    monkeypatch.setenv("NTM_TIMEOUT", "90")
    assert config._seconds("NTM_TIMEOUT") == (90, "")


def test_a_second_batch_of_the_same_year_is_refused_while_one_runs(tmp_path):
    from ntmlib.batch import run_batch
    from ntmlib.errors import NtmError
    from ntmlib.safefs import FolderLock

    with FolderLock(tmp_path / "2023" / "batch"), \
            pytest.raises(NtmError, match="being written by another run|đang được"):
        run_batch(2023, districts=["tra-cu"], data_dir=BUNDLED, out_dir=tmp_path,
                  progress=False)
    assert not (tmp_path / "2023" / "build.json").exists()

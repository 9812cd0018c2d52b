"""Tests for cmokit.validation.report: findings, reports and their JSON and CSV forms."""

from __future__ import annotations

import csv
import io
import json
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cmokit
from cmokit import Finding, LoadError, Report, Severity, ValidationError
from cmokit.validation import COLUMNS, dump_csv, dump_json, reports_from_csv, reports_from_json

ERROR = Finding("CMO001", "error", ["CMOC2"], "configuration 'CMOC2' has no mechanism", "add one")
WARNING = Finding("CMO002", "warning", ["blame"], "listed but not configured", "use it")
INFO = Finding("CMO011", "info", ["CMOC1"], "no statement")
OTHER_WARNING = Finding("CMO003", Severity.WARNING, ("engaged",), "unexplained")


# ------------------------------------------------------------------------ Finding


def test_finding_normalises_severity_and_ids() -> None:
    assert ERROR.severity is Severity.ERROR
    assert ERROR.ids == ("CMOC2",)
    assert Finding("CMO001", "error", "CMOC2", "x").ids == ("CMOC2",)
    assert INFO.hint == ""


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        (("CMO001", "fatal", ["a"], "x"), ValueError, "severity must be one of"),
        (("CMO001", "error", [1], "x"), TypeError, "ids must hold strings"),
        ((1, "error", ["a"], "x"), TypeError, "code"),
        (("CMO001", "error", ["a"], None), TypeError, "message"),
    ],
)
def test_finding_rejects_bad_values(arguments: tuple[object, ...], error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        Finding(*arguments)  # type: ignore[arg-type]


def test_finding_is_frozen_and_hashable() -> None:
    with pytest.raises(AttributeError):
        ERROR.code = "CMO002"  # type: ignore[misc]
    assert (
        len(
            {
                ERROR,
                Finding(
                    *[getattr(ERROR, f) for f in ("code", "severity", "ids", "message", "hint")]
                ),
            }
        )
        == 1
    )


def test_finding_str_and_dict() -> None:
    assert str(WARNING) == "CMO002 [blame] listed but not configured"
    assert str(Finding("CMO022", "info", [], "no evidence")) == "CMO022 no evidence"
    assert WARNING.to_dict() == {
        "code": "CMO002",
        "severity": "warning",
        "ids": ["blame"],
        "message": "listed but not configured",
        "hint": "use it",
    }


# ------------------------------------------------------------------------- Report


def test_report_orders_findings_by_severity_then_code() -> None:
    report = Report([INFO, OTHER_WARNING, WARNING, ERROR])
    assert report.findings == (ERROR, WARNING, OTHER_WARNING, INFO)
    assert report.errors == (ERROR,)
    assert report.warnings == (WARNING, OTHER_WARNING)
    assert report.infos == (INFO,)
    assert list(report) == list(report.findings)
    assert len(report) == 4


@pytest.mark.parametrize(
    ("findings", "ok"),
    [([], True), ([INFO], True), ([WARNING, INFO], True), ([ERROR], False), ([INFO, ERROR], False)],
)
def test_report_ok_means_no_error(findings: list[Finding], ok: bool) -> None:
    assert Report(findings).ok is ok


@pytest.mark.parametrize(
    ("findings", "summary"),
    [
        ([], "no findings"),
        ([ERROR], "1 error"),
        ([ERROR, WARNING, OTHER_WARNING, INFO], "1 error, 2 warnings, 1 info"),
        ([INFO, INFO], "2 infos"),
    ],
)
def test_report_summary(findings: list[Finding], summary: str) -> None:
    assert Report(findings).summary() == summary


def test_report_str_groups_by_severity_with_hints() -> None:
    text = str(Report([INFO, WARNING, ERROR]))
    assert text.splitlines() == [
        "1 error, 1 warning, 1 info",
        "errors:",
        "  CMO001 [CMOC2] configuration 'CMOC2' has no mechanism",
        "    hint: add one",
        "warnings:",
        "  CMO002 [blame] listed but not configured",
        "    hint: use it",
        "infos:",
        "  CMO011 [CMOC1] no statement",
    ]


def test_empty_report_str_and_truth() -> None:
    assert str(Report()) == "no findings"
    assert not Report()
    assert Report([INFO])


def test_raise_for_errors_carries_the_report() -> None:
    report = Report([ERROR, WARNING])
    with pytest.raises(ValidationError) as caught:
        report.raise_for_errors()
    assert caught.value.report is report
    assert isinstance(caught.value, cmokit.CmokitError)
    assert "CMO001 [CMOC2]" in str(caught.value)


def test_raise_for_errors_is_silent_without_errors() -> None:
    Report([WARNING, INFO]).raise_for_errors()


def test_theory_validate_raise_for_errors() -> None:
    theory = cmokit.ProgrammeTheory(
        items=[
            cmokit.Context("c", "C"),
            cmokit.Outcome("o", "O"),
            cmokit.Configuration("K", contexts=["c"], outcomes=["o"]),
        ]
    )
    with pytest.raises(ValidationError) as caught:
        theory.validate().raise_for_errors()
    assert [f.ids for f in caught.value.report.errors] == [("K",)]


def test_to_frame_has_the_documented_columns() -> None:
    frame = Report([WARNING, ERROR], path="m.yaml").to_frame()
    assert tuple(frame.columns) == COLUMNS
    assert frame["code"].tolist() == ["CMO001", "CMO002"]
    assert frame["severity"].tolist() == ["error", "warning"]
    assert frame["ids"].tolist() == [("CMOC2",), ("blame",)]
    assert frame["path"].tolist() == ["m.yaml", "m.yaml"]


def test_empty_report_frame_keeps_its_columns() -> None:
    frame = Report().to_frame()
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == 0


def test_report_equality_includes_path() -> None:
    assert Report([ERROR], path="a.yaml") == Report([ERROR], path="a.yaml")
    assert Report([ERROR], path="a.yaml") != Report([ERROR], path="b.yaml")
    assert Report([ERROR]) != Report([WARNING])


# --------------------------------------------------------------------- JSON and CSV


def test_json_document_shape() -> None:
    document = json.loads(Report([ERROR, INFO], path="m.yaml").to_json())
    assert document["cmokit_validation"] == 1
    assert document["files"] == ["m.yaml"]
    assert document["summary"] == {"error": 1, "warning": 0, "info": 1}
    assert document["findings"][0] == {
        "path": "m.yaml",
        "code": "CMO001",
        "severity": "error",
        "ids": ["CMOC2"],
        "message": "configuration 'CMOC2' has no mechanism",
        "hint": "add one",
    }
    assert [list(f) for f in document["findings"]] == [list(COLUMNS)] * 2


def test_csv_table_shape() -> None:
    rows = list(csv.reader(io.StringIO(Report([WARNING], path="m.yaml").to_csv())))
    assert rows == [
        list(COLUMNS),
        ["m.yaml", "CMO002", "warning", '["blame"]', "listed but not configured", "use it"],
    ]


def test_json_and_csv_read_back_several_files() -> None:
    reports = [Report([ERROR, INFO], path="one.yaml"), Report([WARNING], path="two.yaml")]
    assert reports_from_json(dump_json(reports)) == reports
    assert reports_from_csv(dump_csv(reports)) == reports


def test_empty_reports_read_back_empty() -> None:
    assert reports_from_json(dump_json([])) == []
    assert reports_from_csv(dump_csv([])) == []
    assert Report.from_json(Report().to_json()) == Report()
    clean = Report(path="clean.yaml")
    assert reports_from_json(dump_json([clean, Report([INFO], path="b.yaml")]))[0] == clean
    assert reports_from_csv("") == []


AWKWARD = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
IDS = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12), max_size=4
)
FINDINGS = st.builds(
    Finding,
    code=st.from_regex(r"CMO\d{3}", fullmatch=True),
    severity=st.sampled_from(Severity),
    ids=IDS,
    message=AWKWARD,
    hint=AWKWARD,
)


@given(findings=st.lists(FINDINGS, max_size=12))
def test_report_order_is_a_stable_sort_by_severity_then_code(findings: list[Finding]) -> None:
    expected = sorted(findings, key=lambda finding: (finding.severity.rank, finding.code))
    assert list(Report(findings).findings) == expected
    # identity too: a stable sort keeps each rule's own order of equal findings
    assert all(a is b for a, b in zip(Report(findings).findings, expected, strict=True))


def test_a_report_refuses_a_finding_like_object_without_a_severity() -> None:
    # Finding converts its severity; an object of the caller's own must not vanish quietly.
    odd = types.SimpleNamespace(code="X001", severity="error", ids=(), message="m", hint="")
    with pytest.raises(TypeError, match="severity 'error'"):
        Report([WARNING, odd])  # type: ignore[list-item]


@given(findings=st.lists(FINDINGS, max_size=6), path=st.sampled_from([None, "m.yaml", "a, b.json"]))
def test_any_report_survives_json_and_csv(findings: list[Finding], path: str | None) -> None:
    report = Report(findings, path=path)
    assert Report.from_json(report.to_json()) == report
    # CSV has rows for findings only, so a file without findings leaves no trace
    assert reports_from_csv(report.to_csv()) == ([report] if findings else [])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "no 'findings' list"),
        ('{"findings": []}', "unsupported cmokit_validation version"),
        ('{"cmokit_validation": 1, "findings": {}}', "'findings' must be a list"),
        ('{"cmokit_validation": 1, "findings": [3]}', "finding 0: must be an object"),
        (
            '{"cmokit_validation": 1, "findings": [{"code": "CMO001"}]}',
            "missing the field 'severity'",
        ),
        (
            '{"cmokit_validation": 1, "findings": [{"code": "CMO001", "severity": "bad",'
            ' "ids": [], "message": "x", "hint": ""}]}',
            "severity must be one of",
        ),
    ],
)
def test_malformed_json_is_a_load_error(text: str, words: str) -> None:
    with pytest.raises(LoadError, match=words):
        reports_from_json(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("code,severity\n", "the CSV header must be"),
        ("path,code,severity,ids,message,hint\nm.yaml,CMO001\n", "expected 6 cells"),
        ("path,code,severity,ids,message,hint\nm.yaml,CMO001,error,CMOC2,x,\n", "JSON array"),
        ('path,code,severity,ids,message,hint\nm.yaml,CMO001,error,"{}",x,\n', "JSON array"),
        ('path,code,severity,ids,message,hint\nm.yaml,CMO001,oops,"[]",x,\n', "severity"),
    ],
)
def test_malformed_csv_is_a_load_error_with_its_line(text: str, words: str) -> None:
    with pytest.raises(LoadError, match=words) as caught:
        reports_from_csv(text)
    assert caught.value.problems[0].line in (1, 2)


@pytest.mark.parametrize("form", ["json", "csv"])
def test_reading_one_report_from_several_files_is_refused(form: str) -> None:
    reports = [Report([ERROR], path="one.yaml"), Report([WARNING], path="two.yaml")]
    if form == "json":
        with pytest.raises(LoadError, match="several files"):
            Report.from_json(dump_json(reports))
    else:
        with pytest.raises(LoadError, match="several files"):
            Report.from_csv(dump_csv(reports))


def test_severity_rank_and_plural() -> None:
    assert [s.rank for s in Severity] == [0, 1, 2]
    assert [s.plural for s in Severity] == ["errors", "warnings", "infos"]

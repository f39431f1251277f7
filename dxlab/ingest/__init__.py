"""Survey exports in, clean tidy data out: readers, column mapping, cleaning with a quarantine.

>>> import dxlab
>>> result = dxlab.read_export("data/raw/sample-google-forms-vi.csv", "mobifone-dx")   # doctest: +SKIP
>>> result.responses        # one row per kept submission, one Int8 column per criterion   # doctest: +SKIP
>>> result.issues           # row, column, value, problem, action                          # doctest: +SKIP
>>> print(result.summary())                                                               # doctest: +SKIP

The steps are public too: :func:`read_raw` (format and encoding detection, header rows → named columns),
:func:`suggest_mapping` (columns → criteria and metadata fields), and :func:`clean_to_folder` (everything,
written to ``data/processed/``).
"""

from __future__ import annotations

from collections.abc import Mapping as TypingMapping
from dataclasses import replace
from pathlib import Path

from .._i18n import tr
from ..rubric import NonAnswer, Rubric, load_rubric, parse_non_answers
from ..vocab import PROVINCES, VSIC_SECTIONS
from ._clean import (
    DUPLICATE_POLICIES,
    NONRESPONSE_COLUMNS,
    QUARANTINED,
    RAW_COLUMNS,
    UNRECOGNISED,
    CleanResult,
    SourceInfo,
    _Cleaning,
    check_duplicates_policy,
    clean_export,  # noqa: F401  # the cleaning step alone, as before
    prepare_cleaning,
)
from ._decode import Encoding, detect_encoding
from ._formats import FORMATS, RawExport, SourceColumn, detect_format, read_raw
from ._issue_text import ISSUE_CODES, issue_code, localise_issues
from ._mapping import (
    APPLY_AT,
    METADATA_FIELDS,
    ColumnMatch,
    Mapping,
    match_columns,
    read_mapping_file,
    read_mapping_non_answers,
)
from ._normalise import province_name, sector_section, size_class, size_from_employees, tax_code
from ._parts import DATASET_ABOVE_ROWS, OUT_FORMATS, PARQUET_PART_ROWS
from ._stream import STREAM_ABOVE_BYTES, NotStreamable, StreamedCleaning, prepare_streamed

__all__ = [
    "APPLY_AT",
    "CleanResult",
    "ColumnMatch",
    "DUPLICATE_POLICIES",
    "Encoding",
    "FORMATS",
    "METADATA_FIELDS",
    "Mapping",
    "NONRESPONSE_COLUMNS",
    "PROVINCES",
    "QUARANTINED",
    "RAW_COLUMNS",
    "RawExport",
    "SourceColumn",
    "SourceInfo",
    "UNRECOGNISED",
    "VSIC_SECTIONS",
    "clean_to_folder",
    "detect_encoding",
    "detect_format",
    "province_name",
    "read_export",
    "read_raw",
    "sector_section",
    "size_class",
    "size_from_employees",
    "suggest_mapping",
    "tax_code",
    "write_outputs",
]
__all__ += ["STREAM_ABOVE_BYTES"]
__all__ += ["DATASET_ABOVE_ROWS", "ISSUE_CODES", "OUT_FORMATS", "PARQUET_PART_ROWS", "issue_code", "localise_issues"]


def _explicit(mapping: object, rubric: Rubric) -> dict[str, str | None] | None:
    if mapping is None:
        return None
    if isinstance(mapping, Mapping):
        return {m.column: m.target for m in mapping.matches if m.how != "ambiguous" or m.target}
    if isinstance(mapping, (str, Path)):
        return read_mapping_file(mapping, rubric)
    if isinstance(mapping, TypingMapping):
        from ._mapping import _check_target

        return {str(k): _check_target(v, rubric, f"mapping entry {k!r}") for k, v in mapping.items()}
    raise ValueError(
        f"mapping must be a file path, a dict of column → target, a Mapping or None, not {type(mapping).__name__}"
    )


def _non_answers(mapping: object, codes: object) -> tuple[NonAnswer, ...]:
    """The export's own non-answer codes: the mapping file's ``non_answers:`` and the ``non_answers`` keyword
    (a dict code → ``not_applicable``/``dont_know``, or NonAnswer objects)."""
    found: list[NonAnswer] = []
    if isinstance(mapping, (str, Path)):
        found += read_mapping_non_answers(mapping)
    elif isinstance(mapping, Mapping):
        found += mapping.non_answers
    if isinstance(codes, TypingMapping):
        problems: list[str] = []
        found += parse_non_answers(dict(codes), "non_answers", lambda where, msg: problems.append(f"{where}: {msg}"))
        if problems:
            raise ValueError("; ".join(problems[:5]))
    elif codes:
        items = list(codes)  # type: ignore[call-overload]
        if not all(isinstance(c, NonAnswer) for c in items):
            raise ValueError("non_answers must be a dict code → 'not_applicable'/'dont_know' or NonAnswer objects")
        found += items
    return tuple(found)


def suggest_mapping(
    path: str | Path | RawExport,
    rubric: Rubric | str,
    *,
    mapping: object = None,
    format: str = "auto",
    encoding: str | None = None,
    sheet: str | int | None = None,
    non_answers: object = None,
    header_rows: int | None = None,
) -> Mapping:
    """Map an export's columns to ``rubric``'s criteria and to metadata fields.

    Parameters
    ----------
    path : str, Path or RawExport
        The export (or an export already read with :func:`read_raw`).
    rubric : Rubric or str
        The rubric or a shipped rubric id.
    mapping : path, dict or Mapping, optional
        An explicit mapping (YAML/CSV file: column → criterion id, metadata field, ``extra`` or ``drop``);
        it wins for every column it names; the other columns are matched automatically.
    format, encoding, sheet, header_rows
        As for :func:`read_raw`.
    non_answers : dict, optional
        The export's own non-answer codes (code → ``not_applicable`` or ``dont_know``), on top of the
        rubric's and the mapping file's ``non_answers:``; the written YAML lists them all.

    Returns
    -------
    Mapping
        One :class:`ColumnMatch` (column, target, how, confidence, candidates, note) per column.
        Matches below :data:`APPLY_AT` or tied with another candidate are not applied (``target`` is None,
        ``how`` is "ambiguous" or "weak match" with ``candidates``). ``Mapping.write("mapping.yaml")``
        gives an editable file.

    Examples
    --------
    >>> import dxlab.ingest as ingest
    >>> m = ingest.suggest_mapping("data/raw/sample-google-forms-vi.csv", "mobifone-dx")   # doctest: +SKIP
    >>> m.to_frame().head()                                                                # doctest: +SKIP
    """
    rubric = load_rubric(rubric)
    raw = (
        path
        if isinstance(path, RawExport)
        else read_raw(path, format=format, encoding=encoding, sheet=sheet, header_rows=header_rows)
    )
    return match_columns(
        raw.columns, rubric, _explicit(mapping, rubric), non_answers=_non_answers(mapping, non_answers)
    )


def read_export(
    path: str | Path,
    rubric: Rubric | str,
    mapping: object = None,
    format: str = "auto",
    *,
    duplicates: str = "latest",
    wave: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    keep_unmapped: bool = True,
    allow_partial: bool = False,
    non_answers: object = None,
    header_rows: int | None = None,
    chunk_rows: int | None = PARQUET_PART_ROWS,
    stream: bool | None = None,
) -> CleanResult:
    """Read a survey export and clean it into tidy responses, losing nothing.

    Parameters
    ----------
    path : str or Path
        A Google Forms CSV (English or Vietnamese), Microsoft Forms XLSX, Qualtrics CSV (3 header rows or the
        legacy ``V1…`` layout), SurveyMonkey CSV (2 header rows), KoboToolbox/ODK CSV or XLSX, or a plain
        CSV/XLSX with one row per response. Encoding (UTF-8 with or without BOM, UTF-16, cp1258, cp1252) and
        delimiter (comma, tab, semicolon) are detected; all text is normalised to Unicode NFC.
    rubric : Rubric or str
        The rubric whose criteria the answers belong to (or a shipped rubric id).
    mapping : path, dict or Mapping, optional
        Explicit column mapping; see :func:`suggest_mapping`.
    format : str
        ``"auto"`` (detect from the file's header rows) or one of :data:`FORMATS`.
    duplicates : {"latest", "first", "keep-all"}
        Several submissions of one enterprise in one wave: keep the latest by ``submitted_at`` (ties and
        rows without a time go by row order, rows without a time counting as earliest), the first, or all.
        The others are quarantined with the reason. The enterprise is its tax code, else its name (case and
        tone marks ignored), else the respondent's e-mail. When the export says who answered (a
        ``respondent_id`` code, an e-mail, a ``respondent_name`` or a ``respondent_role`` column, the first
        of these a row has), the key is (enterprise, respondent, wave): several respondents of one
        enterprise are all kept, and only a respondent's re-submissions are duplicates.
    wave : str, optional
        The wave for every row when the export has no wave column (default: the year submitted).
    encoding : str, optional
        A Python codec name to override encoding detection.
    sheet : str or int, optional
        XLSX sheet: its name, or its 0-based position (a text number counts from 1, as on the command line).
        Default: the sheet with the most filled columns; the others are named in ``source.notes``.
    keep_unmapped : bool
        Keep unmapped columns (comments, names, anything else) as extra columns after the criteria. A column
        whose every value is a plain number (age, employees) comes back numeric (``Int64`` or ``Float64``).
    allow_partial : bool
        Read the export even when fewer than half of the rubric's criteria map to a column. Without it that
        is a ``ValueError`` saying how many mapped and which installed rubric fits the export best.
    non_answers : dict, optional
        The export's own non-answer codes (code → ``not_applicable`` or ``dont_know``), on top of the rubric's
        and the mapping file's ``non_answers:``.
    header_rows : int, optional
        Number of header rows, overriding the format's own (and the search for title rows above the header);
        see :func:`read_raw`.
    chunk_rows : int or None
        The tables are built this many rows at a time (None: all at once); the result is the same.
    stream : bool or None
        Clean a CSV file batch by batch (``chunk_rows`` records at a time), never holding the whole file: True,
        False, or None (default) for files above :data:`STREAM_ABOVE_BYTES`. The result is the same. XLSX
        workbooks, ragged files, files whose quotes may be unbalanced and a given ``encoding`` are cleaned
        whole (a note in ``source.notes`` says why when ``stream=True``).

    Returns
    -------
    CleanResult
        ``responses`` (wide: ``response_id, enterprise_id, submitted_at, wave, sector, size, province,
        respondent_role, weight``, optional metadata, ``source_row``, one ``Int8`` column per criterion id,
        then extra columns), ``issues`` (``row, column, value, problem, action``; ``row`` is the 1-based row
        number a spreadsheet shows for the record, header rows included), ``mapping``, ``recodes`` and
        ``source``, and ``nonresponse`` (``row, response_id, column, criterion, value, code``: the
        non-answers, which are ``<NA>`` in ``responses`` and never issues). ``responses, issues, mapping =
        result`` unpacks. When sector, size or province is mapped, ``sector_raw``, ``size_raw`` and
        ``province_raw`` keep the text as written.

    Notes
    -----
    Each input data row ends either in ``responses`` or in ``issues`` with ``action`` "row quarantined…"
    and one of the reasons: empty row, repeated header row, test submission (enterprise named "test",
    "thử nghiệm", …), no valid answer to any criterion, duplicate submission. Answers are parsed with
    :func:`dxlab.parse_levels`; an answer that is not clearly a level becomes ``<NA>`` with an issue, a
    declared non-answer becomes ``<NA>`` listed in ``nonresponse``. Sector becomes a VSIC 2018 section letter,
    size an SME class (Decree 80/2021/NĐ-CP, from a label or the number of employees), province a canonical
    name; a value that cannot be recognised is never guessed: the standard column is ``<NA>``, the text stays
    in ``sector_raw``/``size_raw``/``province_raw`` and an issue says "unrecognised". Respondents' free text
    is kept as given (NFC).

    Examples
    --------
    >>> import dxlab
    >>> result = dxlab.read_export("data/raw/sample-google-forms-vi.csv", "mobifone-dx")   # doctest: +SKIP
    >>> print(result.summary())                                                           # doctest: +SKIP
    """
    return _prepare(
        path,
        rubric,
        mapping,
        format,
        duplicates=duplicates,
        wave=wave,
        encoding=encoding,
        sheet=sheet,
        keep_unmapped=keep_unmapped,
        allow_partial=allow_partial,
        non_answers=non_answers,
        header_rows=header_rows,
        stream=stream,
        batch_rows=chunk_rows,
    ).result(chunk_rows)


def _prepare(
    path: str | Path,
    rubric: Rubric | str,
    mapping: object = None,
    format: str = "auto",
    *,
    duplicates: str = "latest",
    wave: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    keep_unmapped: bool = True,
    allow_partial: bool = False,
    non_answers: object = None,
    header_rows: int | None = None,
    stream: bool | None = None,
    batch_rows: int | None = PARQUET_PART_ROWS,
) -> _Cleaning | StreamedCleaning:
    """Read, map and take every cleaning decision; the tables are then built chunk by chunk by the caller
    (a file cleaned batch by batch has its batches set aside, ready)."""
    rubric = load_rubric(rubric)
    explicit, codes = _explicit(mapping, rubric), _non_answers(mapping, non_answers)

    def matcher(raw: RawExport) -> Mapping:
        return match_columns(raw.columns, rubric, explicit, non_answers=codes)

    why_whole = ""
    if stream or (stream is None and Path(path).is_file() and Path(path).stat().st_size > STREAM_ABOVE_BYTES):
        check_duplicates_policy(duplicates)
        try:
            return prepare_streamed(
                Path(path),
                rubric,
                matcher,
                format=format,
                duplicates=duplicates,
                wave=wave,
                encoding=encoding,
                sheet=sheet,
                keep_unmapped=keep_unmapped,
                allow_partial=allow_partial,
                header_rows=header_rows,
                batch_rows=batch_rows or PARQUET_PART_ROWS,
            )
        except NotStreamable as exc:
            why_whole = str(exc)
    raw = read_raw(path, format=format, encoding=encoding, sheet=sheet, header_rows=header_rows)
    if why_whole and stream:
        raw = replace(raw, notes=(*raw.notes, tr("ingest.n_whole", "en", reason=why_whole)))
    matched = matcher(raw)
    return prepare_cleaning(
        raw,
        rubric,
        matched,
        duplicates=duplicates,  # type: ignore[arg-type]  # checked by prepare_cleaning
        wave=wave,
        keep_unmapped=keep_unmapped,
        allow_partial=allow_partial,
    )


def write_outputs(
    result: CleanResult, out_dir: str | Path, *, lang: str | None = None, out_format: str = "auto"
) -> list[Path]:
    """Write ``responses.parquet``, ``responses.csv``, ``issues.csv``, ``recodes.csv``, ``nonresponse.csv``,
    ``mapping.yaml`` and ``summary.txt`` to ``out_dir``; CSV cells that a spreadsheet would run as formulas are
    neutralised.

    ``issues.csv`` and ``summary.txt`` are in ``lang`` (default ``DXLAB_LANG``, else Vietnamese); ``issues.csv``
    has a ``code`` column (:data:`ISSUE_CODES`) for programs. ``out_format`` is ``"parquet"`` (one file),
    ``"parquet-dataset"`` (a folder ``responses/`` of Parquet parts of :data:`PARQUET_PART_ROWS` rows, which
    ``pyarrow.dataset`` and Dask read part by part) or ``"auto"`` (a dataset above :data:`DATASET_ABOVE_ROWS`
    responses).
    """
    from ..io import write_csv
    from ._parts import write_responses

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    responses = result.responses
    paths.append(write_responses(responses, out, out_format))
    paths.append(write_csv(responses, out / "responses.csv"))
    paths.append(write_csv(localise_issues(result.issues, lang), out / "issues.csv"))
    paths.append(write_csv(result.recodes, out / "recodes.csv"))
    paths.append(write_csv(result.nonresponse, out / "nonresponse.csv"))
    paths.append(result.mapping.write(out / "mapping.yaml"))
    summary = out / "summary.txt"
    summary.write_text(result.summary(lang) + "\n", encoding="utf-8")
    paths.append(summary)
    return paths


def clean_to_folder(
    raw_path: str | Path,
    rubric: Rubric | str,
    out_dir: str | Path = "data/processed",
    mapping: object = None,
    *,
    lang: str | None = None,
    out_format: str = "auto",
    chunk_rows: int = PARQUET_PART_ROWS,
    keep_responses: bool = True,
    **options,
) -> CleanResult:
    """:func:`read_export` then :func:`write_outputs`: the tidy responses, the issues, the recodes, the
    non-answers, the mapping used and the summary, all in ``out_dir``, written ``chunk_rows`` rows at a time
    (with a Parquet dataset, one part per chunk). ``options`` go to :func:`read_export`; ``lang`` and
    ``out_format`` to :func:`write_outputs`.

    With ``keep_responses=False`` the responses are never all in memory: each chunk is written and dropped,
    and the result's ``responses`` and ``nonresponse`` are empty frames with their columns (``kept_rows`` says
    how many responses were written); read them back from ``out_dir``.
    """
    from ._parts import write_in_parts

    cleaning = _prepare(raw_path, rubric, mapping, batch_rows=chunk_rows, **options)
    return write_in_parts(
        cleaning, Path(out_dir), lang=lang, out_format=out_format, chunk_rows=chunk_rows, keep=keep_responses
    )

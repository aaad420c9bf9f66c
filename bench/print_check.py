"""How the programme workbook prints: the demo's workbook converted to PDF by LibreOffice.

    .venv/bin/python bench/print_check.py [--out DIR] [--database URL] [--full]

Not a test, and nothing of `make test` or CI depends on it: it needs LibreOffice (`soffice` on
PATH; on Debian `apt-get install --no-install-recommends libreoffice-calc`), and says so, and
exits with status 2, when it is missing.

By default it seeds the demo (`seed_demo`, its default seed) into a fresh SQLite database in
a temporary folder; `--database` names one that already holds it instead (the local
`sqlite:///db.sqlite3` of `make run`, say; it is only read, migrations apart). It writes the
workbook as the demo's admin sees it (`reports.exporting.workbook_write`, pseudonymised unless
`--full`), reads it back with openpyxl, converts it to PDF headless, then each sheet on its
own (the others hidden, which LibreOffice does not print), and prints the pages of each, the
width of its columns (characters, as Excel counts them), the pages wide it prints on (one,
unless too wide for 60%), the scale that width prints at on them
(`focus.spreadsheets.writing.print_scale`) and the scale LibreOffice printed it at:
the median height of the words on its pages (pdftotext, from poppler-utils; "-" without it)
against that of the same font at 100%, in a workbook of one sheet converted first. Whatever
LibreOffice says on its error stream is printed too. The PDFs stay in `--out` (a new
temporary folder when not given), for a person to look at the pages (`pdftoppm -png`).
"""

import argparse
import html
import io
import os
import re
import secrets
import shutil
import statistics
import subprocess  # runs LibreOffice and pdftotext with fixed arguments # nosec B404
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")  # a page object of the PDF, not /Pages
SHEET_STATE = re.compile(r'(<sheet\b[^>]*?)\s+state="[^"]*"')
JAVA = "javaldx"  # LibreOffice's warning that it found no Java, which converting does not need
WORD = re.compile(r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)"')


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder for the workbook and its PDFs")
    parser.add_argument("--database", help="a database that holds the demo (default: seed one)")
    parser.add_argument("--full", action="store_true", help="the full-data version")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per conversion")
    return parser.parse_args()


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _workbook(target: Path, *, seed: bool, full: bool) -> dict[str, int]:
    from django.core.management import call_command

    from accounts.models import User
    from reports.exporting import workbook_write
    from reports.figures import Period

    if seed:
        password = secrets.token_urlsafe(18)  # nobody logs in: it only has to be valid
        call_command("seed_demo", "--force", "--password", password, stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    return workbook_write(target, actor=admin, period=Period(), full=full)


def _only(workbook: Path, sheet: int, target: Path) -> None:
    """A copy of `workbook` with every sheet but the `sheet`-th (0-based) hidden, and that
    one active (a workbook needs a visible active sheet)."""
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = _hide_others(data.decode(), sheet).encode()
            copy.writestr(item, data)


def _hide_others(xml: str, keep: int) -> str:
    xml = SHEET_STATE.sub(r"\1", xml)
    index = -1

    def state(match: re.Match) -> str:
        nonlocal index
        index += 1
        return match.group(0) if index == keep else match.group(1) + ' state="hidden"'

    xml = re.sub(r"(<sheet\b)", state, xml)
    # LibreOffice prints a hidden sheet that has a print area: the others' go too.
    xml = re.sub(
        r'<definedName\b[^>]*\blocalSheetId="(\d+)"[^>]*>[^<]*</definedName>',
        lambda match: match.group(0) if int(match.group(1)) == keep else "",
        xml,
    )
    xml = re.sub(r'\sactiveTab="\d+"', "", xml)
    return re.sub(r"(<workbookView\b)", rf'\1 activeTab="{keep}"', xml, count=1)


def _pdf(soffice: str, workbook: Path, profile: Path, timeout: int) -> Path:
    """`workbook` converted to PDF beside it by LibreOffice, headless, with a profile of its
    own (so that a LibreOffice already open elsewhere is left alone); what LibreOffice says
    on its error stream, printed."""
    # soffice from PATH, with the arguments built here.
    done = subprocess.run(  # noqa: S603 # nosec B603
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workbook.parent),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    for line in done.stderr.decode(errors="replace").splitlines():
        if JAVA not in line:
            print(f"LibreOffice, {workbook.name}: {line}", file=sys.stderr)
    pdf = workbook.with_suffix(".pdf")
    if not pdf.exists():
        raise SystemExit(f"LibreOffice wrote no {pdf.name}.")
    return pdf


def _pages(pdf: Path) -> int:
    return len(PAGE.findall(pdf.read_bytes()))


def _word_height(pdf: Path, timeout: int) -> float | None:
    """The median height (points) of the words on the pages of `pdf`, or None without
    pdftotext or words."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    # pdftotext from PATH, with the arguments built here.
    done = subprocess.run(  # noqa: S603 # nosec B603
        [pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=timeout
    )
    heights = [float(bottom) - float(top) for top, bottom in WORD.findall(done.stdout.decode())]
    return statistics.median(heights) if heights else None


def _reference(folder: Path, soffice: str, profile: Path, timeout: int) -> float | None:
    """The height of the workbook's words printed at 100%: a sheet of a few cells of its
    font, set up as the tables are, converted by LibreOffice."""
    from openpyxl import Workbook

    from focus.spreadsheets.writing import print_setup

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Riferimento"
    print_setup(sheet)
    for row in range(1, 21):
        sheet.append([f"Riga {row}", "Bergamo", "Tempo pieno", row])
    path = folder / "reference.xlsx"
    workbook.save(path)
    return _word_height(_pdf(soffice, path, profile, timeout), timeout)


def _widths(workbook: Path) -> dict[str, tuple[float, float, int]]:
    """Each table's width (the sum of its printed columns' widths, characters), its first
    column's and the pages wide it prints on, read back with openpyxl."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter, range_boundaries

    widths = {}
    for sheet in load_workbook(workbook).worksheets:
        area = sheet.print_area
        area = (area[0] if isinstance(area, list) else area) if area else sheet.dimensions
        first, _top, last, _bottom = range_boundaries(area.split("!")[-1].replace("$", ""))
        columns = [
            sheet.column_dimensions[get_column_letter(column)].width or 8.43
            for column in range(first, last + 1)
        ]
        widths[sheet.title] = (sum(columns), columns[0], sheet.page_setup.fitToWidth or 1)
    return widths


def main() -> None:
    arguments = _arguments()
    soffice = shutil.which("soffice")
    if soffice is None:
        print(
            "LibreOffice is not installed (no soffice on PATH): nothing to convert. On Debian: "
            "apt-get install --no-install-recommends libreoffice-calc",
            file=sys.stderr,
        )
        sys.exit(2)
    scratch = Path(tempfile.mkdtemp(prefix="focus-print-"))
    out = arguments.out or scratch
    out.mkdir(parents=True, exist_ok=True)
    _django(arguments.database or f"sqlite:///{scratch / 'demo.sqlite3'}")
    workbook = out / "programma.xlsx"
    rows = _workbook(workbook, seed=arguments.database is None, full=arguments.full)
    from focus.spreadsheets.writing import print_scale

    widths = _widths(workbook)
    profile = scratch / "libreoffice-profile"
    reference = _reference(scratch, soffice, profile, arguments.timeout)
    total = _pages(_pdf(soffice, workbook, profile, arguments.timeout))
    print(f"{workbook}: {total} pages in all")
    print(f"{'sheet':<24}{'rows':>7}{'pages':>7}{'width':>7}{'wide':>5}{'scale':>7}{'printed':>9}")
    counted = 0
    for index, title in enumerate(_sheet_names(workbook)):
        single = out / f"{index + 1:02d}-{title.replace(' ', '-')}.xlsx"
        _only(workbook, index, single)
        pdf = _pdf(soffice, single, profile, arguments.timeout)
        pages = _pages(pdf)
        counted += pages
        if title in widths:
            width, first, wide = widths[title]  # the first column again on each later page
            scale = min(1.0, print_scale([width + first * (wide - 1)]) * wide)
            height = _word_height(pdf, arguments.timeout)
            printed = f"{height / reference:.0%}" if height and reference else "-"
            shape = f"{width:>7.0f}{wide:>5}{scale:>7.0%}{printed:>9}"
        else:  # a chart sheet: no rows, no columns
            shape = f"{'-':>7}{'-':>5}{'-':>7}{'-':>9}"
        print(f"{title:<24}{rows.get(title, '-'):>7}{pages:>7}{shape}")
    print(f"{'':<24}{'':>7}{counted:>7}  (the sheets one by one)")
    print(f"The PDFs are in {out}")
    shutil.rmtree(profile, ignore_errors=True)
    if out != scratch:  # the seeded database goes with it
        shutil.rmtree(scratch, ignore_errors=True)


def _sheet_names(workbook: Path) -> list[str]:
    """The sheets in the workbook's order, chart sheets included."""
    with zipfile.ZipFile(workbook) as archive:
        xml = archive.read("xl/workbook.xml").decode()
    return [html.unescape(name) for name in re.findall(r'<sheet\b[^>]*?\bname="([^"]*)"', xml)]


if __name__ == "__main__":
    main()

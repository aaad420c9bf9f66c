"""Workbooks that users bring, for every app that imports them: checking an upload, reading
it against a declared layout, writing it all or nothing, and the template people fill in.

An import is described once, as a tuple of `SheetSpec`s: one per sheet, each a tuple of
`Column`s with the Italian header people see, the field it fills and a parser for its cells
(`cells`). From that one description come the reading and the error report (sheet, row as
Excel numbers it, column, message: `reading`) and the template with its "Istruzioni" sheet
(`template`). Before anything parses a file, `check_upload` refuses what is not a plain
.xlsx workbook, nor a part an XML parser could be hurt by (`upload`, `xmlparts`). The
workbooks the portal writes (exports) are `writing`'s.

Apps offer their templates on their AppConfig as `import_templates = {"name":
"dotted.path.to.SPECS"}`, so this package never imports an app (a comune's cell is the
catalogue's: `catalog.cells`).

How a row is read:
- a column left out of the sheet leaves that field out of the row's values (an update keeps
  what the portal has); a blank cell gives the column's empty value (an update clears it);
- text is stripped and never evaluated: "=SUM(A1)" typed as text stays that text. Formula
  cells give the value Excel last calculated (`data_only`).
"""

from focus.spreadsheets.cells import (
    Choice,
    Date,
    Email,
    Integer,
    ListOf,
    Lookup,
    Text,
    YesNo,
)
from focus.spreadsheets.reading import (
    CellError,
    Column,
    ImportReport,
    ParsedWorkbook,
    Row,
    SheetSpec,
    Writer,
    import_workbook,
    read_workbook,
    rows_declared,
    write_rows,
)
from focus.spreadsheets.template import (
    import_page,
    import_page_context,
    import_templates,
    template_response,
    write_template,
)
from focus.spreadsheets.upload import (
    XLSX_CONTENT_TYPE,
    ImportRefused,
    WorkbookUploadForm,
    check_upload,
)

__all__ = [
    "XLSX_CONTENT_TYPE",
    "CellError",
    "Choice",
    "Column",
    "Date",
    "Email",
    "ImportRefused",
    "ImportReport",
    "Integer",
    "ListOf",
    "Lookup",
    "ParsedWorkbook",
    "Row",
    "SheetSpec",
    "Text",
    "WorkbookUploadForm",
    "Writer",
    "YesNo",
    "check_upload",
    "import_page",
    "import_page_context",
    "import_templates",
    "import_workbook",
    "read_workbook",
    "rows_declared",
    "template_response",
    "write_rows",
    "write_template",
]

"""Workbooks that users bring: checking an upload, reading it against a declared layout,
writing it all or nothing, and the template people fill in.

An import is described once, as a tuple of `SheetSpec`s: one per sheet, each a tuple of
`Column`s with the Italian header people see, the field it fills and a parser for its cells
(`cells`). From that one description come the reading and the error report (sheet, row as
Excel numbers it, column, message: `reading`) and the template with its "Istruzioni" sheet
(`template`). Before anything parses a file, `check_upload` refuses what is not a plain
.xlsx workbook, nor a part an XML parser could be hurt by (`upload`, `xmlparts`).

Apps offer their templates on their AppConfig as `import_templates = {"name":
"dotted.path.to.SPECS"}`, so catalog never imports an app to its right.

How a row is read:
- a column left out of the sheet leaves that field out of the row's values (an update keeps
  what the portal has); a blank cell gives the column's empty value (an update clears it);
- text is stripped and never evaluated: "=SUM(A1)" typed as text stays that text. Formula
  cells give the value Excel last calculated (`data_only`).
"""

from catalog.spreadsheets.cells import (
    Choice,
    ComuneName,
    Date,
    Email,
    Integer,
    ListOf,
    Lookup,
    Text,
    YesNo,
    comune_cleaner,
    comune_find,
    fold,
)
from catalog.spreadsheets.reading import (
    CellError,
    Column,
    ImportReport,
    ParsedWorkbook,
    Row,
    SheetSpec,
    Writer,
    import_workbook,
    read_workbook,
    write_rows,
)
from catalog.spreadsheets.template import (
    import_page_context,
    import_templates,
    template_response,
    write_template,
)
from catalog.spreadsheets.upload import (
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
    "ComuneName",
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
    "comune_cleaner",
    "comune_find",
    "fold",
    "import_page_context",
    "import_templates",
    "import_workbook",
    "read_workbook",
    "template_response",
    "write_rows",
    "write_template",
]

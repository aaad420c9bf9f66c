"""System checks: the portal does not start with a workbook reader that expands entities."""

from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_workbook_xml_parsers(app_configs, **kwargs) -> list[Error]:
    """Uploaded workbooks must be parsed by parsers that refuse or keep unresolved the
    entities a document declares: openpyxl uses defusedxml when it is installed."""
    from focus.spreadsheets.xmlparts import unsafe_xml_parsers  # openpyxl, once apps are ready

    unsafe = unsafe_xml_parsers()
    if not unsafe:
        return []
    return [
        Error(
            "Uploaded workbooks would be parsed by XML parsers that expand entities: "
            + ", ".join(unsafe)
            + ". Imports are refused until this is fixed.",
            hint="Install defusedxml (requirements/base.txt) and leave OPENPYXL_DEFUSEDXML unset.",
            id="catalog.E001",
        )
    ]

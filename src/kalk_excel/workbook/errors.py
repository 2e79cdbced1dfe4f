"""The generator's one exception for definitions it cannot lay out (Norwegian message, with a
"Korreksjon:"); the CLI prints it and exits 2."""


class WorkbookBuildError(ValueError):
    """The definition cannot be laid out as a workbook."""

"""Module the add-in `beregningsutvalget.xlam` imports: its ribbon button runs
`import beregningsutvalget; beregningsutvalget.main()` (the module name is the file's base name)."""

from kalk_excel.addin.entry import main

__all__ = ["main"]

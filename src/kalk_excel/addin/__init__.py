"""The Excel add-in «Beregn dekningsgrad»: a thin xlwings adapter over `kalk_excel.pipeline`.

`build` makes `beregningsutvalget.xlam` from the pinned xlwings ribbon template; `entry.main`
is what the ribbon button runs (via the top-level package `beregningsutvalget`). Nothing here
is imported by the core, and xlwings is imported only inside the functions that need Excel.
"""

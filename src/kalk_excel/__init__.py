"""kalk-excel: Beregningsutvalgets survey workbooks, intake checks, master workbook and coverage model."""

__version__ = "0.1.0"

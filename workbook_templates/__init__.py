"""The year's form definitions, parameters and kommune list (one folder per year), installed as
package data ``kalk_excel.workbook_templates``; found through ``kalk_excel.paths``."""

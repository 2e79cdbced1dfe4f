"""Packaging: metadata and dependencies are in pyproject.toml. This file only maps the repository's
top-level ``workbook_templates/`` folder (the versioned form definitions, parameters and kommune
lists) into the package as ``kalk_excel.workbook_templates``, so that ``pip install .``, the wheel
and the editable install all find it with ``importlib.resources`` (see ``kalk_excel.paths``)."""

from setuptools import find_packages, setup

setup(
    packages=find_packages("src") + ["kalk_excel.workbook_templates"],
    package_dir={"": "src", "kalk_excel.workbook_templates": "workbook_templates"},
)

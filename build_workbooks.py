#!/usr/bin/env python3
"""Generate the year's survey workbooks: the same command as `kalk-excel skjema`.

    python build_workbooks.py --aar 2024 --ut ut/skjema [--kommuner FIL.csv] [--skjema adm|norsk]
"""

from kalk_excel.cli.cmd_skjema import command

if __name__ == "__main__":
    command(prog_name="build_workbooks.py")

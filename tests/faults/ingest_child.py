"""Run one ingest in a child process, optionally killed at a chosen point or timed.

python ingest_child.py MODE DATA_FILE CODEBOOK DATA_DIR ID [TIMES_FILE]
MODE: plain | kill-after-data (killed once the data file is written) |
      kill-between-renames (killed after the old dataset is moved aside) |
      timed (appends "start end" of the write to TIMES_FILE)
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import barometer_dash.data.write as write
from barometer_dash.ingest import Options, ingest_file


def main() -> None:
    mode, data_file, codebook, data_dir, dataset_id = sys.argv[1:6]
    if mode == "kill-after-data":
        original = write.pq.write_table

        def write_then_die(*args, **kwargs):  # type: ignore[no-untyped-def]
            original(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)

        write.pq.write_table = write_then_die
    elif mode == "kill-between-renames":
        rename = os.rename

        def rename_then_die(src, dst):  # type: ignore[no-untyped-def]
            rename(src, dst)
            if str(dst).endswith(os.sep + "dataset"):  # the old dataset moved aside (not the serving copy's rename)
                os.kill(os.getpid(), signal.SIGKILL)

        write.os.rename = rename_then_die  # type: ignore[assignment]
    elif mode == "timed":
        inner = write._write

        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.time()
            result = inner(*args, **kwargs)
            with open(sys.argv[6], "a") as f:
                f.write(f"{start} {time.time()}\n")
            return result

        write._write = timed
    ingest_file(Path(data_file), Options(dataset_id, codebook=Path(codebook)), Path(data_dir))


if __name__ == "__main__":
    main()

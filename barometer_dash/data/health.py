"""Whether every dataset opens, said without server paths, for /healthz and error messages.

Visitors and load balancers see dataset ids and file names inside the dataset folder, never
where the data folder is on the server (`barometer validate` gives the operator full paths).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import CodebookError
from ..limits import clip

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)
# Anything that looks like an absolute path (POSIX), e.g. in a message from pyarrow.
ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[\w.@+-]+/)*[\w.@+-]+")


def relative(text: str, data_dir: Path) -> str:
    """`text` with the data folder's location removed, and any other absolute path hidden."""
    for base in {str(data_dir.resolve()), str(data_dir)}:
        text = text.replace(base.rstrip("/") + "/", "")
    return ABSOLUTE_PATH.sub(lambda m: Path(m.group(0)).name, text)


def public_error(exc: CodebookError, data_dir: Path) -> CodebookError:
    """The same error with its file named relative to the data folder (`demo/responses.parquet`)."""
    public = CodebookError(relative(exc.problem, data_dir), file=relative(exc.file, data_dir),
                           variable=exc.variable, value=exc.value)
    return public


@dataclass(frozen=True)
class Health:
    """Datasets that open, and those that do not with the reason (no server paths)."""

    ok: tuple[str, ...]
    broken: tuple[tuple[str, str], ...]

    @property
    def healthy(self) -> bool:
        return bool(self.ok) and not self.broken

    def to_json(self) -> dict[str, object]:
        status = "ok" if self.healthy else ("no datasets" if not self.ok and not self.broken else "unavailable")
        return {
            "status": status,
            "datasets": list(self.ok),
            "unavailable": [{"id": i, "problem": problem} for i, problem in self.broken],
        }


def check(store: Store) -> Health:
    """Open every dataset the store lists (each worker keeps them open, so this is cheap)."""
    ok: list[str] = []
    broken: list[tuple[str, str]] = []
    for dataset_id in store.ids():
        try:
            store.get(dataset_id)
        except CodebookError as exc:
            broken.append((dataset_id, clip(relative(str(exc), store.data_dir), 200)))
            continue
        except OSError as exc:
            broken.append((dataset_id, f"cannot be read ({exc.strerror or type(exc).__name__})"))
            continue
        ok.append(dataset_id)
    return Health(ok=tuple(ok), broken=tuple(broken))

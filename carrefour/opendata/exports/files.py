"""Writing an export: to a temporary file beside the target, then an atomic rename (readers never see half a file)."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from django.conf import settings


def exports_dir() -> Path:
    folder = Path(settings.OPENDATA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def atomic_text_file(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Open a temporary file in `path`'s folder for writing; on success it replaces `path` in one rename."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed or removed
        "w", encoding="utf-8", newline=newline, dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise

"""The one action of this app: regenerate the open-data files (audited). Run by `carrefour export_open_data`."""

import json
import shutil
from datetime import UTC, datetime

from django.conf import settings
from django.template.loader import render_to_string

from carrefour.catalog.models import Initiative
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.opendata.exports import FORMATS
from carrefour.opendata.exports.csvfile import SCHEMA_FILE
from carrefour.opendata.exports.files import atomic_text_file, exports_dir
from carrefour.opendata.licences import distributions, excluded_everywhere
from carrefour.opendata.manifest import MANIFEST, README, SCHEMA, read_manifest
from carrefour.opendata.records import CHUNK_SIZE, context_for
from carrefour.sources.models import Source


def export_open_data(formats: list[str] | None = None, *, chunk_size: int = CHUNK_SIZE, progress=None) -> dict:
    """Write every (format, distribution) file asked for, then the README, schema and manifest. Idempotent."""
    keys = list(formats or FORMATS)
    unknown = set(keys) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(sorted(unknown))}")
    folder = exports_dir()
    previous = read_manifest()
    files = dict(previous.get("files", {}))
    for dist in distributions():
        context = context_for(dist, chunk_size)
        for key in keys:
            export = FORMATS[key]
            name = export.filename(dist)
            with atomic_text_file(folder / name, newline=export.newline) as handle:
                counts = export.write(handle, context)
            files[name] = {
                "format": key,
                "licence": dist.licence,
                "bytes": (folder / name).stat().st_size,
                "counts": counts,
                "data_modified": context.last_update.isoformat() if context.last_update else None,
                "attribution": context.attribution,
            }
            if progress:
                progress(name, files[name])
    now = datetime.now(tz=UTC).isoformat(timespec="seconds")
    manifest = {
        "generated_at": now,
        "first_issued": previous.get("first_issued") or now,
        "excluded_unknown_licence": excluded_everywhere(Initiative.published.all()).count(),
        "files": files,
    }
    _write_companions(folder, manifest)
    record_event(EventType.OPEN_DATA_EXPORTED, None, formats=keys, files={n: f["counts"] for n, f in files.items()})
    return manifest


def _write_companions(folder, manifest: dict) -> None:
    with atomic_text_file(folder / SCHEMA) as handle:
        with SCHEMA_FILE.open(encoding="utf-8") as schema:
            shutil.copyfileobj(schema, handle)
    context = {
        "manifest": manifest,
        "distributions": distributions(),
        "formats": FORMATS.values(),
        "sources": Source.objects.order_by("name"),
        "site_url": settings.SITE_URL,
        "publisher": settings.OPENDATA_PUBLISHER,
        "contact": settings.OPENDATA_CONTACT_EMAIL,
    }
    with atomic_text_file(folder / README) as handle:
        handle.write(render_to_string("opendata/LISEZMOI.txt", context))
    with atomic_text_file(folder / MANIFEST) as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
        handle.write("\n")

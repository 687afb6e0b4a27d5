"""Loading the packaged division table into the Region table. Used by a data migration (so every installation has
the tree) and by tests; it takes the model class so that the migration can pass its historical model."""

from __future__ import annotations

from typing import Any

from keyprojects.regions.divisions import LEVELS, load_divisions


def load_regions(region_model: Any) -> int:
    """Insert every division not yet present (by code, or by parent and name for towns). Returns rows added."""
    existing = {r.code: r for r in region_model.objects.exclude(code=None)}
    by_parent_name = {(r.parent_id, r.name) for r in region_model.objects.all()}
    added = 0
    ordered = sorted(
        load_divisions(), key=lambda d: LEVELS.index(d.level) if d.level != "zone" else LEVELS.index("county")
    )
    for level in ("province", "city", "county", "town"):
        batch = []
        for d in ordered:
            if (d.level if d.level != "zone" else "county") != level:
                continue
            if d.code and d.code in existing:
                continue
            parent = existing.get(d.parent_code) if d.parent_code else None
            if d.parent_code and parent is None:
                continue
            if (parent.pk if parent else None, d.name) in by_parent_name:
                continue
            by_parent_name.add((parent.pk if parent else None, d.name))
            batch.append(
                region_model(
                    code=d.code,
                    name=d.name,
                    short_name=d.short_name,
                    full_name=d.full_name or d.name,
                    level=d.level,
                    parent=parent,
                    aliases="|".join(d.aliases),
                    path="",
                )
            )
        created = region_model.objects.bulk_create(batch, batch_size=500)
        if created and created[0].pk is None:  # a backend that does not return ids
            created = list(region_model.objects.filter(path=""))
        for region in created:
            region.path = (region.parent.path if region.parent_id else "/") + f"{region.pk}/"
        region_model.objects.bulk_update(created, ["path"], batch_size=500)
        for region in created:
            if region.code:
                existing[region.code] = region
        added += len(created)
    return added

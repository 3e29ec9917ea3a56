"""The models and their migrations say the same: a model changed without its migration (a role added
to the choices, a field) fails here, not on a deployment's `migrate`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"migrations missing (exit {exc.code}):\n{out.getvalue()}")


@pytest.mark.django_db
def test_the_facts_superseded_by_has_no_index_to_mislead_the_planner() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "records_fact")
    on_superseded = [
        name
        for name, c in constraints.items()
        if c["index"] and c["columns"] == ["superseded_by_id"]
    ]
    assert on_superseded == []
    assert any(c["index"] and c["columns"][:1] == ["person_id"] for c in constraints.values())


@pytest.mark.django_db
def test_a_database_migrated_before_the_squash_has_nothing_to_apply() -> None:
    """ADR 0049: the squashed migrations replace the ones a database already ran; the history that
    names those (and not the squashed ones) is read as fully migrated."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    replacements = MigrationExecutor(connection).loader.replacements
    assert replacements, "no squashed migration"
    for (app, name), squashed in replacements.items():  # 0001_squashed_0009_x replaces 0001..0009
        first, _, last = name.partition("_squashed_")
        numbers = sorted(int(n[:4]) for a, n in squashed.replaces if a == app)
        assert numbers == list(range(int(first[:4]), int(last[:4]) + 1)), (app, name)
    recorded = MigrationRecorder(connection).migration_qs
    for (app, name), squashed in replacements.items():
        recorded.filter(app=app, name=name).delete()
        recorded.bulk_create(recorded.model(app=a, name=n) for a, n in squashed.replaces)

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert set(replacements) <= executor.loader.applied_migrations.keys()


@pytest.mark.django_db
def test_a_database_migrated_part_of_the_way_through_a_squash_is_refused_in_one_line() -> None:
    """ADR 0049's limit: the steps between are gone; the refusal names the app and what is missing
    (not Django's page of "app isn't installed")."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    from adaldyq.core.errors import InputError
    from adaldyq.web.bootstrap import refuse_part_squashed

    refuse_part_squashed()  # a database migrated by this code: nothing to say
    replacements = MigrationExecutor(connection).loader.replacements
    (app, name), squashed = next((k, m) for k, m in replacements.items() if k[0] == "records")
    recorded = MigrationRecorder(connection).migration_qs
    for a, n in [(app, name), *squashed.replaces]:
        recorded.filter(app=a, name=n).delete()
    done, missing = squashed.replaces[:-2], squashed.replaces[-2:]
    recorded.bulk_create(recorded.model(app=a, name=n) for a, n in done)

    with pytest.raises(InputError) as refused:
        refuse_part_squashed()
    assert f"the {app} app's migrations ({missing[0][1]}, {missing[1][1]} not applied)" in str(
        refused.value
    )


@pytest.mark.django_db
def test_the_ledger_migration_converts_node_rows_to_tiles_verified() -> None:
    """Records migration 0010 (ADR 0046), as `web migrate` runs it on a ledger written before: the
    node rows become tiles that give the same root, and they are dropped."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection, transaction

    from adaldyq.ledger import sql
    from adaldyq.ledger.merkle import hash_leaf, root_from_leaf_hashes
    from adaldyq.ledger.migrate import keeps_node_rows
    from tests.ledger.conftest import draft, expected_tiles, stored_tiles
    from tests.ledger.test_tilestore import as_node_rows

    step = importlib.import_module("adaldyq.web.records.migrations.0010_ledger_tiles")
    with transaction.atomic(), connection.cursor() as cursor:
        sql.append_entries(cursor, [draft(n) for n in range(300)])
        leaves = [hash_leaf(e.body) for e in sql.read_entries(cursor)]
        as_node_rows(cursor, connection.vendor, leaves)
        assert keeps_node_rows(cursor)
    with transaction.atomic():
        step.to_tiles(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        assert not keeps_node_rows(cursor)
        assert stored_tiles(cursor) == expected_tiles(leaves)
        assert sql.read_root(cursor, 300) == root_from_leaf_hashes(leaves)

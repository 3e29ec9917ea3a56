"""The throwaway PostgreSQL server starts and answers."""

import psycopg
import pytest


@pytest.mark.postgres
def test_the_throwaway_postgres_server_answers_a_query(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("select 40 + 2").fetchone() == (42,)

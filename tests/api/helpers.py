"""Small helpers shared by the API tests."""

API = "/api/v1/"

ALL_POLICIES = ["P1", "P2", "P3", "P4"]
ALL_AGENTS = ["A001", "A002", "A003", "A004"]
ALL_UNITS = ["GD", "GZ", "GZ01", "HQ", "SZ", "SZ01", "T1", "T2", "T3"]


def keys(response, key: str) -> list[str]:
    """The natural keys of a list response, in the order served."""
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def sorted_keys(response, key: str) -> list[str]:
    return sorted(keys(response, key))

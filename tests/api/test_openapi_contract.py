"""schemathesis against /openapi.json: no 5xx, and every response matches the schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import ADMIN_KEY, Served

CASES_PER_OPERATION = 25


def _check(operation: schemathesis.APIOperation, label: str, ran: dict[str, int]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=CASES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def keeps_contract(case: schemathesis.Case) -> None:
        ran[label] += 1
        # An upload's content (a .zip or .xlsx bundle) is not something a schema can say, so
        # a schema-valid but unreadable upload is rightly refused with a documented 400.
        excluded = [positive_data_acceptance] if label == "POST /ingest" else []
        case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                               excluded_checks=excluded)

    keeps_contract()


def test_every_operation_keeps_its_contract(served: Served) -> None:
    schema = schemathesis.openapi.from_url(f"{served.base}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    ran: dict[str, int] = {}
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        ran[label] = 0
        _check(operation, label, ran)
    assert all(count > 0 for count in ran.values()), ran
    print(f"schemathesis: {sum(ran.values())} cases over {len(ran)} operations")


def test_a_bad_parameter_is_a_documented_400(served: Served) -> None:
    """A request the validator refuses is a 400 naming the parameter, and the schema says
    400 wherever a parameter can be wrong (no 422 anywhere)."""
    import httpx

    schema = httpx.get(f"{served.base}/openapi.json", timeout=30).json()
    with_parameters = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "422" not in operation["responses"], (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                with_parameters += 1
                assert "400" in operation["responses"], (method, path)
    assert with_parameters >= 10
    answer = httpx.get(f"{served.base}/gaps", params={"limit": "many"}, timeout=30,
                       headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    assert answer.status_code == 400
    assert [problem["loc"] for problem in answer.json()["detail"]] == [["query", "limit"]]

"""Microsoft's Python Graph beta SDK (msgraph-beta-sdk, unmodified) against a graph-mock.

Runs the scenarios below through the SDK's fluent request builders and prints one JSON object,
a key per scenario, to stdout. test/clients/python.test.ts compares it with the mock's own HTTP
answers. A scenario that raises is reported as {"failed": "<type>: <message>"} and the exit code
is 1, so one broken scenario does not hide what the others saw.

    python scenarios.py http://127.0.0.1:8080 --session-id ID --restore-point ID ... \
        --mailbox DIRECTORY_OBJECT_ID ... [--retry-id ID] [--only NAME ...]

Scenarios: list, paging, get, missing, restore, protection, retry.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import enum
import json
import sys
import time
from typing import Any, Awaitable, Callable, Optional

from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph_beta import GraphRequestAdapter, GraphServiceClient
from msgraph_beta.generated.models.destination_type import DestinationType
from msgraph_beta.generated.models.exchange_protection_policy import ExchangeProtectionPolicy
from msgraph_beta.generated.models.exchange_restore_session import ExchangeRestoreSession
from msgraph_beta.generated.models.mailbox_protection_unit import MailboxProtectionUnit
from msgraph_beta.generated.models.mailbox_restore_artifact import MailboxRestoreArtifact
from msgraph_beta.generated.models.o_data_errors.o_data_error import ODataError
from msgraph_beta.generated.models.restore_point import RestorePoint
from msgraph_beta.generated.solutions.backup_restore.exchange_restore_sessions.exchange_restore_sessions_request_builder import (
    ExchangeRestoreSessionsRequestBuilder,
)
from msgraph_beta.generated.solutions.backup_restore.exchange_restore_sessions.item.exchange_restore_session_item_request_builder import (
    ExchangeRestoreSessionItemRequestBuilder,
)
from msgraph_beta.generated.solutions.backup_restore.exchange_restore_sessions.item.mailbox_restore_artifacts.mailbox_restore_artifacts_request_builder import (
    MailboxRestoreArtifactsRequestBuilder,
)
from msgraph_core.tasks.page_iterator import PageIterator

SCENARIOS = ("list", "paging", "get", "missing", "restore", "protection", "retry")
# Graph's evolvable enums: 'failed' comes after unknownFutureValue, so it is sent only on request.
INCLUDE_UNKNOWN = ("Prefer", "include-unknown-enum-members")
RESTORE_DONE = {"completed", "completedWithError", "failed"}
POLL_SECONDS = 0.05
POLL_DEADLINE_SECONDS = 60.0


# --- the setup the README shows: a fixed token, only for the mock's hosts, base_url at /beta ---

class StaticToken(AccessTokenProvider):
    """Always the same token; Kiota sends it only to the hosts the validator allows."""

    async def get_authorization_token(self, uri: str, additional_authentication_context: Optional[dict[str, Any]] = None) -> str:
        return "any-token"

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator(["127.0.0.1", "localhost"])


def graph_client(origin: str) -> GraphServiceClient:
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
    adapter.base_url = f"{origin}/beta"  # Kiota allows http only for localhost, 127.0.0.1 and ::1
    return GraphServiceClient(request_adapter=adapter)


# --- plain JSON out of typed values, keeping what the test checks: the Python types ---

def iso(value: Any) -> Any:
    """A datetime as Python writes it; anything else is reported as not a datetime."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return f"not a datetime: {type(value).__name__}"


def member(value: Any) -> Any:
    """An enum member as '<EnumClass>.<value>', so the test sees the SDK's type and the wire value."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.value}"
    return f"not an enum: {type(value).__name__} {value!r}"


def with_prefer() -> RequestConfiguration:
    config: RequestConfiguration = RequestConfiguration()
    config.headers.add(*INCLUDE_UNKNOWN)
    return config


def sessions(client: GraphServiceClient) -> ExchangeRestoreSessionsRequestBuilder:
    return client.solutions.backup_restore.exchange_restore_sessions


# --- the scenarios ---

async def scenario_list(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """$filter/$select/$orderby/$top/$count through the builder's query-parameter class."""
    query = ExchangeRestoreSessionsRequestBuilder.ExchangeRestoreSessionsRequestBuilderGetQueryParameters(
        filter="status eq 'active' or status eq 'completed'",
        select=["id", "status", "createdDateTime"],
        orderby=["createdDateTime desc"],
        top=5,
        count=True,
    )
    page = await sessions(client).get(RequestConfiguration(query_parameters=query))
    assert page is not None
    return {
        "count": page.odata_count,
        "nextLink": page.odata_next_link,
        "type": type(page).__name__,
        "value": [
            {
                "type": type(s).__name__,
                "odataType": s.odata_type,
                "id": s.id,
                "status": member(s.status),
                "createdDateTime": iso(s.created_date_time),
                # not selected: the SDK leaves them unset
                "restoreJobType": s.restore_job_type,
                "createdBy": s.created_by,
            }
            for s in page.value or []
        ],
    }


async def scenario_paging(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """Every session, page by page, with msgraph_core's PageIterator (the Prefer header on every page)."""
    config = with_prefer()
    config.query_parameters = ExchangeRestoreSessionsRequestBuilder.ExchangeRestoreSessionsRequestBuilderGetQueryParameters(count=True)
    first = await sessions(client).get(config)
    assert first is not None
    seen: list[dict[str, Any]] = []

    def collect(session: ExchangeRestoreSession) -> bool:
        seen.append({"id": session.id, "status": member(session.status)})
        return True

    iterator = PageIterator(first, client.request_adapter, error_mapping={"XXX": ODataError})
    # PageIterator.set_headers({...}) raises TypeError in msgraph-core 1.5.2 (it calls
    # HeadersCollection.add_all(**headers)); its headers collection takes the header directly.
    iterator.headers.add(*INCLUDE_UNKNOWN)
    await iterator.iterate(collect)
    return {"count": first.odata_count, "firstPage": len(first.value or []), "items": seen}


def describe_session(s: Any) -> dict[str, Any]:
    count = s.restore_session_artifact_count
    created_by = s.created_by
    return {
        "type": type(s).__name__,
        "id": s.id,
        "status": member(s.status),
        "restoreJobType": member(s.restore_job_type),
        "createdDateTime": iso(s.created_date_time),
        "completedDateTime": iso(s.completed_date_time),
        "lastModifiedDateTime": iso(s.last_modified_date_time),
        "createdBy": None if created_by is None else {
            "user": None if created_by.user is None else {"id": created_by.user.id, "displayName": created_by.user.display_name},
            "application": None if created_by.application is None else {"id": created_by.application.id, "displayName": created_by.application.display_name},
        },
        "restoreSessionArtifactCount": None if count is None else {
            "total": count.total, "completed": count.completed, "inProgress": count.in_progress, "failed": count.failed,
        },
        "error": None if s.error is None else {"code": s.error.code, "message": s.error.message},
    }


async def scenario_get(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """One session by id: typed (datetime objects, enum members), without and with the Prefer header."""
    item = sessions(client).by_exchange_restore_session_id(args.session_id)
    plain = await item.get()
    shown = await item.get(with_prefer())
    return {"plain": describe_session(plain), "withPrefer": describe_session(shown)}


async def scenario_missing(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """A GUID no session has: ODataError with Graph's code in error.error.code."""
    try:
        await sessions(client).by_exchange_restore_session_id(args.missing_id).get()
    except ODataError as error:
        main = error.error
        inner = main.inner_error if main is not None else None
        return {
            "raised": type(error).__name__,
            "status": error.response_status_code,
            "code": main.code if main is not None else None,
            "message": main.message if main is not None else None,
            "innerErrorRequestId": inner.request_id if inner is not None else None,
            "innerErrorDate": iso(inner.date if inner is not None else None),
        }
    return {"raised": None}


async def poll(read: Callable[[], Awaitable[Any]], done: Callable[[Any], bool], seen: list[Any]) -> Any:
    """Reads until done(value), noting each new status once; gives up after POLL_DEADLINE_SECONDS."""
    deadline = time.monotonic() + POLL_DEADLINE_SECONDS
    while True:
        value = await read()
        status = member(value.status)
        if not seen or seen[-1] != status:
            seen.append(status)
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(POLL_SECONDS)


def restore_artifact(point_id: str) -> MailboxRestoreArtifact:
    return MailboxRestoreArtifact(restore_point=RestorePoint(id=point_id), destination_type=DestinationType.New)


async def scenario_restore(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """Create a session with one artifact, add the others on the navigation, activate, poll to the end."""
    first, *more = args.restore_point
    created = await sessions(client).post(ExchangeRestoreSession(mailbox_restore_artifacts=[restore_artifact(first)]))
    assert created is not None and created.id is not None
    item: ExchangeRestoreSessionItemRequestBuilder = sessions(client).by_exchange_restore_session_id(created.id)
    added = [await item.mailbox_restore_artifacts.post(restore_artifact(point)) for point in more]
    activated = await client.solutions.backup_restore.restore_sessions.by_restore_session_base_id(created.id).activate.post()
    assert activated is not None
    seen: list[Any] = [member(activated.status)]
    final = await poll(lambda: item.get(with_prefer()), lambda s: s.status is not None and s.status.value in RESTORE_DONE, seen)
    listing = with_prefer()
    listing.query_parameters = MailboxRestoreArtifactsRequestBuilder.MailboxRestoreArtifactsRequestBuilderGetQueryParameters(expand=["restorePoint"], top=50)
    artifacts = await item.mailbox_restore_artifacts.get(listing)
    assert artifacts is not None
    return {
        "created": describe_session(created),
        "added": [
            {"type": type(a).__name__, "id": a.id, "status": member(a.status), "destinationType": member(a.destination_type)}
            for a in added
        ],
        "activated": {"type": type(activated).__name__, "id": activated.id, "status": member(activated.status)},
        "seen": seen,
        "final": describe_session(final),
        "artifacts": [
            {
                "id": a.id,
                "status": member(a.status),
                "destinationType": member(a.destination_type),
                "restorePointId": a.restore_point.id if a.restore_point else None,
                "startDateTime": iso(a.start_date_time),
                "completionDateTime": iso(a.completion_date_time),
                "restoredFolderName": a.restored_folder_name,
                "error": None if a.error is None else a.error.code,
            }
            for a in artifacts.value or []
        ],
    }


def describe_policy(p: Any) -> dict[str, Any]:
    count = p.protection_policy_artifact_count
    return {
        "type": type(p).__name__,
        "id": p.id,
        "displayName": p.display_name,
        "status": member(p.status),
        "isEnabled": p.is_enabled,
        "createdDateTime": iso(p.created_date_time),
        "protectionPolicyArtifactCount": None if count is None else {
            "total": count.total, "completed": count.completed, "inProgress": count.in_progress, "failed": count.failed,
        },
    }


async def scenario_protection(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """Create an Exchange policy with mailbox units, activate it, poll until it is active."""
    backup = client.solutions.backup_restore
    body = ExchangeProtectionPolicy(
        display_name=args.policy_name,
        mailbox_protection_units=[MailboxProtectionUnit(directory_object_id=mailbox) for mailbox in args.mailbox],
    )
    created = await backup.exchange_protection_policies.post(body)
    assert created is not None and created.id is not None
    policy = backup.exchange_protection_policies.by_exchange_protection_policy_id(created.id)
    units_before = await policy.mailbox_protection_units.get()
    activated = await backup.protection_policies.by_protection_policy_base_id(created.id).activate.post()
    assert activated is not None
    seen: list[Any] = [member(activated.status)]
    final = await poll(lambda: policy.get(), lambda p: p.status is not None and p.status.value == "active", seen)
    units = await policy.mailbox_protection_units.get()
    assert units is not None and units_before is not None

    def describe_units(page: Any) -> list[dict[str, Any]]:
        return [
            {"type": type(u).__name__, "id": u.id, "directoryObjectId": u.directory_object_id, "policyId": u.policy_id, "status": member(u.status)}
            for u in page.value or []
        ]

    return {
        "created": describe_policy(created),
        "unitsBefore": describe_units(units_before),
        "activated": describe_policy(activated),
        "seen": seen,
        "final": describe_policy(final),
        "units": describe_units(units),
    }


async def scenario_retry(client: GraphServiceClient, args: argparse.Namespace) -> dict[str, Any]:
    """A plain GET the mock answers with 429 + Retry-After first (a fault rule the caller set up):
    the SDK's default RetryHandler waits and retries; the caller sees only the final answer."""
    started = time.monotonic()
    session = await sessions(client).by_exchange_restore_session_id(args.retry_id).get()
    assert session is not None
    return {"id": session.id, "seconds": round(time.monotonic() - started, 3)}


RUNNERS: dict[str, Callable[[GraphServiceClient, argparse.Namespace], Awaitable[dict[str, Any]]]] = {
    "list": scenario_list,
    "paging": scenario_paging,
    "get": scenario_get,
    "missing": scenario_missing,
    "restore": scenario_restore,
    "protection": scenario_protection,
    "retry": scenario_retry,
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("origin", help="the mock's origin, e.g. http://127.0.0.1:8080 (the client uses <origin>/beta)")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=list(SCENARIOS), help="run only these scenarios")
    parser.add_argument("--session-id", help="get: an exchangeRestoreSession id the mock has")
    parser.add_argument("--missing-id", default="00000000-0000-4000-8000-00000000ffff", help="missing: a GUID no session has")
    parser.add_argument("--restore-point", action="append", default=[], help="restore: a mailbox restore point id (repeat; the first goes into the create)")
    parser.add_argument("--mailbox", action="append", default=[], help="protection: a mailbox's directory object id (repeat)")
    parser.add_argument("--policy-name", default="Python SDK policy", help="protection: the new policy's displayName")
    parser.add_argument("--retry-id", help="retry: an exchangeRestoreSession id whose first GET the mock throttles")
    args = parser.parse_args(argv)
    needs = {"get": args.session_id, "restore": args.restore_point, "protection": args.mailbox, "retry": args.retry_id}
    for name, given in needs.items():
        if name in args.only and not given:
            parser.error(f"scenario '{name}' needs its option (see --help)")
    return args


async def run(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
    client = graph_client(args.origin.rstrip("/"))
    results: dict[str, Any] = {}
    ok = True
    for name in SCENARIOS:
        if name not in args.only:
            continue
        try:
            results[name] = await RUNNERS[name](client, args)
        except Exception as error:  # noqa: BLE001 - reported, and the exit code says it
            ok = False
            results[name] = {"failed": f"{type(error).__name__}: {error}"}
    return results, ok


def main() -> int:
    args = parse_args(sys.argv[1:])
    results, ok = asyncio.run(run(args))
    json.dump(results, sys.stdout, default=lambda value: f"not JSON: {type(value).__name__}")
    sys.stdout.write("\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

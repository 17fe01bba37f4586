"""The tenancy test: no API route lets workspace B read or change workspace A's data.

It walks every URL pattern registered under /api/v1/ and, as bob (admin of globex, the
outsider), calls every method each route allows against acme's objects:

- detail routes (and their actions) answer 404 — never 403, never 2xx — and leave acme's
  object exactly as it was;
- list routes show globex's rows only;
- workspace-level routes without a model (stats, current workspace, diagnostics) answer
  with globex's data only.

Routes are discovered, not listed, so a new route is covered the day it is added. A route
this test cannot exercise fails it: teach the test (a factory in tests/factories.py, a URL
kwarg in URL_KWARG_FILLERS, a check in WORKSPACE_ROUTE_CHECKS) rather than skipping it.
"""

from dataclasses import dataclass

import pytest
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.models import APIKey, Membership, Workspace
from campaigns.models import Campaign
from tests.conftest import PASSWORD, api_client_for
from tests.factories import FACTORIES

pytestmark = pytest.mark.django_db

API_NAMESPACE = "api"

# Routes that hold no workspace data, each with the reason it is safe to skip.
WORKSPACE_FREE_ROUTES = {
    "api:health": "liveness/readiness probe; reports components, no tenant rows",
    "api:schema": "the OpenAPI document; describes the API, holds no data",
    "api:docs": "Swagger UI page that loads the schema",
    "api:auth-token": "exchanges a password for a JWT; tested in tests/accounts/test_jwt.py",
    "api:auth-token-refresh": "exchanges a refresh token for an access token; no tenant rows",
}

WRITE_METHODS = ("post", "put", "patch", "delete")
TESTED_METHODS = ("get", *WRITE_METHODS)


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def actions(self) -> dict[str, str]:
        """HTTP method → viewset action, or → the method itself for a plain APIView."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return {method: action for method, action in actions.items() if method in TESTED_METHODS}
        view_class = self.view_class
        return {method: method for method in TESTED_METHODS if hasattr(view_class, method)}

    @property
    def model(self) -> type[Model] | None:
        queryset = getattr(self.view_class, "queryset", None)
        return queryset.model if queryset is not None else None


def _walk(patterns, *, namespaces: tuple[str, ...] = (), prefix: str = "", kwargs: tuple[str, ...] = ()):
    for entry in patterns:
        entry_kwargs = (*kwargs, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns,
                namespaces=(*namespaces, entry.namespace) if entry.namespace else namespaces,
                prefix=prefix + str(entry.pattern),
                kwargs=entry_kwargs,
            )
        elif isinstance(entry, URLPattern) and namespaces[:1] == (API_NAMESPACE,):
            name = ":".join((*namespaces, entry.name or f"<unnamed {prefix}{entry.pattern}>"))
            yield Route(name, prefix + str(entry.pattern), entry.callback, entry_kwargs)


def api_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _snapshot(obj: Model) -> dict | None:
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


# --- workspace-level routes: no model, answer about the caller's workspace ---------------

def _check_current_workspace(client, *, outsider_ws, victim_ws, **_):
    response = client.get(reverse("api:workspace-current"))
    assert response.status_code == 200
    assert response.json()["slug"] == outsider_ws.slug

    changed = client.patch(reverse("api:workspace-current"), {"allow_self_approval": True}, format="json")
    assert changed.status_code == 200 and changed.json()["slug"] == outsider_ws.slug
    victim_ws.refresh_from_db()
    assert victim_ws.allow_self_approval is False


def _check_stats(client, *, outsider_ws, victim_ws, **_):
    response = client.get(reverse("api:stats"))
    assert response.status_code == 200
    body = response.json()
    assert body["workspace"] == outsider_ws.slug
    assert body["campaigns"]["total"] == Campaign.objects.for_workspace(outsider_ws).count() == 0
    assert body["people"]["members"] == Membership.objects.for_workspace(outsider_ws).count()
    assert body["people"]["active_api_keys"] == APIKey.objects.for_workspace(outsider_ws).active().count()


def _check_diagnostics_ping(client, *, outsider_ws, victim_ws, monkeypatch, capture_on_commit, **_):
    published = []
    monkeypatch.setattr("core.events.publish", lambda group, *args: published.append(group))
    with capture_on_commit(execute=True):
        response = client.post(reverse("api:diagnostics-ping"))
    assert response.status_code == 202
    assert published == [f"workspace-{outsider_ws.pk}"]


def _check_generate(route_name: str):
    """A generate endpoint refuses acme's campaign and records what it creates in globex."""

    def check(client, *, outsider_ws, victim_ws, monkeypatch, **_):
        from generators.models import Generation
        from generators.types import InsufficientInformation
        from tests.factories import campaign_make

        url = reverse(route_name)
        response = client.post(url, {"website": "https://relaypoint.example", "campaign": campaign_make(victim_ws).pk},
                               format="json")
        assert response.status_code == 400 and "campaign" in response.json()["errors"]

        def unreadable(url):
            raise InsufficientInformation("Not read in this test.", missing=["a reachable website"])

        monkeypatch.setattr("generators.services.read_site", unreadable)
        response = client.post(url, {"website": "https://relaypoint.example"}, format="json")
        assert response.status_code == 422
        assert Generation.objects.get(pk=response.json()["generation_id"]).workspace_id == outsider_ws.pk
        assert not Generation.objects.for_workspace(victim_ws).filter(created_by__isnull=False).exists()

    return check


# Route name → (methods the check exercises, check).
WORKSPACE_ROUTE_CHECKS = {
    "api:workspace-current": ({"get", "patch"}, _check_current_workspace),
    "api:stats": ({"get"}, _check_stats),
    "api:diagnostics-ping": ({"post"}, _check_diagnostics_ping),
    **{f"api:generate-{slug}": ({"post"}, _check_generate(f"api:generate-{slug}"))
       for slug in ("positioning", "email-pack", "enrichment", "complete")},
}


def _fill_pk(obj: Model) -> str:
    return str(obj.pk)


def _fill_campaign_pk(obj: Model) -> str:
    return str(obj.pk if isinstance(obj, Campaign) else obj.campaign_id)


def _fill_version(obj: Model) -> str:
    return str(obj.version)


# URL kwarg → how to fill it from the victim object. Nested routes add theirs here.
def _fill_scope(obj: Model) -> str:
    return "strategy"


URL_KWARG_FILLERS = {
    "pk": _fill_pk, "campaign_pk": _fill_campaign_pk, "version": _fill_version, "scope": _fill_scope,
}

# URL kwargs naming a parent object: a route under it without a model of its own (e.g.
# campaigns/{campaign_pk}/advisor/blockers/) is exercised against acme's parent object.
PARENT_KWARGS = {"campaign_pk": Campaign}


# --- fixtures -----------------------------------------------------------------------------

@pytest.fixture
def victim_objects(acme, alice) -> dict[type[Model], Model]:
    """One object of every known model, all in acme (workspace A)."""
    return {model: factory(acme) for model, factory in FACTORIES.items()}


def _jwt_client(username: str) -> APIClient:
    client = APIClient()
    response = client.post(reverse("api:auth-token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


@pytest.fixture(params=["api_key", "jwt"])
def outsider(request, bob, globex) -> APIClient:
    """Bob, admin of globex, through each way an integration authenticates."""
    if request.param == "api_key":
        return api_client_for(bob, globex)
    return _jwt_client("bob")


# --- the test -----------------------------------------------------------------------------

def test_it_discovers_the_api_routes():
    names = {route.name for route in api_routes()}

    assert {"api:campaign-list", "api:campaign-detail", "api:campaign-archive", "api:member-detail",
            "api:api-key-revoke", "api:stats"} <= names
    # An allowlist entry for a route that no longer exists would hide a future one of that name.
    assert set(WORKSPACE_FREE_ROUTES) | set(WORKSPACE_ROUTE_CHECKS) <= names


@pytest.mark.parametrize("route", api_routes(), ids=str)
def test_it_keeps_other_workspaces_data_out_of_reach(
    route: Route, outsider, victim_objects, acme, alice, globex, monkeypatch, django_capture_on_commit_callbacks
):
    if route.name in WORKSPACE_FREE_ROUTES:
        return
    if route.name.startswith(f"{API_NAMESPACE}:<unnamed"):
        pytest.fail(f"{route.pattern}: give the route a name so the tenancy test can reverse it.")
    if route.view_class is None:
        pytest.fail(f"{route.name}: cannot find the view class of {route.callback!r}.")
    if not route.actions:
        pytest.fail(f"{route.name}: the view allows none of {', '.join(TESTED_METHODS)}; teach the test.")

    if route.name in WORKSPACE_ROUTE_CHECKS:
        methods, check = WORKSPACE_ROUTE_CHECKS[route.name]
        unchecked = set(route.actions) - methods
        assert not unchecked, f"{route.name}: the tenancy check does not exercise {sorted(unchecked)}"
        check(outsider, outsider_ws=globex, victim_ws=acme, monkeypatch=monkeypatch,
              capture_on_commit=django_capture_on_commit_callbacks)
        return

    model = route.model
    parents = [PARENT_KWARGS[kwarg] for kwarg in route.kwargs if kwarg in PARENT_KWARGS]
    if model is None and not parents:
        pytest.fail(
            f"{route.name}: the view has no queryset and is not in WORKSPACE_FREE_ROUTES or "
            "WORKSPACE_ROUTE_CHECKS; the tenancy test must learn this route."
        )
    victim_model = model or parents[0]
    if victim_model not in victim_objects:
        pytest.fail(f"{route.name}: no factory for {victim_model.__name__}; add one to tests/factories.py.")
    victim = victim_objects[victim_model]

    unknown = [kwarg for kwarg in route.kwargs if kwarg not in URL_KWARG_FILLERS]
    if unknown:
        pytest.fail(f"{route.name}: unknown URL kwargs {unknown}; the tenancy test must learn this route.")
    url = reverse(route.name, kwargs={kwarg: URL_KWARG_FILLERS[kwarg](victim) for kwarg in route.kwargs})

    if route.kwargs:
        # Nested collections too: acme's campaign in the address makes the whole route acme's.
        _assert_object_route_is_sealed(route, url, outsider, victim, insider=api_client_for(alice, acme),
                                       victim_ws=acme)
    else:
        _assert_collection_route_is_scoped(route, url, outsider, victim, outsider_ws=globex, victim_ws=acme)


def _assert_object_route_is_sealed(
    route: Route, url: str, outsider, victim: Model, insider, *, victim_ws: Workspace
) -> None:
    if "get" in route.actions:
        # The address is right: acme's own admin reaches the object through it.
        assert insider.get(url).status_code == 200, f"{route.name}: acme's admin cannot GET {url}"

    rows = (route.model or type(victim)).objects.for_workspace(victim_ws)
    before, rows_before = _snapshot(victim), rows.count()
    for method in route.actions:
        response = getattr(outsider, method)(url, {}, format="json") if method != "get" else outsider.get(url)

        assert response.status_code == 404, (
            f"{route.name}: {method.upper()} {url} by an outsider answered {response.status_code}, not 404"
        )
        assert response["Content-Type"] == "application/problem+json"
        assert _snapshot(victim) == before, f"{route.name}: {method.upper()} by an outsider changed the object"
        assert rows.count() == rows_before, f"{route.name}: {method.upper()} by an outsider added or removed rows"


def _assert_collection_route_is_scoped(
    route: Route, url: str, outsider, victim: Model, *, outsider_ws: Workspace, victim_ws: Workspace
) -> None:
    model = type(victim)
    victim_rows = {pk: _snapshot(model(pk=pk)) for pk in model.objects.for_workspace(victim_ws).values_list("pk", flat=True)}
    for method, action in route.actions.items():
        if method == "get":
            response = outsider.get(url)
            assert response.status_code == 200, f"{route.name}: GET {url} answered {response.status_code}"
            body = response.json()
            ids = {row["id"] for row in body["results"]}
            assert not ids & set(victim_rows), f"{route.name}: the list shows another workspace's rows"
            assert body["count"] == model.objects.for_workspace(outsider_ws).count()
        else:
            response = getattr(outsider, method)(url, {}, format="json")
            assert response.status_code < 500, f"{route.name}: {method.upper()} {url} answered {response.status_code}"
            if action == "create" and response.status_code == 201:
                assert model.objects.get(pk=response.json()["id"]).workspace_id == outsider_ws.pk
        current = {pk: _snapshot(model(pk=pk)) for pk in model.objects.for_workspace(victim_ws).values_list("pk", flat=True)}
        assert current == victim_rows, f"{route.name}: {method.upper()} by an outsider changed another workspace's rows"

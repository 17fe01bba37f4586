"""Query counts of the list endpoints are locked, and do not grow with the number of rows."""

import pytest
from django.utils import timezone

from accounts.models import APIKey
from tests.factories import api_key_make, campaign_make, membership_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_api(api_for, alice, acme):
    client = api_for(alice, acme)
    # A key used a moment ago is not touched again, so no UPDATE joins the counted queries.
    APIKey.objects.filter(user=alice).update(last_used_at=timezone.now())
    return client


def rows_of_everything(workspace, owner, count: int):
    for _ in range(count):
        campaign_make(workspace, owner=owner)
        membership_make(workspace)
        api_key_make(workspace)


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize("url", ["/api/v1/campaigns/", "/api/v1/api-keys/", "/api/v1/members/"])
def test_it_lists_in_three_queries_however_many_rows(alices_api, alice, acme, django_assert_num_queries, url, rows):
    rows_of_everything(acme, alice, rows)

    # 1. the API key by its prefix, with its workspace, user and the membership it acts through
    # 2. COUNT(*) of the workspace's rows, for pagination
    # 3. one page of rows, with what each row shows of related objects (owner, user)
    with django_assert_num_queries(3):
        response = alices_api.get(url)

    assert response.status_code == 200
    assert len(response.json()["results"]) >= rows

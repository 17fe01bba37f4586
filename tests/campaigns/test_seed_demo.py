"""`manage.py seed_demo`: what `make run` does on a new machine, and again on the next day."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Membership, Role, User, Workspace
from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.LAUNCHDECK_DEMO_PASSWORD = None
    return tmp_path


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _signs_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_it_seeds_the_demo_workspace_with_three_people_and_sample_campaigns():
    seed()

    demo = Workspace.objects.get(slug="demo")
    roles = dict(Membership.objects.for_workspace(demo).values_list("user__username", "role"))
    assert roles == {"admin": Role.ADMIN, "marketer": Role.MARKETER, "approver": Role.APPROVER}
    assert Campaign.objects.for_workspace(demo).count() >= 3


def test_it_can_run_twice_without_duplicating_anything():
    seed()
    counts = (Workspace.objects.count(), User.objects.count(), Membership.objects.count(), Campaign.objects.count())

    seed()

    assert (Workspace.objects.count(), User.objects.count(), Membership.objects.count(),
            Campaign.objects.count()) == counts


def test_it_uses_the_password_the_operator_chose(settings, fresh_var_dir):
    settings.LAUNCHDECK_DEMO_PASSWORD = "demo-launch-2025"

    output = seed()

    assert _signs_in("marketer", "demo-launch-2025")
    assert "LAUNCHDECK_DEMO_PASSWORD" in output
    assert "demo-launch-2025" not in output
    assert not (fresh_var_dir / "demo-password.txt").exists()


def test_it_generates_a_password_prints_it_and_says_it_again_next_time(fresh_var_dir):
    first = seed()
    kept = (fresh_var_dir / "demo-password.txt").read_text().strip()

    second = seed()

    assert kept in first
    assert kept in second
    assert "generated" in first
    assert _signs_in("approver", kept)
    assert not _signs_in("approver", kept + "x")
    assert (fresh_var_dir / "demo-password.txt").stat().st_mode & 0o077 == 0

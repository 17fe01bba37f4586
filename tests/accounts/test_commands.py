"""Onboarding from the command line: `workspace` and `apikey`, as an operator runs them."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import APIKey, Membership, Role, User, Workspace
from accounts.services import api_key_authenticate, api_key_create

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


# --- workspace create -------------------------------------------------------------------------


def test_it_creates_a_workspace_with_its_admin_and_prints_the_generated_password():
    lines = run("workspace", "create", "initech", "--admin", "peter")

    workspace = Workspace.objects.get(slug="initech")
    assert workspace.name == "Initech"
    assert Membership.objects.get(workspace=workspace, user__username="peter").role == Role.ADMIN
    assert lines[0] == "Created workspace initech with admin peter."
    password = lines[-1].removeprefix("Password for peter: ")
    assert password != lines[-1]
    assert User.objects.get(username="peter").check_password(password)


def test_it_honours_a_given_password_and_does_not_print_it():
    lines = run("workspace", "create", "initech", "--admin", "peter", "--password", "TPS-reports-2025",
                "--name", "Initech Ltd")

    assert User.objects.get(username="peter").check_password("TPS-reports-2025")
    assert Workspace.objects.get(slug="initech").name == "Initech Ltd"
    assert not any("TPS-reports-2025" in line for line in lines)


def test_it_makes_an_existing_user_the_admin_without_touching_their_password(alice):
    lines = run("workspace", "create", "side-project", "--admin", "alice")

    assert Membership.objects.get(workspace__slug="side-project", user=alice).role == Role.ADMIN
    assert not any(line.startswith("Password") for line in lines)


def test_it_refuses_a_duplicate_slug_and_creates_nobody(acme):
    with pytest.raises(CommandError, match="already exists"):
        run("workspace", "create", "acme", "--admin", "mallory")

    assert not User.objects.filter(username="mallory").exists()


def test_it_refuses_a_username_django_would_not_accept():
    with pytest.raises(CommandError, match="username"):
        run("workspace", "create", "initech", "--admin", "peter gibbons!")

    assert not Workspace.objects.filter(slug="initech").exists()


# --- workspace add-member ---------------------------------------------------------------------


def test_it_adds_a_new_person_with_a_role_and_prints_their_password(acme, alice):
    lines = run("workspace", "add-member", "acme", "nina", "--role", "marketer")

    assert Membership.objects.get(workspace=acme, user__username="nina").role == Role.MARKETER
    assert lines[0] == "nina is marketer in acme."
    password = lines[-1].removeprefix("Password for nina: ")
    assert User.objects.get(username="nina").check_password(password)


def test_it_changes_the_role_of_an_existing_member(acme, mark):
    lines = run("workspace", "add-member", "acme", "mark", "--role", "approver")

    assert Membership.objects.get(workspace=acme, user=mark).role == Role.APPROVER
    assert lines == ["mark is approver in acme."]


def test_it_adds_someone_from_another_workspace_without_a_new_password(acme, bob):
    lines = run("workspace", "add-member", "acme", "bob", "--role", "viewer")

    assert Membership.objects.get(workspace=acme, user=bob).role == Role.VIEWER
    assert lines == ["bob is viewer in acme."]


def test_it_rejects_an_unknown_role(acme):
    with pytest.raises(CommandError, match="invalid choice: 'owner'"):
        run("workspace", "add-member", "acme", "nina", "--role", "owner")

    assert not User.objects.filter(username="nina").exists()


def test_it_rejects_an_unknown_workspace(db):
    with pytest.raises(CommandError, match="No workspace with slug 'umbrella'"):
        run("workspace", "add-member", "umbrella", "nina", "--role", "viewer")


def test_it_will_not_demote_the_last_admin(acme, alice):
    with pytest.raises(CommandError, match="at least one admin"):
        run("workspace", "add-member", "acme", "alice", "--role", "viewer")

    assert Membership.objects.get(workspace=acme, user=alice).role == Role.ADMIN


# --- apikey -----------------------------------------------------------------------------------


def test_it_prints_a_working_api_key_on_the_last_line(acme, mark):
    lines = run("apikey", "create", "--workspace", "acme", "--user", "mark", "--name", "CRM sync")

    api_key = api_key_authenticate(lines[-1])
    assert api_key is not None
    assert (api_key.workspace, api_key.user, api_key.name) == (acme, mark, "CRM sync")
    assert "shown once" in lines[0]


def test_it_refuses_a_key_for_someone_outside_the_workspace(acme, bob):
    with pytest.raises(CommandError, match="bob is not a member of acme"):
        run("apikey", "create", "--workspace", "acme", "--user", "bob")

    assert not APIKey.objects.exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [(("--workspace", "umbrella", "--user", "mark"), "No workspace"), (("--workspace", "acme", "--user", "nobody"), "No user")],
)
def test_it_names_what_it_cannot_find(mark, args, says):
    with pytest.raises(CommandError, match=says):
        run("apikey", "create", *args)


def test_it_lists_a_workspaces_keys_without_their_secrets(acme, mark, bob, globex):
    issued = api_key_create(workspace=acme, user=mark, name="CRM sync")
    api_key_create(workspace=globex, user=bob, name="Globex key")

    lines = run("apikey", "list", "--workspace", "acme")

    assert len(lines) == 1
    assert lines[0].split("\t")[:4] == [f"ld_{issued.api_key.prefix}_…", "CRM sync", "mark", "active"]
    assert lines[0].endswith("last used never")
    assert issued.raw_key not in lines[0]


def test_it_revokes_a_key_by_its_prefix(acme, mark):
    issued = api_key_create(workspace=acme, user=mark, name="CRM sync")

    lines = run("apikey", "revoke", issued.api_key.prefix)

    assert lines == [f"Revoked ld_{issued.api_key.prefix}_… (CRM sync)."]
    assert api_key_authenticate(issued.raw_key) is None
    assert "revoked" in run("apikey", "list", "--workspace", "acme")[0]


def test_it_says_when_no_key_has_that_prefix(db):
    with pytest.raises(CommandError, match="No API key with prefix 'abcdefgh'"):
        run("apikey", "revoke", "abcdefgh")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Workspace
from accounts.roles import Role
from accounts.services import (
    generate_password,
    membership_set,
    user_get_or_create,
    workspace_create,
)
from core.api.problems import Problem


def _refusal(exc: Exception) -> str:
    """The reason a service refused, as one line for the operator."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, Problem):
        return str(exc.detail)
    return str(exc)


class Command(BaseCommand):
    help = "Onboard a team: create a workspace with its admin, or add a member to one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a workspace and its admin user.")
        create.add_argument("slug")
        create.add_argument("--admin", required=True, help="Username of the admin (created if missing).")
        create.add_argument("--name", default="", help="Display name (default: from the slug).")
        create.add_argument("--password", help="Password for a new admin user (default: generated, printed).")
        create.add_argument("--email", default="")
        add = sub.add_parser("add-member", help="Add a user to a workspace, or change their role.")
        add.add_argument("slug")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--password", help="Password if the user is new (default: generated, printed).")
        add.add_argument("--email", default="")

    def handle(self, *args, **options):
        try:
            if options["action"] == "create":
                self._create(options)
            else:
                self._add_member(options)
        except (ValueError, ValidationError, Problem) as exc:
            raise CommandError(_refusal(exc)) from exc

    @transaction.atomic
    def _create(self, options):
        password = options["password"] or generate_password()
        user, created = user_get_or_create(username=options["admin"], password=password, email=options["email"])
        workspace = workspace_create(slug=options["slug"], name=options["name"], admin=user)
        self.stdout.write(f"Created workspace {workspace.slug} with admin {user.username}.")
        if created and not options["password"]:
            self.stdout.write(f"Password for {user.username}: {password}")

    @transaction.atomic
    def _add_member(self, options):
        workspace = Workspace.objects.filter(slug=options["slug"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug {options['slug']!r}.")
        password = options["password"] or generate_password()
        user, created = user_get_or_create(username=options["username"], password=password, email=options["email"])
        membership = membership_set(workspace=workspace, user=user, role=options["role"])
        self.stdout.write(f"{user.username} is {membership.role} in {workspace.slug}.")
        if created and not options["password"]:
            self.stdout.write(f"Password for {user.username}: {password}")

from django.core.management.base import BaseCommand, CommandError

from accounts.models import APIKey, User, Workspace
from accounts.services import api_key_create, api_key_revoke


class Command(BaseCommand):
    help = "Create, list or revoke workspace API keys. `create` prints the key on its last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--workspace", required=True, help="Workspace slug.")
        create.add_argument("--user", required=True, help="Username the key acts as (a member).")
        create.add_argument("--name", default="Command-line key")
        listing = sub.add_parser("list")
        listing.add_argument("--workspace", required=True)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help="The 8 characters after `ld_`.")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _workspace(self, slug):
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug {slug!r}.")
        return workspace

    def _create(self, options):
        workspace = self._workspace(options["workspace"])
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        try:
            issued = api_key_create(workspace=workspace, user=user, name=options["name"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created API key “{issued.api_key.name}” for {user.username} in {workspace.slug}. "
                          "It is shown once:")
        self.stdout.write(issued.raw_key)

    def _list(self, options):
        workspace = self._workspace(options["workspace"])
        for key in APIKey.objects.for_workspace(workspace).select_related("user"):
            state = "active" if key.is_active else f"revoked {key.revoked_at:%Y-%m-%d}"
            used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
            self.stdout.write(f"{key.display}\t{key.name}\t{key.user.username}\t{state}\tlast used {used}")

    def _revoke(self, options):
        api_key = APIKey.objects.filter(prefix=options["prefix"]).first()
        if api_key is None:
            raise CommandError(f"No API key with prefix {options['prefix']!r}.")
        api_key_revoke(api_key=api_key)
        self.stdout.write(f"Revoked {api_key.display} ({api_key.name}).")

"""Seed the demo workspace. Safe to run any number of times: it only adds what is missing."""

import os
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Workspace
from accounts.roles import Role
from accounts.services import (
    generate_password,
    membership_set,
    user_get_or_create,
    workspace_create,
)
from campaigns.models import Campaign
from campaigns.services import campaign_create

DEMO_SLUG = "demo"
DEMO_USERS = [("admin", Role.ADMIN), ("marketer", Role.MARKETER), ("approver", Role.APPROVER)]
DEMO_CAMPAIGNS = [
    {
        "name": "Q1 Fintech CFO outreach",
        "description": "Reach finance leaders at Series B–D fintechs who are outgrowing spreadsheets "
        "for month-end close. Lead with the 5-day close story and the audit-trail integration.",
        "target_niche": "Fintech, 200–1,000 employees",
        "service": "Close automation platform",
        "target_clients": 25,
        "target_mrr": Decimal("60000"),
    },
    {
        "name": "DevTools platform teams",
        "description": "Platform engineering leads at SaaS companies adopting internal developer "
        "portals. Content pillars: golden paths, cost visibility, onboarding time.",
        "target_niche": "B2B SaaS, platform engineering",
        "service": "Developer portal",
        "target_clients": 40,
        "target_mrr": Decimal("32000"),
    },
    {
        "name": "Healthcare ops webinar follow-up",
        "description": "Nurture attendees of the patient-intake webinar with a three-email sequence "
        "and a case study from a regional clinic network.",
        "target_niche": "Healthcare providers, multi-site clinics",
        "service": "Patient intake automation",
        "target_clients": 12,
        "target_mrr": Decimal("18000"),
        "active": False,
    },
]


class Command(BaseCommand):
    help = "Create the demo workspace with users admin, marketer and approver, and sample campaigns."

    def handle(self, *args, **options):
        password, source = self._password()
        with transaction.atomic():
            created_users = self._seed(password)
        if created_users:
            self.stdout.write(f"Created demo users {', '.join(created_users)} in workspace {DEMO_SLUG}.")
        # Every run says how to sign in, so a second `make run` is as useful as the first.
        users = ", ".join(username for username, _role in DEMO_USERS)
        if source is None:
            self.stdout.write(f"Sign in as {users} with the password in LAUNCHDECK_DEMO_PASSWORD.")
        else:
            self.stdout.write(f"Sign in as {users} with password {password} ({source}).")

    def _password(self) -> tuple[str, str | None]:
        """The demo password and where it is kept (None: the operator set it)."""
        if settings.LAUNCHDECK_DEMO_PASSWORD:
            return settings.LAUNCHDECK_DEMO_PASSWORD, None
        # Generated once and kept beside the embedded database so a second run can say it again.
        path = settings.VAR_DIR / "demo-password.txt"
        shown = path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        if path.exists() and path.read_text().strip():
            return path.read_text().strip(), f"kept in {shown}"
        password = generate_password(14)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only, from the moment it exists.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            file.write(password + "\n")
        return password, f"generated, kept in {shown}"

    def _seed(self, password: str) -> list[str]:
        created_users = []
        users = {}
        for username, _role in DEMO_USERS:
            user, created = user_get_or_create(
                username=username, password=password, email=f"{username}@demo.launchdeck.localhost"
            )
            users[username] = user
            if created:
                created_users.append(username)
        workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
        if workspace is None:
            workspace = workspace_create(slug=DEMO_SLUG, name="Demo Co", admin=users["admin"])
        for username, role in DEMO_USERS:
            membership_set(workspace=workspace, user=users[username], role=role)
        existing = set(Campaign.objects.for_workspace(workspace).values_list("name", flat=True))
        for data in DEMO_CAMPAIGNS:
            if data["name"] not in existing:
                campaign_create(workspace=workspace, owner=users["marketer"], **data)
        return created_users

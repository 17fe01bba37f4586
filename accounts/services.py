import secrets
import string
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import APIKey, Membership, Role, User, Workspace
from core.api.problems import Problem

_KEY_ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(length))


@transaction.atomic
def workspace_create(*, slug: str, name: str = "", admin: User) -> Workspace:
    slug = slugify(slug)
    if not slug:
        raise ValueError("A workspace needs a slug of letters, digits or hyphens.")
    if Workspace.objects.filter(slug=slug).exists():
        raise ValueError(f"A workspace with slug {slug!r} already exists.")
    workspace = Workspace.objects.create(slug=slug, name=name or slug.replace("-", " ").title())
    Membership.objects.create(workspace=workspace, user=admin, role=Role.ADMIN)
    return workspace


def workspace_update(*, workspace: Workspace, **fields) -> Workspace:
    """Change the workspace's name or its self-approval rule."""
    changed = [name for name in ("name", "allow_self_approval") if name in fields]
    for name in changed:
        setattr(workspace, name, fields[name])
    if changed:
        workspace.full_clean()
        workspace.save(update_fields=changed)
    return workspace


def user_get_or_create(*, username: str, password: str | None = None, email: str = "") -> tuple[User, bool]:
    """The user named `username`; created (with `password`) when missing."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(username=username, email=email)
    user.set_password(password or generate_password())
    user.full_clean(exclude=["password"])
    user.save()
    return user, True


def membership_set(*, workspace: Workspace, user: User, role: str) -> Membership:
    """Add `user` to `workspace` with `role`, or change the role they already have."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    membership, created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        _ensure_an_admin_remains(membership, new_role=role)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a person from a workspace; their API keys there are revoked with it."""
    _ensure_an_admin_remains(membership, new_role=None)
    APIKey.objects.for_workspace(membership.workspace).active().filter(user=membership.user_id).update(
        revoked_at=timezone.now()
    )
    membership.delete()


def _ensure_an_admin_remains(membership: Membership, *, new_role: str | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = Membership.objects.for_workspace(membership.workspace).filter(role=Role.ADMIN)
    if not admins.exclude(pk=membership.pk).exists():
        raise Problem(409, "Last admin", detail="A workspace must keep at least one admin.")


@dataclass(frozen=True)
class IssuedKey:
    api_key: APIKey
    raw_key: str  # shown once, never stored


def api_key_create(*, workspace: Workspace, user: User, name: str) -> IssuedKey:
    if not Membership.objects.for_workspace(workspace).filter(user=user).exists():
        raise ValueError(f"{user.username} is not a member of {workspace.slug}.")
    for _attempt in range(5):
        prefix = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(APIKey.PREFIX_LENGTH))
        if not APIKey.objects.filter(prefix=prefix).exists():
            break
    raw_key = f"ld_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = APIKey.objects.create(
        workspace=workspace, user=user, name=name.strip() or "API key", prefix=prefix,
        key_hash=APIKey.hash_secret(raw_key),
    )
    return IssuedKey(api_key=api_key, raw_key=raw_key)


def api_key_revoke(*, api_key: APIKey) -> APIKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


# --- API key lookups ------------------------------------------------------------------------
# Every API request needs its key, user, workspace and membership. They are kept in the cache
# for a short while; any change to a key, membership, user or workspace forgets the keys it
# concerns (accounts.signals), so a revoked key or a removed member is refused at once. A lookup
# that raced such a change does not store what it read (the change leaves a tombstone).
API_KEY_CACHE_SECONDS = 30


def _api_key_cache_key(prefix: str) -> str:
    return f"apikey:{prefix}"


def _api_key_tombstone_key(prefix: str) -> str:
    return f"apikey-forgotten:{prefix}"


def api_key_cache_forget(prefixes) -> None:
    prefixes = list(prefixes)
    if prefixes:
        now = time.time()
        cache.delete_many([_api_key_cache_key(p) for p in prefixes])
        cache.set_many({_api_key_tombstone_key(p): now for p in prefixes}, API_KEY_CACHE_SECONDS * 2)


def _api_key_load(prefix: str) -> APIKey | None:
    # The join on memberships makes a key stop working the moment its user leaves the
    # workspace, however the membership went (API, admin site, cascade).
    api_key = (
        APIKey.objects.active()
        .select_related("workspace", "user")
        .filter(prefix=prefix, user__is_active=True, user__memberships__workspace=F("workspace"))
        # The membership the key acts through comes with it: one query, not two.
        .annotate(member_id=F("user__memberships__id"), member_role=F("user__memberships__role"),
                  member_since=F("user__memberships__created_at"))
        .first()
    )
    if api_key is None:
        return None
    api_key.membership = Membership.from_db(
        api_key._state.db, ["id", "workspace_id", "user_id", "role", "created_at"],
        [api_key.member_id, api_key.workspace_id, api_key.user_id, api_key.member_role, api_key.member_since],
    )
    api_key.membership.workspace, api_key.membership.user = api_key.workspace, api_key.user
    return api_key


def _api_key_remember(api_key: APIKey, *, read_at: float) -> None:
    forgotten_at = cache.get(_api_key_tombstone_key(api_key.prefix))
    if forgotten_at is None or forgotten_at < read_at:
        cache.set(_api_key_cache_key(api_key.prefix), api_key, API_KEY_CACHE_SECONDS)


def api_key_authenticate(raw_key: str) -> APIKey | None:
    """The active key matching `raw_key`, with its workspace, user and membership, or None."""
    parts = raw_key.split("_", 2)
    if len(parts) != 3 or parts[0] != "ld" or len(parts[1]) != APIKey.PREFIX_LENGTH:
        return None
    prefix = parts[1]
    api_key = cache.get(_api_key_cache_key(prefix))
    if api_key is None:
        read_at = time.time()
        api_key = _api_key_load(prefix)
        if api_key is None:
            return None
        _api_key_remember(api_key, read_at=read_at)
    if not api_key.matches(raw_key):
        return None
    if api_key.touch():
        _api_key_remember(api_key, read_at=time.time())  # keep the new last-used time
    return api_key

from django.utils.functional import SimpleLazyObject

from accounts.selectors import membership_for

SESSION_KEY = "workspace_id"


def _membership(request):
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    membership = membership_for(user=user, workspace_id=chosen) if chosen else None
    return membership or membership_for(user=user)


class CurrentWorkspaceMiddleware:
    """Sets `request.membership` and `request.workspace` for signed-in browser users.

    The workspace is the one chosen in the session (the switcher in the header) or the
    user's first. Both are lazy: requests that never look pay no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership(request))
        request.workspace = SimpleLazyObject(
            lambda: request.membership.workspace if request.membership else None
        )
        return self.get_response(request)

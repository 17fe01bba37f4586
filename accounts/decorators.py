from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.roles import Capability


def workspace_member_required(capability: str = Capability.VIEW):
    """For HTML views: signed in, a member of the current workspace, allowed `capability`.

    Views then read `request.workspace` and scope every query with `for_workspace`.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if not membership:
                return render(request, "accounts/no_workspace.html", status=403)
            if not membership.can(capability):
                raise PermissionDenied(f"Your role ({membership.role}) cannot do this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

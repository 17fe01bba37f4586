from django.shortcuts import render

from accounts.decorators import workspace_member_required

# Areas whose pages arrive with later work; the navigation shows them from day one so
# people can see where the product is going.
UPCOMING_AREAS = {
    "leads": ("Leads", "Harvest, score, qualify, route and nurture leads, with scheduled runs and a live dashboard."),
    "content": ("Content", "Creatives with selective regeneration, the asset library and media render jobs."),
    "lifecycle": ("Lifecycle", "Each campaign's path from radar to publish and learn, with quality gates and an audit trail."),
}


@workspace_member_required()
def upcoming_area(request, area: str):
    title, summary = UPCOMING_AREAS[area]
    return render(request, "core/upcoming.html", {"area": area, "title": title, "summary": summary})

import django_filters
from django.db.models import Q

from campaigns.models import Campaign


class CampaignFilterSet(django_filters.FilterSet):
    """Shared by the campaign list page and the API."""

    q = django_filters.CharFilter(method="search", label="Search")
    active = django_filters.BooleanFilter()

    class Meta:
        model = Campaign
        fields = ["active", "lifecycle_state"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(target_niche__icontains=value))

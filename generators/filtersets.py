import django_filters

from generators.models import Generation


class GenerationFilterSet(django_filters.FilterSet):
    """Shared by the generations API list and the Generate page's history."""

    # By id, not a model choice: a model choice would confirm another workspace's campaign exists.
    campaign = django_filters.NumberFilter(field_name="campaign_id")

    class Meta:
        model = Generation
        fields = ["kind", "status", "campaign"]

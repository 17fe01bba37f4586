from django.urls import path
from rest_framework.routers import SimpleRouter

from generators.api.views import GenerateView, GenerationViewSet
from generators.models import Generation

router = SimpleRouter()
router.register("generations", GenerationViewSet, basename="generation")

_GENERATE = {
    "positioning": Generation.Kind.POSITIONING,
    "email-pack": Generation.Kind.EMAIL_PACK,
    "enrichment": Generation.Kind.ENRICHMENT,
    "complete": Generation.Kind.COMPLETE,
}

urlpatterns = [
    *[path(f"generate/{slug}/", GenerateView.as_view(kind=kind), name=f"generate-{slug}")
      for slug, kind in _GENERATE.items()],
    *router.urls,
]

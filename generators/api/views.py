from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api.base import WorkspaceAPIView, WorkspaceGenericViewSet
from core.api.problems import Problem
from generators.api.renderers import EventStreamRenderer
from generators.api.serializers import (
    GenerateRequestSerializer,
    GenerationListSerializer,
    GenerationSerializer,
)
from generators.filtersets import GenerationFilterSet
from generators.models import Generation
from generators.selectors import generation_list
from generators.services import generation_create, generation_run
from generators.streams import event_stream_response, last_event_id
from generators.tasks import run_generation_in_thread

_STREAM = OpenApiParameter(
    "stream", OpenApiTypes.BOOL, OpenApiParameter.QUERY,
    description="Answer `text/event-stream` and send the events while the generation runs.",
)
_EVENTS = OpenApiResponse(description="`text/event-stream`: frames `id: <seq>`, `event: <type>`, `data: <envelope>`.")


def _wants_stream(request) -> bool:
    return request.query_params.get("stream", "").lower() in ("1", "true", "yes")


class GenerateView(WorkspaceAPIView):
    """Generate one asset (or the complete package) from a website and an optional ICP.

    Answers 201 with the generation once it has run, each part with its own status; 422 when
    the site gives too little to write from (`missing` names what); with `?stream=true`, the
    events as server-sent events while it runs.
    """

    kind: str = ""
    queryset = Generation.objects.all()  # what the view creates (schema, tenancy test)
    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(request=GenerateRequestSerializer, parameters=[_STREAM],
                   responses={201: GenerationSerializer, 422: OpenApiResponse(description="Insufficient information")})
    def post(self, request):
        body = GenerateRequestSerializer(data=request.data, context={"workspace": request.workspace})
        body.is_valid(raise_exception=True)
        generation = generation_create(workspace=request.workspace, user=request.user, kind=self.kind,
                                       **body.validated_data)
        if _wants_stream(request):
            run_generation_in_thread(generation.pk)
            return event_stream_response(generation.pk)
        generation = generation_run(generation)
        if generation.error and generation.error.get("code") == "insufficient_information":
            raise Problem(422, "Insufficient information", detail=generation.error["detail"],
                          type_="insufficient-information", missing=generation.error["missing"],
                          generation_id=generation.pk)
        return Response(GenerationSerializer(generation).data, status=status.HTTP_201_CREATED)

    def _idempotency_claim(self, request):
        # A stream cannot be replayed from a stored body; an idempotent stream would be a lie.
        return None if _wants_stream(request) else super()._idempotency_claim(request)


class GenerationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceGenericViewSet):
    """The workspace's generations, newest first; filter by `kind`, `status`, `campaign`."""

    queryset = Generation.objects.select_related("created_by")
    serializer_class = GenerationSerializer
    filterset_class = GenerationFilterSet
    search_fields = ["website"]
    ordering_fields = ["created_at", "duration_ms"]

    def get_queryset(self):
        return generation_list(workspace=self.request.workspace) if self.action == "list" else super().get_queryset()

    def get_serializer_class(self):
        return GenerationListSerializer if self.action == "list" else GenerationSerializer

    @extend_schema(responses={200: _EVENTS}, parameters=[OpenApiParameter(
        "Last-Event-ID", int, OpenApiParameter.HEADER, required=False,
        description="Resume after this event (EventSource sends it when it reconnects)."),
    ])
    @action(detail=True, renderer_classes=[JSONRenderer, EventStreamRenderer])
    def events(self, request, pk=None):
        """Stored events (after `Last-Event-ID`), then live ones until `generation.completed`."""
        generation = self.get_object()
        return event_stream_response(generation.pk, after_seq=last_event_id(request))

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from core.api.views import BaseAPIView
from core.health import UNHEALTHY, health_report

_component = inline_serializer(
    "HealthComponent",
    {
        "status": serializers.ChoiceField(choices=["ok", "error"]),
        "backend": serializers.CharField(required=False),
        "detail": serializers.CharField(required=False),
        "latency_ms": serializers.FloatField(),
    },
)


class HealthView(BaseAPIView):
    """Liveness and readiness in one: 200 when healthy or degraded, 503 when unhealthy."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="health",
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(choices=["healthy", "degraded", "unhealthy"]),
                    "components": serializers.DictField(child=_component),
                    "timestamp": serializers.DateTimeField(),
                },
            )
        },
    )
    def get(self, request):
        report = health_report()
        code = status.HTTP_503_SERVICE_UNAVAILABLE if report["status"] == UNHEALTHY else status.HTTP_200_OK
        return Response(report, status=code, headers={"Cache-Control": "no-store"})



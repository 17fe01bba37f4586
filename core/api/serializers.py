from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.settings import api_settings


class StrictFieldsMixin:
    """Rejects request fields the serializer does not accept, instead of ignoring them.

    A typo like `"nmae"`, or a read-only field like `"lifecycle_state"`, should be an error
    the client sees, not a silently lost value. These errors are reported together with the
    field errors, so one round trip shows everything wrong with a body.
    """

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [f"Expected a JSON object, got {_json_type(data)}."]}
            )
        extra = self._extra_field_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if extra and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **extra}) from exc
            raise
        if extra:
            raise serializers.ValidationError(extra)
        return value

    def _extra_field_errors(self, data: Mapping) -> dict[str, list[str]]:
        errors = {}
        for name in sorted(set(data) - {n for n, f in self.fields.items() if not f.read_only}):
            known = name in self.fields
            errors[name] = ["This field is read-only." if known else "Unknown field."]
        return errors


def _json_type(value) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    pass

from rest_framework import serializers


class StrictFieldsMixin:
    """Rejects request fields the serializer does not know, instead of ignoring them.

    A typo like `"nmae"` should be an error the client sees, not a silently lost value.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        initial = getattr(self, "initial_data", None)
        if isinstance(initial, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(initial) - writable)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return attrs

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [f"Expected a JSON object, got {type(data).__name__}."]}
            )
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    pass

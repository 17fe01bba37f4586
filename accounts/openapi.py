"""How the API's authentication appears in the OpenAPI schema (loaded by AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A workspace API key: `Authorization: Bearer ld_<prefix>_<secret>`.",
        }


class WorkspaceJWTScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.WorkspaceJWTAuthentication"
    name = "jwt"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A user's access token from `POST /api/v1/auth/token/`.",
        }

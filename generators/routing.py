from django.urls import path

from generators.consumers import GenerationConsumer

websocket_urlpatterns = [
    path("ws/generations/<int:pk>/", GenerationConsumer.as_asgi()),
]

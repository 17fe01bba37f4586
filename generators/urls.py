from django.urls import path

from generators import views

app_name = "generate"

# The page itself is the top-level URL name "generate" (config/urls.py), which the navigation uses.
urlpatterns = [
    path("<int:pk>/", views.generation_detail, name="detail"),
    path("<int:pk>/parts/<str:part>/", views.generation_part, name="part"),
    path("<int:pk>/strategy/", views.generation_save_strategy, name="save-strategy"),
]

from django.urls import path

from stegvis.codelists import views

app_name = "reference"
urlpatterns = [
    path("", views.code_lists, name="code_lists"),
    path("<slug:code_list>/ny/", views.code_add, name="code_add"),
    path("kod/<int:pk>/avsluta/", views.code_retire, name="code_retire"),
]

from django.urls import path

from stegvis.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("nationellt/", views.national, name="national"),
    path("forbund/<int:pk>/", views.association_start, name="association"),
    path("forbund/<int:pk>/arsuppgifter/<int:year>.xlsx", views.yearly_xlsx, name="yearly_xlsx"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/export/<slug:fmt>/", views.export, name="export"),
]

from django.urls import path

from stegvis.finance import views

app_name = "finance"
Y = "forbund/<int:association_id>/<int:year>/"
N = "statlig-fordelning/"
urlpatterns = [
    path("", views.index, name="index"),
    path("forbund/<int:association_id>/", views.association_years, name="years"),
    path(Y, views.year_detail, name="year"),
    path(Y + "ram/", views.year_edit, name="year_edit"),
    path(Y + "betalning/<int:organisation_id>/", views.payment, name="payment"),
    path(Y + "utfall/", views.actual_costs, name="actual"),
    path(Y + "budget/ny/", views.budget_new, name="budget_new"),
    path(Y + "budget/<int:version>/", views.budget_edit, name="budget"),
    path(Y + "budget/<int:version>/faststall/", views.budget_adopt, name="budget_adopt"),
    path(Y + "diagram.svg", views.chart, name="chart"),
    path(Y + "ekonomi.xlsx", views.export_xlsx, name="export_xlsx"),
    path(Y + "ekonomi.pdf", views.export_pdf, name="export_pdf"),
    path(N, views.national, name="national"),
    path(N + "parametrar/", views.parameters, name="parameters"),
    path(N + "<int:year>/", views.calculation, name="calculation"),
    path(N + "<int:year>/import/", views.import_inputs, name="import"),
    path(N + "<int:year>/tank-om/", views.what_if, name="what_if"),
    path(N + "<int:year>/forhandsbesked/", views.notices, name="notices"),
    path(N + "<int:year>/beslut/", views.decide, name="decide"),
]

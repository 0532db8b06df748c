from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def fails(request):
    raise RuntimeError("could not read participant 197306107405")


urlpatterns = [path("fails/", fails)]

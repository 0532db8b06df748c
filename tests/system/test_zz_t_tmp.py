import time, pytest
from stegvis.reference import loading as L
from stegvis.reference.models import Municipality, PopulationByAge, County, Code
from django.core.management import call_command

@pytest.mark.django_db(transaction=True)
def test_t():
    call_command("flush", interactive=False, verbosity=0)
    t=time.time(); L.load_geography(County, Municipality); print("geo", time.time()-t)
    t=time.time(); L.load_population(PopulationByAge); print("pop", time.time()-t)
    t=time.time(); L.load_code_lists(Code); print("codes", time.time()-t)
    t=time.time(); rows=list(L.read_csv("befolkning_alder_kon_2019.csv")); print("csv", time.time()-t)

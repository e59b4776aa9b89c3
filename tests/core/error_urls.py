from django.urls import path

from carrefour.urls import handler404, handler500, urlpatterns  # noqa: F401 - the handlers are read from here


def broken(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("casse/", broken), *urlpatterns]

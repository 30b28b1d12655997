"""A URLconf with a view that fails, to see what a person is shown when the code breaks."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("secret stack detail")


urlpatterns = [path("boom/", boom), path("", include("kehou.urls"))]
handler500 = "kehou.views.server_error"

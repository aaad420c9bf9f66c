from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = []
for kind in ("profile", "skill", "certification"):
    urlpatterns += [
        path(f"{kind}s/", views.entry_list, {"kind": kind}, name=f"{kind}_list"),
        path(f"{kind}s/new/", views.entry_edit, {"kind": kind}, name=f"{kind}_create"),
        path(f"{kind}s/<int:pk>/", views.entry_edit, {"kind": kind}, name=f"{kind}_update"),
    ]

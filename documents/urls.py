from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.document_download, name="download"),
    path("<int:pk>/verify/", views.document_verify, name="verify"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
    path("candidate/<int:pk>/", views.candidate_documents, name="candidate_list"),
    path("candidate/<int:pk>/upload/", views.document_upload, name="upload"),
    path("shared/", views.shared_cvs, name="shared"),
]

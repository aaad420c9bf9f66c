"""Where candidates' documents are kept: PRIVATE_MEDIA_ROOT, a folder no web server serves and
no URL of the portal names. A document leaves it only through the download view
(documents.views.document_download), for a user whose scope holds it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """The file system under settings.PRIVATE_MEDIA_ROOT, read each time (a test moves it to a
    folder of its own); its files have no address."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A candidate's document has no address: the portal's view serves it.")


# Readable by the portal's own user only.
_storage = PrivateStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


def private_storage() -> PrivateStorage:
    """The storage of Document.file (a callable, so that migrations name no folder)."""
    return _storage

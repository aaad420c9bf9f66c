"""What the portal's logs may hold. No address reaches them with its query string: the
searches of the lists and of the portal carry names, phone numbers and codici fiscali."""

import logging
import re

# A path followed by its query string, inside a log line: '"GET /search/?q=Rossi HTTP/1.1"'.
_QUERY_STRING = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


class WithoutQueryString(logging.Filter):
    """Cuts the query string off every address in a record's message (the development
    server's request lines, an error's path), keeping the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = _QUERY_STRING.sub(r"\1", message), ()
        return True

"""Access tokens never reach a log line: a logging filter that masks them wherever they appear."""

import logging
import re

_TOKEN_PATTERNS = [
    re.compile(r"(access_token=|input_token=|fb_exchange_token=|client_secret=)[^&\s\"']+"),
    re.compile(r"((?:Bearer|OAuth)\s+)[A-Za-z0-9|._\-]+"),
    re.compile(r"\b(EAA|IGAA|IGQ)[A-Za-z0-9_\-]{16,}"),
]


def redact(text: str) -> str:
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.lastindex else "") + "[redacted]", text)
    return text


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

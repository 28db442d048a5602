import logging

from meta.redact import RedactTokensFilter, redact


def test_it_masks_tokens_in_urls_headers_and_bare_strings():
    line = (
        "GET /v25.0/me?fields=id&access_token=IGAAabc123secret456 Authorization: Bearer EAAB1234567890abcdefghij "
        "leaked EAAXYZ0123456789abcdefghijklmno"
    )

    cleaned = redact(line)

    assert "IGAAabc123secret456" not in cleaned
    assert "EAAB1234567890abcdefghij" not in cleaned
    assert "EAAXYZ0123456789abcdefghijklmno" not in cleaned
    assert "fields=id" in cleaned


def test_the_log_filter_rewrites_the_formatted_message():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "calling %s", ("access_token=IGAAsecretvalue",), None)

    RedactTokensFilter().filter(record)

    assert "IGAAsecretvalue" not in record.getMessage()

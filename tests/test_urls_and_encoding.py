from crawler.encoding import decode_html
from crawler.urls import article_id, normalize_url


def test_tracking_parameters_fragments_and_case_are_dropped():
    assert normalize_url("HTTPS://EN.Yna.co.kr:443/view/AEN2024?utm_source=twitter&utm_medium=social&fbclid=x#top") \
        == "https://en.yna.co.kr/view/AEN2024"


def test_meaningful_parameters_and_their_order_are_kept():
    assert normalize_url("http://a.example/news?id=3&page=2&utm_campaign=z") == "http://a.example/news?id=3&page=2"


def test_default_port_dropped_other_port_kept():
    assert normalize_url("http://a.example:80/x") == "http://a.example/x"
    assert normalize_url("http://127.0.0.1:8701/x") == "http://127.0.0.1:8701/x"


def test_same_story_same_id():
    assert article_id("https://dmrnews.com/2024/09/03/story/?utm_source=rss#comments") == \
        article_id("https://DMRNEWS.com/2024/09/03/story/")
    assert article_id("https://dmrnews.com/2024/09/03/story/") != article_id("https://dmrnews.com/2024/09/04/story/")


def test_declared_charset_is_used_when_it_decodes():
    text, enc, wrong = decode_html('<meta charset="euc-kr"><p>텔레그램 수사</p>'.encode("euc-kr"))
    assert "텔레그램" in text and enc == "euc_kr" and not wrong


def test_wrong_declared_charset_is_detected():
    text, enc, wrong = decode_html("<p>“Deepfake” café</p>".encode("cp1252"), header_charset="utf-8")
    assert text == "<p>“Deepfake” café</p>" and wrong


def test_utf8_wins_over_a_wrong_single_byte_declaration():
    text, enc, wrong = decode_html("<p>Durov’s case</p>".encode("utf-8"), header_charset="iso-8859-1")
    assert "Durov’s" in text and enc == "utf-8" and wrong

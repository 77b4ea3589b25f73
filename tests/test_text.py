from bot.text import fold, normalise


def test_turkish_dotless_i_only_when_turkish() -> None:
    assert normalise("IRMAK", "tr") == "ırmak"
    assert normalise("IRMAK", "en") == "irmak"
    assert normalise("İstanbul", "en") == "istanbul"
    assert normalise("İSTANBUL", "tr") == "istanbul"


def test_apostrophes_and_whitespace_fold() -> None:
    assert normalise("  I\u2019m   so\ttired \n", "en") == "i'm so tired"
    assert normalise("Ma\u02bcaan", "so") == "ma'aan"


def test_fold_removes_diacritics_and_turkish_letters() -> None:
    assert fold("Çocuğum için ŞİMDİ yardım", "tr") == "cocugum icin simdi yardim"
    assert fold("cocugum icin simdi yardim", "tr") == "cocugum icin simdi yardim"
    assert fold("Café", "en") == "cafe"
    assert fold("IŞIK", "tr") == fold("ışık", "tr") == "isik"

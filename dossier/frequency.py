"""wordfreq's Zipf frequencies, read from a compact table kept on disk.

`wordfreq.zipf_frequency` decodes a language's whole word list into a Python dict the first
time it is asked (Russian: 713,000 words, about 0.5 s of CPU and over 100 MB in every process
that reads Russian). Here each list becomes a MARISA trie (word -> centibel band) built once
per machine and kept by `dossier.diskcache` (Russian: 3 MB, read in milliseconds). Tokens,
digits and rounding go through wordfreq's own functions, so the figures are wordfreq's;
tests/test_frequency.py compares them word by word.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Any

from dossier.diskcache import disk_cached

WORD_CACHE = 200_000
# What a table is derived from (its disk-cache fingerprint): only these packages' data.
PACKAGES = ("wordfreq", "marisa-trie")
MINIMUM = 1e-9  # wordfreq's floor for zipf_frequency: Zipf 0


@lru_cache(maxsize=WORD_CACHE)
def zipf_frequency(word: str, lang: str) -> float:
    """`wordfreq.zipf_frequency(word, lang)`: 0.0 for a word it does not list; LookupError
    for a language it has no list for."""
    from wordfreq import cB_to_freq, freq_to_zipf, lossy_tokenize
    from wordfreq.language_info import get_language_info
    from wordfreq.numbers import digit_freq, smash_numbers

    if get_language_info(lang)["tokenizer"] == "jieba":  # word breaks are guessed: its own rules
        import wordfreq

        return wordfreq.zipf_frequency(word, lang)
    table = _table(lang)
    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return 0.0
    one_over = 0.0
    for token in tokens:  # as wordfreq combines several tokens: 1/f = 1/f1 + 1/f2 + ...
        smashed = smash_numbers(token)
        bands = table.get(smashed)
        if not bands:
            return 0.0
        freq = cB_to_freq(-max(band for (band,) in bands))  # a word listed twice: the last
        if smashed != token:
            freq *= digit_freq(token)
        one_over += 1.0 / freq
    freq = max(1.0 / one_over, MINIMUM)
    rounded = round(freq, math.floor(-math.log(freq, 10)) + 3)  # wordfreq's 3 digits
    return round(freq_to_zipf(rounded), 2)


@cache
def _table(lang: str) -> Any:
    """The language's trie; LookupError (from wordfreq, nothing cached) when it has no list."""
    return disk_cached(f"wordfreq-{lang}", lambda: _build(lang), packages=PACKAGES)


def _build(lang: str) -> Any:
    import marisa_trie
    from wordfreq import get_frequency_list

    bands = get_frequency_list(lang)
    return marisa_trie.RecordTrie("<H", ((word, (band,)) for band, words in enumerate(bands)
                                         for word in words))

"""Searching with the synonyms editors keep (``SearchSynonym``), on every search backend.

The query is expanded, not the index: "forfetario" is searched as "forfetario" OR
"forfettario", so a new synonym works at once, without re-indexing, on SQLite and PostgreSQL
alike (both take ``Or`` of plain-text queries).
"""

from __future__ import annotations

from wagtail.search.query import And, Boost, Not, Or, PlainText, SearchQuery

from resources.models.search import SearchSynonym, split_terms

#: A query with many synonyms grows fast (every variant is one more full-text match).
MAX_VARIANTS = 8


def synonym_groups() -> list[list[str]]:
    """Every group of synonyms, each a list of lower-case terms (one query)."""
    return [
        terms
        for terms in (
            split_terms(text) for text in SearchSynonym.objects.values_list("terms", flat=True)
        )
        if len(terms) > 1
    ]


def _find(words: list[str], term: list[str]) -> int:
    """Where the words of ``term`` start in ``words``, or -1."""
    size = len(term)
    for start in range(len(words) - size + 1):
        if words[start : start + size] == term:
            return start
    return -1


def text_variants(text: str, groups: list[list[str]]) -> list[str]:
    """``text`` and the same text with a synonym in place of each term it contains."""
    variants = [text]
    for group in groups:
        for current in list(variants):
            words = current.split()
            folded = [word.casefold() for word in words]
            for term in group:
                term_words = term.split()
                start = _find(folded, term_words)
                if start < 0:
                    continue
                for other in group:
                    if other == term:
                        continue
                    variant = " ".join([*words[:start], other, *words[start + len(term_words) :]])
                    if variant not in variants and len(variants) < MAX_VARIANTS:
                        variants.append(variant)
                break
    return variants


def with_synonyms(query: SearchQuery, groups: list[list[str]] | None = None) -> SearchQuery:
    """``query`` where each plain-text part also matches its synonyms. Phrases stay exact."""
    if groups is None:
        groups = synonym_groups()
    if not groups:
        return query
    if isinstance(query, PlainText):
        variants = text_variants(query.query_string, groups)
        if len(variants) == 1:
            return query
        return Or([PlainText(variant, operator=query.operator) for variant in variants])
    if isinstance(query, And):
        return And([with_synonyms(sub, groups) for sub in query.subqueries])
    if isinstance(query, Or):
        return Or([with_synonyms(sub, groups) for sub in query.subqueries])
    if isinstance(query, Not):
        return Not(with_synonyms(query.subquery, groups))
    if isinstance(query, Boost):
        return Boost(with_synonyms(query.subquery, groups), query.boost)
    return query

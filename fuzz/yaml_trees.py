"""YAML documents built from nested data: the real keys of a schema mixed with random ones,
so generated files get past the parser and exercise validation, not only syntax errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from hypothesis import strategies as st

from fuzz.mutation import apply_edits, edits

Tree = Any

SCALARS: st.SearchStrategy[Tree] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["", " ", "*", "..", "../..", "/etc/passwd", "~", "builtin:", "\u202e"]),
)


def trees(
    keys: Sequence[str], leaves: st.SearchStrategy[Tree] = SCALARS
) -> st.SearchStrategy[Tree]:
    """Nested lists and mappings whose keys are mostly from `keys`, sometimes random text."""
    key = st.one_of(st.sampled_from(list(keys)), st.text(max_size=12))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(key, children, max_size=5)
        ),
        max_leaves=20,
    )


def schema_mapping(
    fields: Mapping[str, st.SearchStrategy[Tree]],
    keys: Sequence[str],
    required: Sequence[str] = (),
) -> st.SearchStrategy[dict[str, Tree]]:
    """A mapping with the schema's `required` fields and any subset of the others, each
    mostly a plausible value, sometimes a random tree; now and then an unknown key too.
    Mostly-valid documents get past validation into the code behind it."""
    anything = trees(keys)
    values = {name: _mostly(value, anything) for name, value in fields.items()}
    present = {name: values[name] for name in required}
    optional = {name: value for name, value in values.items() if name not in required}
    unknown = st.dictionaries(st.text(max_size=10), anything, min_size=1, max_size=1)
    return st.builds(
        lambda known, extra: {**extra, **known},
        st.fixed_dictionaries(present, optional=optional),
        _mostly(st.just({}), unknown),
    )


def _mostly(
    usual: st.SearchStrategy[Tree], rare: st.SearchStrategy[Tree]
) -> st.SearchStrategy[Tree]:
    """`usual` four times in five."""
    return st.integers(0, 4).flatmap(lambda n: rare if n == 0 else usual)


def dump(tree: Tree, flow: bool, unicode: bool) -> bytes:
    """`tree` as YAML text (NaN and infinities as `.nan`/`.inf`, which PyYAML writes)."""
    text = yaml.safe_dump(
        tree, default_flow_style=flow, allow_unicode=unicode, sort_keys=False, width=80
    )
    return text.encode("utf-8")


def yaml_files(
    documents: st.SearchStrategy[Tree], seeds: Sequence[bytes]
) -> st.SearchStrategy[bytes]:
    """YAML bytes: a generated document (perhaps byte-edited), or an edited seed file."""
    generated = st.builds(dump, documents, st.booleans(), st.booleans())
    return st.one_of(
        generated,
        st.builds(apply_edits, generated, edits()),
        st.builds(apply_edits, st.sampled_from(list(seeds)), edits()),
    )

"""Near-identical code between students, for the instructor's report.

    submission_code(notebook)        at grading time: the code cells as text (stored)
    normalized_lines(code)           comments, docstrings, magics and layout removed
    fingerprint(code, starter)       the lines that are not starter code
    similar_pairs(codes, starter)    every pair of students; cheap bounds first, then ratio

Starter code (the released notebook's own cells) is removed line by line, so the code
every student received does not make everyone look alike. What remains is compared as a
sequence of normalized lines with difflib; the ratio weighs each matched line by its
tokens: 2 * tokens on matching lines / all tokens. Lines, not tokens, are difflib's unit
because a token-level match of a full homework (~10k tokens) takes minutes per pair.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

CELL_MARK = "\n# %%\n"  # between cells in the stored text; a comment, so normalised away
MIN_TOKENS = 25  # less own code than this says nothing about copying (blank or near-blank)
SKIPPED_TOKENS = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


@dataclass(frozen=True)
class SimilarPair:
    student_a: str
    student_b: str
    ratio: float  # 0..1: 2 * tokens on matching lines / all tokens
    tokens_a: int  # own (non-starter) tokens compared
    tokens_b: int


def submission_code(notebook: Path) -> str | None:
    """The notebook's code cells joined (outputs dropped); None if it is not a notebook."""
    from autograder.grading.notebook import BadNotebook, read_code_cells  # otter: ~1.5 s to import

    try:
        cells = read_code_cells(notebook)
    except BadNotebook:
        return None
    return join_cells([cell["source"] for cell in cells])


def join_cells(sources: list[str]) -> str:
    """Code cells as one stored text, cell boundaries kept."""
    return CELL_MARK.join(sources)


def normalized_lines(code: str) -> list[str]:
    """Each logical line as its tokens joined by one space; comments, docstrings, blank
    lines and IPython magics (%, !) dropped."""
    lines: list[str] = []
    for cell in code.split(CELL_MARK):
        source = "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line for line in cell.splitlines()
        )
        try:
            lines.extend(_token_lines(source))
        except (tokenize.TokenError, SyntaxError):  # unbalanced code: line by line instead
            lines.extend(_line_by_line(source))
    return lines


def _token_lines(source: str) -> list[str]:
    lines: list[str] = []
    current: list[tokenize.TokenInfo] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in SKIPPED_TOKENS:
            continue
        if tok.type == tokenize.NEWLINE:
            _close_line(current, lines)
            current = []
        else:
            current.append(tok)
    _close_line(current, lines)
    return lines


def _close_line(tokens: list[tokenize.TokenInfo], lines: list[str]) -> None:
    if not tokens or (len(tokens) == 1 and tokens[0].type == tokenize.STRING):
        return  # nothing, or a docstring / bare string
    lines.append(" ".join(tok.string for tok in tokens))


def _line_by_line(source: str) -> list[str]:
    lines: list[str] = []
    for raw in source.splitlines():
        try:
            lines.extend(_token_lines(raw.strip()))
        except (tokenize.TokenError, SyntaxError):
            text = " ".join(re.sub(r"#.*", "", raw).split())
            if text:
                lines.append(text)
    return lines


def fingerprint(code: str, starter_lines: set[str]) -> list[str]:
    """The normalized lines that are not starter lines, in order."""
    return [line for line in normalized_lines(code) if line not in starter_lines]


def _weight(line: str) -> int:
    return line.count(" ") + 1  # tokens in a normalized line


class _Own:
    """One student's own lines, with what the bounds and the ratio need."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.counts = Counter(lines)
        self.tokens = sum(_weight(line) for line in lines)


def _upper_bound(a: _Own, b: _Own) -> float:
    """The ratio if every line the two share were matched in order (a cheap upper bound)."""
    shared = sum(min(n, b.counts[line]) * _weight(line) for line, n in a.counts.items())
    return 2 * shared / (a.tokens + b.tokens)


def _ratio(matcher: SequenceMatcher, a: _Own, b: _Own) -> float:
    """2 * tokens on matching lines / all tokens: long lines count more than a lone `)`."""
    matched = sum(
        _weight(line)
        for block in matcher.get_matching_blocks()
        for line in b.lines[block.a : block.a + block.size]
    )
    return 2 * matched / (a.tokens + b.tokens)


def similar_pairs(
    codes: dict[str, str],
    starter: str | None,
    *,
    threshold: float = 0.9,
    min_tokens: int = MIN_TOKENS,
) -> list[SimilarPair]:
    """Pairs of students whose own code has a ratio >= threshold, most similar first.
    O(n²) pairs; a cheap upper bound skips most of them before difflib runs."""
    starter_lines = set(normalized_lines(starter)) if starter else set()
    own = {sid: _Own(fingerprint(code, starter_lines)) for sid, code in codes.items() if code}
    usable = sorted(sid for sid, o in own.items() if o.tokens >= min_tokens)
    pairs: list[SimilarPair] = []
    for i, a in enumerate(usable):
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(own[a].lines)  # difflib indexes seq2 once: reuse it for every b
        for b in usable[i + 1 :]:
            small, big = sorted((own[a].tokens, own[b].tokens))
            if 2 * small / (small + big) < threshold or _upper_bound(own[a], own[b]) < threshold:
                continue
            matcher.set_seq1(own[b].lines)
            ratio = _ratio(matcher, own[a], own[b])
            if ratio >= threshold:
                pairs.append(SimilarPair(a, b, round(ratio, 4), own[a].tokens, own[b].tokens))
    return sorted(pairs, key=lambda p: (-p.ratio, p.student_a, p.student_b))

"""Blind round 11 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-10 (tests/mutation/blind_kit.py), never the tests; asked for mistakes in the answers, not in the ready-made cells; graded against the tests of 634ea02."""

from mutation.harness import Mutant

# cells to run again (snippets of the cells that build data / train models / report numbers)
CLS_VOCAB = "cls_vocab = build_vocab("
CLS_TRAIN = "cls_model = ClozeClassifier(cls_embeddings"
NER_DATA = "ner_train = make_ner_sentences("
NER_VOCAB = "ner_word_vocab = build_vocab("
NER_TRAIN = "ner_model = NerTagger("
NER_VAL = "ner_val_f1 = span_f1("
TR_DATA = "translator_src_vocab = build_vocab("
TR_TRAIN = "translator = Seq2Seq("
TR_VAL = "_val_pred = translate("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_ties_shorter_first",
        question="q1",
        description="equal-frequency tokens ordered by length first and only then alphabetically (key (-count, len, token))",
        kind="formula",
        target="build_vocab",
        edits=(("key=lambda t: (-counts[t], t)", "key=lambda t: (-counts[t], len(t), t)"),),
        rerun=(CLS_VOCAB, CLS_TRAIN, NER_VOCAB, NER_TRAIN, NER_VAL, TR_DATA, TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="vocab_sorts_callers_texts_in_place",
        question="q1",
        description="tokens counted with itertools.groupby after tokens.sort(): every text of the caller is sorted in place (ner_train / translator_train sources get scrambled)",
        kind="in_place",
        target="build_vocab",
        edits=(
            (
                "counts = Counter(token for tokens in token_lists for token in tokens)",
                "from itertools import groupby\n"
                "    counts = Counter()\n"
                "    for tokens in token_lists:\n"
                "        tokens.sort()\n"
                "        for token, group in groupby(tokens):\n"
                "            counts[token] += len(list(group))",
            ),
        ),
        rerun=(NER_DATA, NER_VOCAB, NER_TRAIN, NER_VAL, TR_DATA, TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_returns_tuple",
        question="q2",
        description="encode returns a tuple of ids instead of a list (the notebook still works, but the result is not the required list)",
        kind="formula",
        target="encode",
        edits=(("return ids", "return tuple(ids)"),),
        rerun=(),
    ),
    Mutant(
        name="encode_unk_default_token_string",
        question="q2",
        description="typo vocab.get(token, UNK): an unknown token is encoded as the string '<unk>' instead of the id vocab[UNK]",
        kind="formula",
        target="encode",
        edits=(("vocab.get(token, unk)", "vocab.get(token, UNK)"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_known_rows_added_to_unk",
        question="q3",
        description="matrix starts as copies of navec['<unk>'] and known rows are written with += : a known token's row is navec[token] + navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(("matrix[i] = torch.from_numpy(", "matrix[i] += torch.from_numpy("),),
        rerun=(CLS_VOCAB, CLS_TRAIN),
    ),
    Mutant(
        name="embedding_adds_missing_specials_to_callers_vocab",
        question="q3",
        description="embedding_matrix 'makes sure' every special token is in the vocabulary with vocab.setdefault: a vocab without some specials is extended in place and the matrix gets extra rows",
        kind="in_place",
        target="embedding_matrix",
        edits=(
            (
                'unk = torch.from_numpy(np.asarray(navec["<unk>"], dtype=np.float32))',
                "for special in SPECIALS:\n"
                "        vocab.setdefault(special, len(vocab))\n"
                '    unk = torch.from_numpy(np.asarray(navec["<unk>"], dtype=np.float32))',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="cls_vocab_unique_tokens_per_text",
        question="q3",
        description="classifier vocabulary built from sorted(set(tokenize(text))) (bag of words): frequencies are document frequencies, so the ids of cls_vocab differ from build_vocab on the training tokens",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "[tokenize(text) for text, _ in cls_train]",
                "[sorted(set(tokenize(text))) for text, _ in cls_train]",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cls_vocab_lemmatised",
        question="q3",
        description="classifier vocabulary built from pymorphy3 lemmas of the training tokens while cloze_batch encodes the raw word forms: inflected words become <unk>",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "cls_vocab = build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "import pymorphy3\n"
                "from functools import lru_cache\n"
                "\n"
                "_lemma_morph = pymorphy3.MorphAnalyzer()\n"
                "\n"
                "\n"
                "@lru_cache(maxsize=None)\n"
                "def _lemma(word):\n"
                '    return _lemma_morph.parse(word)[0].normal_form.replace("ё", "е")\n'
                "\n"
                "\n"
                "cls_vocab = build_vocab([[_lemma(t) for t in tokenize(text)] for text, _ in cls_train], min_freq=1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_eval_forward_draws_global_rng",
        question="q4",
        description="word dropout to <unk> in forward draws torch.rand every call with rate 0 in eval mode: predictions are right but every eval forward (predict_cloze) advances the global torch RNG",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "known = mask & (ids != 1)",
                "drop = torch.rand(ids.shape) < (0.1 if self.training else 0.0)\n"
                "        ids = ids.masked_fill(drop & mask, 1)\n"
                "        known = mask & (ids != 1)",
            ),
        ),
        rerun=(CLS_TRAIN,),
    ),
    Mutant(
        name="cloze_mask_rebuilt_to_max_length",
        question="q4",
        description="forward rebuilds the mask as arange(lengths.max()) < lengths: with extra <pad> columns (T > longest text) the mask no longer matches ids and forward fails",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(
            (
                "known = mask & (ids != 1)",
                "mask = torch.arange(int(lengths.max()))[None, :] < lengths[:, None]\n"
                "        known = mask & (ids != 1)",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_positions_one_based",
        question="q5",
        description="tokens enumerated from 1 (enumerate(..., start=1)): every span's start and end are one too high (span_f1 is unaffected)",
        kind="formula",
        target="bio_to_spans",
        edits=(('enumerate(list(tags) + ["O"])', 'enumerate(list(tags) + ["O"], start=1)'),),
        rerun=(),
    ),
    Mutant(
        name="bio_prev_tag_negative_index_wraps",
        question="q5",
        description="continuation tested on the previous tag tags[i - 1]: at i = 0 it wraps to the last tag, so a sentence opening with I-X and ending inside an X entity loses its first entity",
        kind="tolerance",
        target="bio_to_spans",
        edits=(
            (
                'if prefix == "I" and kind == label:',
                'if prefix == "I" and tags[i - 1][2:] == label:',
            ),
        ),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="bio_types_hardcoded_per_loc",
        question="q5",
        description="only PER and LOC are recognised as entity types (hard-coded from NER_TAGS): B-ORG / I-MISC and other types are treated like O",
        kind="formula",
        target="bio_to_spans",
        edits=(
            ('if prefix in ("B", "I"):', 'if prefix in ("B", "I") and label in ("PER", "LOC"):'),
        ),
        rerun=(),
    ),
    Mutant(
        name="span_f1_rounded_to_four_decimals",
        question="q5",
        description="span_f1 returns precision, recall and F1 rounded to 4 decimals (as printed by conlleval) instead of the exact fractions",
        kind="tolerance",
        target="span_f1",
        edits=(
            (
                "return precision, recall, f1",
                "return round(precision, 4), round(recall, 4), round(f1, 4)",
            ),
        ),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="bio_to_spans_returns_generator",
        question="q5",
        description="bio_to_spans written with yield: it returns a generator instead of a list (span_f1 still works)",
        kind="formula",
        target="bio_to_spans",
        edits=(
            ("spans.append((kind, start, i))", "yield (kind, start, i)"),
            ("return spans", "return"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_init_reseeds_global_rng",
        question="q6",
        description="NerTagger.__init__ calls torch.manual_seed(0) 'for reproducibility': the initial weights ignore the caller's seed and the global RNG is reset",
        kind="loop",
        target="NerTagger",
        edits=(("super().__init__()", "super().__init__()\n        torch.manual_seed(0)"),),
        rerun=(NER_TRAIN, NER_VAL),
    ),
    Mutant(
        name="ner_char_suffix_slice_assumes_right_alignment",
        question="q6",
        description="'endings matter': char_ids cut to the last 8 columns, but characters are left-aligned, so short words in a batch with a long word lose their characters (features depend on the batch's word width)",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "B, T, C = char_ids.shape",
                "char_ids = char_ids[:, :, -8:]\n        B, T, C = char_ids.shape",
            ),
        ),
        rerun=(NER_TRAIN, NER_VAL),
    ),
    Mutant(
        name="ner_val_f1_truth_from_train",
        question="q6",
        description="copy-paste: ner_val_f1 compares the tags of ner_val predictions with the true tags of ner_train",
        kind="loop",
        target="ner_val_f1 = span_f1(",
        edits=(
            ("span_f1([tags for _, tags in ner_val]", "span_f1([tags for _, tags in ner_train]"),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_lengths_from_word_ids_ignore_mask",
        question="q6",
        description="mask argument ignored: packing lengths counted as word_ids != 0, so positions the mask marks as padding but holding a non-zero id (or a real '<pad>' token) change the result",
        kind="tolerance",
        target="NerTagger",
        edits=(
            (
                "lengths = mask.sum(dim=1).clamp(min=1).cpu()",
                "lengths = (word_ids != 0).sum(dim=1).clamp(min=1).cpu()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ner_val_f1_sorted_sentences_not_restored",
        question="q6",
        description="validation sentences sorted by length before tag_sentences (less padding) but the predictions are compared with ner_val tags in the original order",
        kind="loop",
        target="ner_val_f1 = span_f1(",
        edits=(
            (
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], tag_sentences([tokens for tokens, _ in ner_val]))[2]",
                "_ner_order = sorted(range(len(ner_val)), key=lambda i: len(ner_val[i][0]))\n"
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], tag_sentences([ner_val[i][0] for i in _ner_order]))[2]",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_softmax_in_float32",
        question="q7",
        description="mixed-precision habit: softmax computed on scores.float() and cast back with type_as: float64 inputs get float32-accurate weights and context",
        kind="tolerance",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = torch.softmax(scores.float(), dim=1).type_as(scores)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="attention_query_detached",
        question="q7",
        description="scores computed from query.detach(): no gradient reaches the query (decoder state and its projection) through the attention scores",
        kind="graph",
        target="attention",
        edits=(
            ("torch.bmm(keys, query.unsqueeze(2))", "torch.bmm(keys, query.detach().unsqueeze(2))"),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_dropout_always_on",
        question="q7",
        description="transformer habit: F.dropout(weights, p=0.1) on the attention weights without a training flag: weights are random and do not sum to 1, also at inference",
        kind="mode",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = F.dropout(torch.softmax(scores, dim=1), p=0.1)",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="attention_padding_detected_by_zero_score",
        question="q7",
        description="scores multiplied by the mask and then every score equal to 0 filled with -inf: a real position whose dot product is exactly 0 gets weight 0 (an all-zero query gives NaN)",
        kind="tolerance",
        target="attention",
        edits=(
            (
                'scores = scores.masked_fill(~mask, float("-inf"))',
                "scores = scores * mask\n"
                '    scores = scores.masked_fill(scores == 0, float("-inf"))',
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_mask_from_sorted_src",
        question="q8",
        description="encode sorts the batch by length for packing and restores enc_out and h, but returns mask = src != 0 of the sorted src: mask rows belong to other sentences",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "packed = nn.utils.rnn.pack_padded_sequence(\n"
                "            self.src_emb(src), src_lengths.cpu(), batch_first=True, enforce_sorted=False\n"
                "        )",
                "src_lengths, order = src_lengths.sort(descending=True)\n"
                "        src = src[order]\n"
                "        packed = nn.utils.rnn.pack_padded_sequence(\n"
                "            self.src_emb(src), src_lengths.cpu(), batch_first=True\n"
                "        )",
            ),
            (
                "h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))",
                "restore = order.argsort()\n"
                "        enc_out, h_n = enc_out[restore], h_n[:, restore]\n"
                "        h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_forward_discards_new_state",
        question="q8",
        description="forward unpacks logits, _ = self.decode_step(...): under teacher forcing every step starts from the encoder state (greedy decoding does advance it)",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "logits, h = self.decode_step(tgt_in[:, t], h, enc_out, mask)",
                "logits, _ = self.decode_step(tgt_in[:, t], h, enc_out, mask)",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_loss_skips_first_position",
        question="q8",
        description="loss drops position 0 ('that is the <bos> step') although tgt_out is already shifted: the first real target token is never in the loss",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id",
                "logits[:, 1:].reshape(-1, logits.shape[-1]), targets[:, 1:].reshape(-1), ignore_index=pad_id",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_decode_step_returns_probabilities",
        question="q8",
        description="decode_step returns softmax probabilities instead of logits (forward and the cross-entropy then apply a second softmax)",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "return self.out(torch.cat([h, context], dim=1)), h",
                "return torch.softmax(self.out(torch.cat([h, context], dim=1)), dim=1), h",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    Mutant(
        name="seq2seq_src_embedding_dropout_always_on",
        question="q8",
        description="F.dropout(self.src_emb(src), 0.2) in encode without training=self.training: the encoder is random in eval mode too",
        kind="mode",
        target="Seq2Seq",
        edits=(
            (
                "self.src_emb(src), src_lengths.cpu()",
                "F.dropout(self.src_emb(src), 0.2), src_lengths.cpu()",
            ),
        ),
        rerun=(TR_TRAIN, TR_VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_shrinking_batch_wrong_row_index",
        question="q9",
        description="finished rows are removed from the batch (y, h, enc_out, mask filtered) but tokens are appended to outputs[i] with the index in the shrunken batch instead of the original row",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "        for _ in range(max_len):\n",
                "        active = torch.arange(src.shape[0])\n        for _ in range(max_len):\n",
            ),
            (
                "            for row in range(src.shape[0]):\n"
                "                if not done[row] and y[row].item() != eos_id:\n"
                "                    outputs[row].append(y[row].item())\n"
                "            done |= y == eos_id\n"
                "            if done.all():\n"
                "                break",
                "            keep = y != eos_id\n"
                "            for i in range(len(active)):\n"
                "                if keep[i]:\n"
                "                    outputs[i].append(y[i].item())\n"
                "            active, y, h, enc_out, mask = active[keep], y[keep], h[keep], enc_out[keep], mask[keep]\n"
                "            if len(active) == 0:\n"
                "                break",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_cut_drops_token_before_eos",
        question="q9",
        description="all generated tokens are collected and cut afterwards with seq[:seq.index(eos_id) - 1]: the last token before <eos> is lost (and <eos> first gives seq[:-1])",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "                if not done[row] and y[row].item() != eos_id:\n"
                "                    outputs[row].append(y[row].item())",
                "                outputs[row].append(y[row].item())",
            ),
            (
                "    return outputs",
                "    return [seq[: seq.index(eos_id) - 1] if eos_id in seq else seq for seq in outputs]",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_attends_to_padding",
        question="q9",
        description="the mask returned by model.encode is discarded and an all-True mask is passed to decode_step: in a batch with different source lengths the shorter ones attend to padding",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "enc_out, mask, h = model.encode(src, src_lengths)",
                "enc_out, _, h = model.encode(src, src_lengths)\n"
                "        mask = torch.ones_like(src, dtype=torch.bool)",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_reruns_forward_on_prefix",
        question="q9",
        description="transformer-style decoding: every step calls model(src, src_lengths, prefix) on the whole generated prefix instead of one model.encode and step-wise decode_step",
        kind="loop",
        target="greedy_decode",
        edits=(
            (
                "enc_out, mask, h = model.encode(src, src_lengths)\n"
                "        y = torch.full((src.shape[0],), bos_id, dtype=torch.long)",
                "prefix = torch.full((src.shape[0], 1), bos_id, dtype=torch.long)",
            ),
            (
                "logits, h = model.decode_step(y, h, enc_out, mask)\n"
                "            y = logits.argmax(dim=1)",
                "logits = model(src, src_lengths, prefix)[:, -1]\n"
                "            y = logits.argmax(dim=1)\n"
                "            prefix = torch.cat([prefix, y[:, None]], dim=1)",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_references_as_reference_lists",
        question="q10",
        description="NLTK convention: each reference treated as a list of alternative references (max-merged counts, shortest length), so the tokens of the reference are iterated as if they were references",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    for ref, hyp in zip(references, hypotheses):\n"
                "        for n in range(1, max_n + 1):\n"
                "            hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))\n"
                "            ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))",
                "    for refs, hyp in zip(references, hypotheses):\n"
                "        for n in range(1, max_n + 1):\n"
                "            hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))\n"
                "            ref_ngrams = Counter()\n"
                "            for ref in refs:\n"
                "                ref_ngrams |= Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))",
            ),
            (
                "r = sum(len(ref) for ref in references)",
                "r = sum(min((len(ref) for ref in refs), default=0) for refs in references)",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_skips_hypotheses_shorter_than_max_n",
        question="q10",
        description="pairs whose hypothesis is shorter than max_n are skipped in the n-gram counts ('too short for 4-grams') while c and r still cover the whole corpus",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "for ref, hyp in zip(references, hypotheses):",
                "for ref, hyp in zip(references, hypotheses):\n"
                "        if len(hyp) < max_n:\n"
                "            continue",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_counters_not_reset_between_orders",
        question="q10",
        description="the n-gram Counters are created once per sentence pair and updated for every order: the counts of order n also contain all lower-order n-grams",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "        for n in range(1, max_n + 1):\n"
                "            hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))\n"
                "            ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))",
                "        hyp_ngrams, ref_ngrams = Counter(), Counter()\n"
                "        for n in range(1, max_n + 1):\n"
                "            hyp_ngrams.update(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))\n"
                "            ref_ngrams.update(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_lowercases_callers_tokens_in_place",
        question="q10",
        description="case-insensitive BLEU done in place (ref[:] = [t.lower() ...], hyp[:] = ...): tokens differing only in case match, and the caller's lists are rewritten",
        kind="in_place",
        target="corpus_bleu",
        edits=(
            (
                "for ref, hyp in zip(references, hypotheses):",
                "for ref, hyp in zip(references, hypotheses):\n"
                "        ref[:] = [token.lower() for token in ref]\n"
                "        hyp[:] = [token.lower() for token in hyp]",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_preds_overwritten_in_batch_loop",
        question="q11",
        description="validation translated in batches of 100 but _val_pred is reassigned in the loop: only the last batch's predictions remain and are zipped with the first validation pairs",
        kind="loop",
        target="_val_pred = translate(",
        edits=(
            (
                '_val_pred = translate([" ".join(src) for src, _ in translator_val])',
                "for _start in range(0, len(translator_val), 100):\n"
                '    _val_pred = translate([" ".join(src) for src, _ in translator_val[_start : _start + 100]])',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_on_heldout_numbers",
        question="q11",
        description="validation metrics computed on 500 numbers picked with in_heldout (the held-out split) instead of the given translator_val pairs",
        kind="loop",
        target="_val_pred = translate(",
        edits=(
            (
                "_val_pred = translate(",
                '_heldout_val = [number_pair(n) for n in range(0, 1_000_000, 97) if in_heldout(f"num:{n}")][:500]\n'
                "_val_pred = translate(",
            ),
            ("in translator_val]", "in _heldout_val]"),
            ("zip(translator_val,", "zip(_heldout_val,"),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_exact_space_joined_target",
        question="q11",
        description="copy of the source line: the target digits are joined with ' ' before comparing with the prediction, so only one-digit numbers can ever match",
        kind="formula",
        target="_val_pred = translate(",
        edits=(('["".join(t) == p for', '[" ".join(t) == p for'),),
        rerun=(),
    ),
]

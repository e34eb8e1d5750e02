"""Blind round 3 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-2 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

TRAIN_CLS = "cls_model = ClozeClassifier("
TRAIN_NER = "ner_model = NerTagger("
NER_VAL = "ner_val_f1 = span_f1("
TRAIN_TRANSLATOR = "translator = Seq2Seq("
TRANSLATOR_VAL = "translator_val_exact ="

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_ties_reverse_alphabetical",
        question="q1",
        description="tokens sorted by (count, token) with reverse=True: equal-frequency tokens come in reverse alphabetical order",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "sorted(kept, key=lambda t: (-counts[t], t))",
                "sorted(kept, key=lambda t: (counts[t], t), reverse=True)",
            ),
        ),
    ),
    Mutant(
        name="vocab_extends_callers_specials",
        question="q1",
        description="the corpus tokens are appended to the caller's specials list (itos = specials; itos += ...), mutating it and the SPECIALS default",
        kind="in_place",
        target="build_vocab",
        edits=(
            (
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n        vocab[token] = len(vocab)\n    return vocab",
                "    itos = specials\n    itos += sorted(kept, key=lambda t: (-counts[t], t))\n    return {token: i for i, token in enumerate(itos)}",
            ),
        ),
    ),
    Mutant(
        name="vocab_counts_max_per_text",
        question="q1",
        description="per-text counters merged with |= (maximum count in one text) instead of summed over all texts",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "counts = Counter(token for tokens in token_lists for token in tokens)",
                "counts = Counter()\n    for tokens in token_lists:\n        counts |= Counter(tokens)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_add_eos_follows_add_bos",
        question="q2",
        description="copy-paste bug: <eos> is appended when add_bos is set, add_eos is ignored",
        kind="loop",
        target="encode",
        edits=(("if add_eos:", "if add_bos:"),),
    ),
    Mutant(
        name="encode_lowercases_tokens",
        question="q2",
        description="tokens lower-cased before the vocabulary lookup, so tokens with capitals map to their lower-case id (or <unk>)",
        kind="tolerance",
        target="encode",
        edits=(("vocab.get(token, unk)", "vocab.get(token.lower(), unk)"),),
    ),
    Mutant(
        name="pad_batch_lengths_int32",
        question="q2",
        description="lengths returned as torch.int32 instead of torch.long",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "[len(s) for s in sequences], dtype=torch.long",
                "[len(s) for s in sequences], dtype=torch.int32",
            ),
        ),
    ),
    Mutant(
        name="pad_batch_extra_pad_column",
        question="q2",
        description="T is the longest length plus one (room for an extra token): every row gets at least one pad column",
        kind="formula",
        target="pad_batch",
        edits=(("int(lengths.max())", "int(lengths.max()) + 1"),),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_uses_global_cls_vocab",
        question="q3",
        description="embedding_matrix ignores its vocab argument and builds the matrix from the global cls_vocab",
        kind="loop",
        target="embedding_matrix",
        edits=(
            ("len(vocab)", "len(cls_vocab)"),
            ("vocab.items()", "cls_vocab.items()"),
            ("vocab[PAD]", "cls_vocab[PAD]"),
        ),
    ),
    Mutant(
        name="embedding_rows_in_enumeration_order",
        question="q3",
        description="row i filled for the i-th key of the dict (enumerate(vocab)) instead of the token whose id is i",
        kind="tolerance",
        target="embedding_matrix",
        edits=(("for token, i in vocab.items():", "for i, token in enumerate(vocab):"),),
    ),
    Mutant(
        name="embedding_rows_l2_normalised",
        question="q3",
        description="navec vectors L2-normalised before being written into the matrix instead of copied as is",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "np.asarray(navec[token], dtype=np.float32))",
                "np.asarray(navec[token], dtype=np.float32))\n            matrix[i] = matrix[i] / matrix[i].norm()",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cls_vocab_without_bos_eos",
        question="q3",
        description="classifier vocabulary built with specials=[PAD, UNK] only (no <bos>/<eos>) although SPECIALS is required",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1, specials=[PAD, UNK])",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_n_classes_hardcoded",
        question="q4",
        description="output layer sized len(CLOZE_WORDS) instead of the n_classes argument",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Linear(256 + embeddings.shape[1], n_classes)",
                "nn.Linear(256 + embeddings.shape[1], len(CLOZE_WORDS))",
            ),
        ),
    ),
    Mutant(
        name="cloze_mask_and_assign_in_place",
        question="q4",
        description="known = mask; known &= ids != 1 modifies the caller's mask in place (and the max-pooling then skips <unk>)",
        kind="in_place",
        target="ClozeClassifier",
        edits=(("known = mask & (ids != 1)", "known = mask\n        known &= ids != 1"),),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cloze_conv_under_no_grad",
        question="q4",
        description="the frozen-embedding block wrapped in torch.no_grad() also contains the convolution, so the CNN is never trained",
        kind="graph",
        target="ClozeClassifier",
        edits=(
            (
                "        vectors = self.embedding(ids) * known[..., None]\n"
                "        mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]\n"
                "        conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)",
                "        with torch.no_grad():  # embeddings are frozen anyway\n"
                "            vectors = self.embedding(ids) * known[..., None]\n"
                "            mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]\n"
                "            conv = torch.relu(self.conv(vectors.transpose(1, 2))).transpose(1, 2)",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cloze_returns_probabilities",
        question="q4",
        description="forward returns softmax probabilities instead of logits (cross-entropy then applies a second softmax)",
        kind="outcome",
        target="ClozeClassifier",
        edits=(
            (
                "return self.head(torch.cat([peak, mean], dim=1))",
                "return torch.softmax(self.head(torch.cat([peak, mean], dim=1)), dim=1)",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_appends_o_to_callers_tags",
        question="q5",
        description="the closing 'O' sentinel is appended to the caller's tag list in place",
        kind="in_place",
        target="bio_to_spans",
        edits=(
            (
                'for i, tag in enumerate(list(tags) + ["O"]):',
                'tags.append("O")  # sentinel closes the last entity\n    for i, tag in enumerate(tags):',
            ),
        ),
    ),
    Mutant(
        name="span_f1_precision_recall_swapped",
        question="q5",
        description="precision divides by the number of true entities and recall by the number of predicted ones",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "precision = hits / len(pred) if pred else 0.0\n    recall = hits / len(true) if true else 0.0",
                "precision = hits / len(true) if true else 0.0\n    recall = hits / len(pred) if pred else 0.0",
            ),
        ),
    ),
    Mutant(
        name="span_f1_type_ignored",
        question="q5",
        description="entities matched on sentence, start and end only: a predicted span with the wrong type counts as correct",
        kind="formula",
        target="span_f1",
        edits=(("(s, *span)", "(s, *span[1:])"),),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="span_f1_no_zero_guard",
        question="q5",
        description="F1 guarded only against empty sets: with entities on both sides but no hit, 0/0 raises ZeroDivisionError",
        kind="tolerance",
        target="span_f1",
        edits=(("if precision + recall else 0.0", "if pred and true else 0.0"),),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_char_maxpool_over_padding",
        question="q6",
        description="character max-pooling includes padded character positions (relu(bias) there), so a word's vector depends on the batch's word width",
        kind="tolerance",
        target="NerTagger",
        edits=(
            (
                "char_vec = char_vec.masked_fill((char_ids.reshape(B * T, 1, C) == 0), 0.0).max(dim=2).values",
                "char_vec = char_vec.max(dim=2).values",
            ),
        ),
        rerun=(TRAIN_NER, NER_VAL),
    ),
    Mutant(
        name="ner_n_tags_hardcoded",
        question="q6",
        description="output layer sized len(NER_TAGS) instead of the n_tags argument",
        kind="formula",
        target="NerTagger",
        edits=(("nn.Linear(128, n_tags)", "nn.Linear(128, len(NER_TAGS))"),),
    ),
    Mutant(
        name="ner_val_f1_on_train",
        question="q6",
        description="ner_val_f1 computed on the training sentences ner_train instead of ner_val",
        kind="loop",
        target=NER_VAL,
        edits=(("in ner_val]", "in ner_train]"),),
    ),
    Mutant(
        name="ner_val_f1_with_word_dropout",
        question="q6",
        description="validation tags computed with the training-time word dropout (tagger_batch with unk_rate=0.3) still on",
        kind="mode",
        target=NER_VAL,
        edits=(
            (
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], tag_sentences([tokens for tokens, _ in ner_val]))[2]",
                "ner_model.eval()\n"
                "with torch.no_grad():\n"
                "    _words, _chars, _mask = tagger_batch([tokens for tokens, _ in ner_val], 0.3, torch.Generator().manual_seed(0))\n"
                "    _best = ner_model(_words, _chars, _mask).argmax(dim=2)\n"
                "_pred = [[NER_TAGS[i] for i in _best[b, : len(tokens)].tolist()] for b, (tokens, _) in enumerate(ner_val)]\n"
                "ner_val_f1 = span_f1([tags for _, tags in ner_val], _pred)[2]",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_mask_inferred_from_zero_keys",
        question="q7",
        description="mask argument ignored: padding detected as all-zero key vectors (true only for pad_packed encoder outputs)",
        kind="formula",
        target="attention",
        edits=(
            (
                'scores.masked_fill(~mask, float("-inf"))',
                'scores.masked_fill(keys.abs().sum(dim=2) == 0, float("-inf"))',
            ),
        ),
    ),
    Mutant(
        name="attention_mask_fill_minus_1e4",
        question="q7",
        description="padded scores filled with -1e4 instead of -inf: padding weight is not exactly 0 for large-magnitude scores",
        kind="tolerance",
        target="attention",
        edits=(('float("-inf")', "-1e4"),),
    ),
    Mutant(
        name="attention_squeeze_without_dim",
        question="q7",
        description="context squeezed with .squeeze() instead of .squeeze(1): batch size 1 (or D=1) loses a dimension",
        kind="tolerance",
        target="attention",
        edits=((".squeeze(1)", ".squeeze()"),),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_loss_pad_id_hardcoded",
        question="q8",
        description="seq2seq_loss ignores id 0 instead of the pad_id argument",
        kind="loop",
        target="seq2seq_loss",
        edits=(("ignore_index=pad_id", "ignore_index=0"),),
    ),
    Mutant(
        name="seq2seq_loss_mean_of_sequence_means",
        question="q8",
        description="loss averaged per sequence and then over the batch instead of over all real tokens",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "    return F.cross_entropy(\n        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n    )",
                '    losses = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=pad_id, reduction="none")\n'
                "    real = (targets != pad_id).float()\n"
                "    return ((losses * real).sum(dim=1) / real.sum(dim=1).clamp(min=1)).mean()",
            ),
        ),
        rerun=(TRAIN_TRANSLATOR, TRANSLATOR_VAL),
    ),
    Mutant(
        name="seq2seq_encode_without_total_length",
        question="q8",
        description="pad_packed_sequence without total_length: enc_out is shorter than src (and mask) when src has extra padding columns",
        kind="tolerance",
        target="Seq2Seq",
        edits=((", total_length=src.shape[1]", ""),),
    ),
    Mutant(
        name="seq2seq_encoder_final_state_detached",
        question="q8",
        description="encoder final state repackaged with .detach() before init_h: no gradient reaches the encoder through the decoder's initial state",
        kind="graph",
        target="Seq2Seq",
        edits=(
            ("torch.cat([h_n[0], h_n[1]], dim=1)", "torch.cat([h_n[0], h_n[1]], dim=1).detach()"),
        ),
        rerun=(TRAIN_TRANSLATOR, TRANSLATOR_VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_bos_from_global_vocab",
        question="q9",
        description="decoding starts from translator_tgt_vocab[BOS] instead of the bos_id argument",
        kind="loop",
        target="greedy_decode",
        edits=(("bos_id, dtype=torch.long", "translator_tgt_vocab[BOS], dtype=torch.long"),),
    ),
    Mutant(
        name="greedy_max_len_counts_bos",
        question="q9",
        description="loop runs max_len - 1 steps (<bos> counted in max_len): sequences without <eos> are one token short",
        kind="loop",
        target="greedy_decode",
        edits=(("for _ in range(max_len):", "for _ in range(max_len - 1):"),),
    ),
    Mutant(
        name="greedy_unsorts_with_forward_permutation",
        question="q9",
        description="batch sorted by length before encoding and 'unsorted' with the same permutation instead of its inverse",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "        enc_out, mask, h = model.encode(src, src_lengths)",
                "        order = torch.argsort(src_lengths, descending=True)  # sort by length for packing\n"
                "        src, src_lengths = src[order], src_lengths[order]\n"
                "        enc_out, mask, h = model.encode(src, src_lengths)",
            ),
            (
                "    return outputs",
                "    return [outputs[i] for i in order.tolist()]  # back to the input order",
            ),
        ),
        rerun=(TRANSLATOR_VAL,),
    ),
    Mutant(
        name="greedy_encode_before_eval",
        question="q9",
        description="model.eval() called only after model.encode: the source is encoded in the caller's (training) mode",
        kind="mode",
        target="greedy_decode",
        edits=(
            (
                "    model.eval()\n    with torch.no_grad():\n        enc_out, mask, h = model.encode(src, src_lengths)",
                "    with torch.no_grad():\n        enc_out, mask, h = model.encode(src, src_lengths)\n        model.eval()",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_max_n_hardcoded",
        question="q10",
        description="n-gram orders hard-coded to 1..4: the max_n argument is ignored",
        kind="loop",
        target="corpus_bleu",
        edits=(
            ("[0] * max_n", "[0] * 4"),
            ("max_n + 1", "5"),
            ("totals)) / max_n", "totals)) / 4"),
        ),
    ),
    Mutant(
        name="bleu_precision_zero_denominator",
        question="q10",
        description="precisions m/t computed before the zero check: ZeroDivisionError when no hypothesis has n tokens",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            (
                "    if min(matches) == 0:\n        return 0.0\n"
                "    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n",
                "    precisions = [m / t for m, t in zip(matches, totals)]\n"
                "    if min(precisions) == 0:\n        return 0.0\n"
                "    log_precision = sum(math.log(p) for p in precisions) / max_n",
            ),
        ),
    ),
    Mutant(
        name="bleu_clipping_pooled_over_corpus",
        question="q10",
        description="n-gram counts pooled over the whole corpus before clipping, so a hypothesis n-gram can match another sentence's reference",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "    for ref, hyp in zip(references, hypotheses):\n"
                "        for n in range(1, max_n + 1):\n"
                "            hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))\n"
                "            ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))\n"
                "            matches[n - 1] += sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())\n"
                "            totals[n - 1] += sum(hyp_ngrams.values())",
                "    for n in range(1, max_n + 1):\n"
                "        hyp_ngrams, ref_ngrams = Counter(), Counter()\n"
                "        for ref, hyp in zip(references, hypotheses):\n"
                "            hyp_ngrams.update(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))\n"
                "            ref_ngrams.update(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))\n"
                "        matches[n - 1] = sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())\n"
                "        totals[n - 1] = sum(hyp_ngrams.values())",
            ),
        ),
        rerun=(TRANSLATOR_VAL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_exact_digit_accuracy",
        question="q11",
        description="translator_val_exact is the per-digit accuracy (position-wise matches) instead of the share of exact matches",
        kind="formula",
        target=TRANSLATOR_VAL,
        edits=(
            (
                'float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))',
                "float(np.mean([a == b for (_, t), p in zip(translator_val, _val_pred) for a, b in zip(t, p)]))",
            ),
        ),
    ),
    Mutant(
        name="translator_val_exact_percent",
        question="q11",
        description="translator_val_exact reported in percent instead of as a fraction",
        kind="formula",
        target=TRANSLATOR_VAL,
        edits=(("translator_val_exact = float(", "translator_val_exact = 100 * float("),),
    ),
    Mutant(
        name="translator_val_exact_float32_tensor",
        question="q11",
        description="translator_val_exact left as a 0-d float32 torch tensor (torch mean) instead of a Python float",
        kind="tolerance",
        target=TRANSLATOR_VAL,
        edits=(
            (
                'float(np.mean(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]))',
                'torch.tensor(["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]).float().mean()',
            ),
        ),
    ),
]

"""Blind round 13 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-12 (tests/mutation/blind_kit.py), never the tests; asked for mistakes in the answers, not in the ready-made cells; graded against the tests of f8b149b."""

from mutation.harness import Mutant

CLS_TRAIN = ("cls_model = ClozeClassifier(cls_embeddings, len(CLOZE_WORDS))",)
NER_TRAIN = ("ner_model = NerTagger(len(ner_word_vocab)", "ner_val_f1 = span_f1(")
NER_VAL = ("ner_val_f1 = span_f1(",)
TR_TRAIN = (
    "translator = Seq2Seq(len(translator_src_vocab), len(translator_tgt_vocab))",
    "_val_pred = translate(",
)
TR_VAL = ("_val_pred = translate(",)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_drops_non_alnum_tokens",
        question="q1",
        description="tokens that are not alphanumeric (punctuation, hyphens, '<...>'-like strings) are dropped as 'not real words' although every token with count >= min_freq must be kept",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "if c >= min_freq and t not in vocab]",
                "if c >= min_freq and t not in vocab and t.isalnum()]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_last_text_not_counted",
        question="q1",
        description="off-by-one over the texts: counting loops over range(len(token_lists) - 1), so the tokens of the last text are never counted",
        kind="loop",
        target="build_vocab",
        edits=(
            (
                "counts = Counter(token for tokens in token_lists for token in tokens)",
                "counts = Counter(token for i in range(len(token_lists) - 1) for token in token_lists[i])",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vocab_removes_empty_texts_in_place",
        question="q1",
        description="empty texts are 'skipped' with token_lists[:] = [...]: the caller's list of texts loses its empty texts (input changed in place)",
        kind="in_place",
        target="build_vocab",
        edits=(
            (
                "counts = Counter(token for tokens in token_lists for token in tokens)",
                "token_lists[:] = [tokens for tokens in token_lists if len(tokens) > 0]  # skip empty texts\n"
                "    counts = Counter(token for tokens in token_lists for token in tokens)",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_eos_inserted_before_last_token",
        question="q2",
        description="<eos> added with ids.insert(-1, eos) which inserts it before the last token instead of appending it at the end",
        kind="formula",
        target="encode",
        edits=(
            (
                "ids = ids + [vocab[EOS]]",
                "ids.insert(-1, vocab[EOS])",
            ),
        ),
        rerun=TR_TRAIN,
    ),
    Mutant(
        name="pad_batch_mask_reshaped_from_time_major",
        question="q2",
        description="mask built time-major as arange(T)[:, None] < lengths[None, :] and then reshape(B, -1) instead of transposed: the mask rows are scrambled whenever lengths differ",
        kind="formula",
        target="pad_batch",
        edits=(
            (
                "mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "mask = (torch.arange(ids.shape[1])[:, None] < lengths[None, :]).reshape(len(sequences), -1)",
            ),
        ),
        rerun=CLS_TRAIN + NER_TRAIN,
    ),
    Mutant(
        name="pad_batch_mask_cached_by_shape",
        question="q2",
        description="mask memoised by the batch shape (B, T) like a causal mask: a later batch of the same shape but other lengths gets the first batch's mask",
        kind="formula",
        target="def pad_batch(sequences, pad_id=0):",
        edits=(
            (
                "def pad_batch(sequences, pad_id=0):",
                "_MASK_CACHE = {}\n\n\ndef pad_batch(sequences, pad_id=0):",
            ),
            (
                "mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "if tuple(ids.shape) not in _MASK_CACHE:  # the mask only depends on the batch shape\n"
                "        _MASK_CACHE[tuple(ids.shape)] = torch.arange(ids.shape[1])[None, :] < lengths[:, None]\n"
                "    mask = _MASK_CACHE[tuple(ids.shape)]",
            ),
        ),
        rerun=CLS_TRAIN + NER_TRAIN,
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="cls_vocab_excludes_answer_words",
        question="q3",
        description="'no label leakage': the 12 CLOZE_WORDS are removed from the training tokens before build_vocab, so cls_vocab differs from the vocabulary of the training tokens",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "cls_vocab = build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "cls_vocab = build_vocab([[t for t in tokenize(text) if t not in CLOZE_WORDS] for text, _ in cls_train], min_freq=1)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cls_vocab_from_unshuffled_split",
        question="q3",
        description="vocabulary built from the first 85% of the unshuffled _cloze list instead of cls_train: some validation texts leak in and some training texts are missing",
        kind="loop",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "cls_vocab = build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "cls_vocab = build_vocab([tokenize(text) for text, _ in _cloze[: int(0.85 * len(_cloze))]], min_freq=1)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cls_vocab_extra_number_special",
        question="q3",
        description="classifier vocabulary built with an extra, never used '<num>' special appended to SPECIALS: every corpus token id is shifted by one",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "cls_vocab = build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                'cls_vocab = build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1, specials=SPECIALS + ["<num>"])',
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_relu_after_output_layer",
        question="q4",
        description="MLP habit: the head ends with a ReLU after the output Linear, so the returned 'logits' are clipped at 0 (negative logits die, many ties at 0)",
        kind="outcome",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Linear(256 + embeddings.shape[1], n_classes))",
                "nn.Linear(256 + embeddings.shape[1], n_classes), nn.ReLU())",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_truncates_batch_to_shortest_text",
        question="q4",
        description="to avoid padding the batch is cut to the shortest text (ids[:, :lengths.min()]): longer texts lose their tail, and a text's logits depend on the other texts in its batch",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "known = mask & (ids != 1)",
                "ids, mask = ids[:, : int(lengths.min())], mask[:, : int(lengths.min())]  # no padding at all\n"
                "        known = mask & (ids != 1)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_length_feature_over_padded_width",
        question="q4",
        description="an extra 'relative length' feature lengths / T divides by the padded width T: extra <pad> columns change the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "nn.Linear(256 + embeddings.shape[1], n_classes)",
                "nn.Linear(256 + embeddings.shape[1] + 1, n_classes)",
            ),
            (
                "torch.cat([peak, mean], dim=1)",
                "torch.cat([peak, mean, (lengths.float() / ids.shape[1])[:, None]], dim=1)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_maxpool_takes_indices",
        question="q4",
        description="torch.max(...)[1] used for max-pooling: the CNN features are the positions of the maxima (cast to float) instead of the maximal values",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                ".max(dim=1).values",
                ".max(dim=1)[1].float()",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_attention_pooling_unmasked",
        question="q4",
        description="mean replaced by learned attention pooling whose softmax over T is not masked: every <pad> position gets weight exp(bias), so extra padding changes the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "self.conv = nn.Conv1d(",
                "self.att = nn.Linear(embeddings.shape[1], 1)\n        self.conv = nn.Conv1d(",
            ),
            (
                "mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]",
                "mean = (torch.softmax(self.att(vectors).squeeze(-1), dim=1)[..., None] * vectors).sum(dim=1)  # attention pooling",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    Mutant(
        name="cloze_logsumexp_pooling_zero_filled_padding",
        question="q4",
        description="max-pooling replaced by a smooth max (logsumexp over T) while padding is still filled with 0: every <pad> position adds exp(0) and changes the features",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                ".max(dim=1).values",
                ".logsumexp(dim=1)",
            ),
        ),
        rerun=CLS_TRAIN,
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="bio_type_keeps_prefix",
        question="q5",
        description="entity type stored as the full tag of its first token ('B-PER' or, for an entity opened by I-X, 'I-PER') instead of the bare type 'PER'",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                'if prefix == "I" and kind == label:',
                'if prefix == "I" and kind is not None and kind[2:] == label:',
            ),
            ("kind, start = label, i", "kind, start = tag, i"),
        ),
        rerun=NER_VAL,
    ),
    Mutant(
        name="bio_orphan_i_single_token_entity",
        question="q5",
        description="an I-X that cannot continue becomes a one-token entity that is not kept open: O I-PER I-PER gives two entities instead of one",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                'if prefix in ("B", "I"):\n            kind, start = label, i',
                'if prefix == "B":\n            kind, start = label, i\n'
                '        elif prefix == "I":  # a stray I-X is a one-token entity\n'
                "            spans.append((label, i, i + 1))",
            ),
        ),
        rerun=NER_VAL,
    ),
    Mutant(
        name="bio_end_short_when_closed_by_next_entity",
        question="q5",
        description="an entity closed by a following B-X (or a new I-Y) ends at i - 1 (index of its last token) while entities closed by O or the sentence end correctly end at i",
        kind="formula",
        target="bio_to_spans",
        edits=(
            (
                "spans.append((kind, start, i))",
                'spans.append((kind, start, i if prefix == "O" else i - 1))',
            ),
        ),
        rerun=NER_VAL,
    ),
    Mutant(
        name="span_f1_skips_sentences_without_true_entities",
        question="q5",
        description="sentences without any true entity are skipped, so false positives predicted in them never reach the precision",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "pred = {(s, *span) for s, tags in enumerate(pred_tags) for span in bio_to_spans(tags)}",
                "pred = {(s, *span) for s, tags in enumerate(pred_tags) if bio_to_spans(true_tags[s]) for span in bio_to_spans(tags)}",
            ),
        ),
        rerun=NER_VAL,
    ),
    Mutant(
        name="span_f1_counts_entities_by_b_tags",
        question="q5",
        description="numbers of true and predicted entities counted as the number of B- tags: entities opened by an I- tag are missing from the precision/recall denominators",
        kind="formula",
        target="span_f1",
        edits=(
            (
                "precision = hits / len(pred) if pred else 0.0",
                'n_pred = sum(tag.startswith("B-") for tags in pred_tags for tag in tags)\n'
                '    n_true = sum(tag.startswith("B-") for tags in true_tags for tag in tags)\n'
                "    precision = hits / n_pred if n_pred else 0.0",
            ),
            (
                "recall = hits / len(true) if true else 0.0",
                "recall = hits / n_true if n_true else 0.0",
            ),
        ),
        rerun=NER_VAL,
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_char_pool_mask_inverted",
        question="q6",
        description="character max-pooling mask inverted (== 0 written as != 0): real characters are zero-filled and the max is taken over the padded character positions",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "(char_ids.reshape(B * T, 1, C) == 0)",
                "(char_ids.reshape(B * T, 1, C) != 0)",
            ),
        ),
        rerun=NER_TRAIN,
    ),
    Mutant(
        name="ner_log_softmax_over_time_axis",
        question="q6",
        description="forward returns log_softmax over dim=1, the time axis of (B, T, n_tags), instead of raw logits: scores are normalised over positions (padding included)",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "return self.out(out)",
                "return F.log_softmax(self.out(out), dim=1)",
            ),
        ),
        rerun=NER_TRAIN,
    ),
    Mutant(
        name="ner_random_initial_lstm_state",
        question="q6",
        description="tutorial habit: the BiLSTM initial state is drawn with torch.randn in every forward: tags are random in eval mode too and every call advances the global torch RNG",
        kind="mode",
        target="NerTagger",
        edits=(
            (
                "out, _ = self.lstm(packed)",
                "out, _ = self.lstm(packed, (torch.randn(2, B, 64), torch.randn(2, B, 64)))",
            ),
        ),
        rerun=NER_TRAIN,
    ),
    Mutant(
        name="ner_pack_lengths_sorted_batch_not",
        question="q6",
        description="to satisfy enforce_sorted=True the lengths are sorted in decreasing order but the batch rows are not: every sentence is packed with another sentence's length",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "lengths = mask.sum(dim=1).clamp(min=1).cpu()",
                "lengths = mask.sum(dim=1).clamp(min=1).cpu().sort(descending=True).values",
            ),
            ("enforce_sorted=False", "enforce_sorted=True"),
        ),
        rerun=NER_TRAIN,
    ),
    Mutant(
        name="ner_val_f1_tags_gold_tag_strings",
        question="q6",
        description="copy-paste slip: tag_sentences is given the gold tag sequences of ner_val ([tags for _, tags in ner_val]) instead of its tokens",
        kind="formula",
        target="ner_val_f1 = span_f1(",
        edits=(
            (
                "tag_sentences([tokens for tokens, _ in ner_val])",
                "tag_sentences([tags for _, tags in ner_val])",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_softmax_applied_twice",
        question="q7",
        description="weights 're-normalised over the real tokens' with a second masked softmax of the probabilities: padding is 0 and rows sum to 1, but the weights are flattened",
        kind="formula",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = torch.softmax(scores, dim=1)\n"
                '    weights = torch.softmax(weights.masked_fill(~mask, float("-inf")), dim=1)  # renormalise over real tokens',
            ),
        ),
        rerun=TR_TRAIN,
    ),
    Mutant(
        name="attention_hard_argmax_weights",
        question="q7",
        description="hard attention: weights are the one-hot argmax of the masked scores instead of their softmax (no gradient reaches the scores)",
        kind="formula",
        target="attention",
        edits=(
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = F.one_hot(scores.argmax(dim=1), scores.shape[1]).to(values.dtype)  # attend to the best position",
            ),
        ),
        rerun=TR_TRAIN,
    ),
    Mutant(
        name="attention_negative_distance_scores",
        question="q7",
        description="'similarity = closeness': scores are minus squared Euclidean distances between query and keys instead of raw dot products",
        kind="formula",
        target="attention",
        edits=(
            (
                "scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)",
                "scores = -((keys - query.unsqueeze(1)) ** 2).sum(dim=2)",
            ),
        ),
        rerun=TR_TRAIN,
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_forward_feeds_bos_every_step",
        question="q8",
        description="index typo tgt_in[:, 0] in the teacher-forcing loop: the decoder gets <bos> at every step instead of the previous target token tgt_in[:, t]",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "self.decode_step(tgt_in[:, t], h, enc_out, mask)",
                "self.decode_step(tgt_in[:, 0], h, enc_out, mask)",
            ),
        ),
        rerun=TR_TRAIN,
    ),
    Mutant(
        name="seq2seq_gru_cell_called_without_state",
        question="q8",
        description="decode_step calls self.cell(x) without h: the GRU cell starts from zeros at every step and the previous state only enters through the attention query",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "h = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h)",
                "h = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1))",
            ),
        ),
        rerun=TR_TRAIN,
    ),
    Mutant(
        name="seq2seq_loss_binary_cross_entropy_one_hot",
        question="q8",
        description="loss is binary cross-entropy of the logits against one-hot targets (masked to real tokens) instead of the softmax cross-entropy",
        kind="formula",
        target="seq2seq_loss",
        edits=(
            (
                "return F.cross_entropy(\n"
                "        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id\n"
                "    )",
                "keep = targets.reshape(-1) != pad_id\n"
                "    flat = logits.reshape(-1, logits.shape[-1])[keep]\n"
                "    return F.binary_cross_entropy_with_logits(\n"
                "        flat, F.one_hot(targets.reshape(-1)[keep], logits.shape[-1]).to(flat.dtype)\n"
                "    )",
            ),
        ),
        rerun=TR_TRAIN,
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_freezes_model_parameters",
        question="q9",
        description="model.requires_grad_(False) called 'for inference': every parameter of the caller's model stops requiring grad after decoding",
        kind="in_place",
        target="greedy_decode",
        edits=(
            (
                "model.eval()",
                "model.eval()\n    model.requires_grad_(False)  # inference only",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="greedy_argmax_without_pad_offset",
        question="q9",
        description="<pad> excluded from the argmax by slicing logits[:, 1:] without adding 1 back: every decoded id is one too small",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "y = logits.argmax(dim=1)",
                "y = logits[:, 1:].argmax(dim=1)  # <pad> is never a valid output",
            ),
        ),
        rerun=TR_VAL,
    ),
    Mutant(
        name="greedy_no_eos_rows_returned_empty",
        question="q9",
        description="rows that never produced <eos> are treated as failed and returned empty instead of with their max_len tokens",
        kind="formula",
        target="greedy_decode",
        edits=(
            (
                "return outputs",
                "return [seq if bool(done[row]) else [] for row, seq in enumerate(outputs)]  # no <eos>: failed",
            ),
        ),
        rerun=TR_VAL,
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_totals_hypothesis_length_every_order",
        question="q10",
        description="precision denominator for every order n is the hypothesis length len(hyp) instead of its number of n-grams len(hyp) - n + 1",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "totals[n - 1] += sum(hyp_ngrams.values())",
                "totals[n - 1] += len(hyp)",
            ),
        ),
        rerun=TR_VAL,
    ),
    Mutant(
        name="bleu_ngrams_first_last_pairs",
        question="q10",
        description="n-grams built with zip(seq, seq[n - 1:]) (generalising the bigram zip trick): for n >= 3 they are (first, last) skip pairs instead of full n-grams",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))",
                "hyp_ngrams = Counter(zip(hyp, hyp[n - 1 :]))",
            ),
            (
                "ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))",
                "ref_ngrams = Counter(zip(ref, ref[n - 1 :]))",
            ),
        ),
        rerun=TR_VAL,
    ),
    Mutant(
        name="bleu_brevity_penalises_long_hypotheses",
        question="q10",
        description="'penalise any length mismatch': BP = exp(1 - max(c, r) / min(c, r)), so hypotheses longer than the references are penalised too (BP must be 1 for c > r)",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "brevity = 1.0 if c > r else math.exp(1.0 - r / c)",
                "brevity = math.exp(1.0 - max(c, r) / min(c, r))",
            ),
        ),
        rerun=TR_VAL,
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_exact_substring_match",
        question="q11",
        description="exact match tested with 'p in target' (substring) instead of equality: empty and partial predictions count as exact",
        kind="formula",
        target="_val_pred = translate(",
        edits=(
            (
                '"".join(t) == p',
                'p in "".join(t)',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_ids_mapped_with_source_vocab",
        question="q11",
        description="validation decoded with greedy_decode directly, but the output ids are mapped back to tokens with the source vocabulary instead of the target one",
        kind="formula",
        target="_val_pred = translate(",
        edits=(
            (
                '_val_pred = translate([" ".join(src) for src, _ in translator_val])',
                "_src, _lengths, _ = pad_batch([encode(src, translator_src_vocab) for src, _ in translator_val])\n"
                "_id_to_token = {i: t for t, i in translator_src_vocab.items()}\n"
                '_val_pred = ["".join(_id_to_token[i] for i in ids) for ids in greedy_decode(translator, _src, _lengths)]',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="translator_val_last_partial_batch_dropped",
        question="q11",
        description="validation translated in range(len // 64) full batches of 64: the last 52 pairs are never translated, the metrics cover 448 pairs (and BLEU's r still counts all references)",
        kind="loop",
        target="_val_pred = translate(",
        edits=(
            (
                '_val_pred = translate([" ".join(src) for src, _ in translator_val])',
                "_val_pred = []\n"
                "for _b in range(len(translator_val) // 64):  # full batches of 64\n"
                '    _val_pred += translate([" ".join(src) for src, _ in translator_val[_b * 64 : (_b + 1) * 64]])',
            ),
        ),
        rerun=(),
    ),
]

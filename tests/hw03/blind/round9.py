"""Blind round 9 for hw03 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-8 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

TRAIN_CLS = "cls_model = ClozeClassifier(cls_embeddings, len(CLOZE_WORDS))"
TRAIN_NER = "ner_model = NerTagger(len(ner_word_vocab), len(ner_char_vocab), len(NER_TAGS))"
NER_VAL = "ner_val_f1 = span_f1("
TRAIN_TR = "translator = Seq2Seq(len(translator_src_vocab), len(translator_tgt_vocab))"
TR_VAL = "_val_pred = translate("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="vocab_global_counter_accumulates",
        question="q1",
        description="token counts kept in a module-level Counter that build_vocab updates: counts of earlier calls leak into every later vocabulary",
        kind="in_place",
        target="def build_vocab(token_lists",
        edits=(
            (
                "def build_vocab(",
                "TOKEN_COUNTS = Counter()  # частоты токенов\n\n\ndef build_vocab(",
            ),
            (
                "counts = Counter(token for tokens in token_lists for token in tokens)",
                "counts = TOKEN_COUNTS\n    counts.update(token for tokens in token_lists for token in tokens)",
            ),
        ),
    ),
    Mutant(
        name="vocab_corpus_rank_one_based",
        question="q1",
        description="corpus tokens numbered len(specials) + rank with a 1-based rank: id len(specials) is never used, every corpus id is one too high",
        kind="formula",
        target="build_vocab",
        edits=(
            (
                "    for token in sorted(kept, key=lambda t: (-counts[t], t)):\n        vocab[token] = len(vocab)",
                "    for rank, token in enumerate(sorted(kept, key=lambda t: (-counts[t], t)), start=1):\n"
                "        vocab[token] = len(specials) + rank",
            ),
        ),
    ),
    Mutant(
        name="vocab_min_freq_default_two",
        question="q1",
        description="signature default min_freq=2 instead of the stated 1: calls relying on the default drop tokens seen only once",
        kind="loop",
        target="build_vocab",
        edits=(("min_freq=1,", "min_freq=2,"),),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="encode_requires_bos_eos_in_vocab",
        question="q2",
        description="<bos>/<eos> ids looked up eagerly at the start: a vocabulary without <bos>/<eos> raises KeyError even when add_bos/add_eos are False",
        kind="tolerance",
        target="encode",
        edits=(
            ("unk = vocab[UNK]", "unk, bos, eos = vocab[UNK], vocab[BOS], vocab[EOS]"),
            ("[vocab[BOS]] + ids", "[bos] + ids"),
            ("ids + [vocab[EOS]]", "ids + [eos]"),
        ),
    ),
    Mutant(
        name="pad_batch_width_from_first_sequence",
        question="q2",
        description="T taken as the length of the first sequence (batch assumed sorted by length): a later, longer sequence raises",
        kind="tolerance",
        target="pad_batch",
        edits=(("int(lengths.max())", "len(sequences[0])"),),
    ),
    Mutant(
        name="pad_batch_pad_sequence_dtype_from_first",
        question="q2",
        description="ids built with pad_sequence of torch.tensor(seq) without dtype: an empty first sequence makes the whole ids tensor float32",
        kind="tolerance",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)\n",
                "    ids = nn.utils.rnn.pad_sequence(\n"
                "        [torch.tensor(seq) for seq in sequences], batch_first=True, padding_value=pad_id\n"
                "    )\n",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="embedding_oov_lemma_fallback",
        question="q3",
        description="a token missing from navec is looked up by its pymorphy3 lemma: inflected OOV words get the lemma's vector instead of navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "    unk = torch.from_numpy(",
                "    import pymorphy3\n    _morph = pymorphy3.MorphAnalyzer()\n    unk = torch.from_numpy(",
            ),
            (
                "        if token in navec and token not in SPECIALS:\n"
                "            matrix[i] = torch.from_numpy(np.asarray(navec[token], dtype=np.float32))",
                "        if token in SPECIALS:\n"
                "            continue\n"
                "        if token not in navec:\n"
                '            token = _morph.parse(token)[0].normal_form.replace("ё", "е")\n'
                "        if token in navec:\n"
                "            matrix[i] = torch.from_numpy(np.asarray(navec[token], dtype=np.float32))",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cls_vocab_drops_short_tokens",
        question="q3",
        description="tokens of at most two characters (prepositions, conjunctions) removed before build_vocab 'as stop words': they become <unk>",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "build_vocab([[t for t in tokenize(text) if len(t) > 2] for text, _ in cls_train], min_freq=1)",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cls_vocab_adds_answer_words",
        question="q3",
        description="CLOZE_WORDS appended as an extra text 'so the answer words are in the vocabulary': their counts grow by one and the id order changes",
        kind="formula",
        target="cls_vocab = build_vocab(",
        edits=(
            (
                "build_vocab([tokenize(text) for text, _ in cls_train], min_freq=1)",
                "build_vocab([tokenize(text) for text, _ in cls_train] + [CLOZE_WORDS], min_freq=1)",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="cloze_head_in_plain_list",
        question="q4",
        description="head layers kept in a plain Python list: the Linear is not a registered parameter (never trained) and the Dropout ignores eval()",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes))",
                "self.head = [nn.Dropout(0.3), nn.Linear(256 + embeddings.shape[1], n_classes)]",
            ),
            (
                "        return self.head(torch.cat([peak, mean], dim=1))",
                "        features = torch.cat([peak, mean], dim=1)\n"
                "        for layer in self.head:\n"
                "            features = layer(features)\n"
                "        return features",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cloze_lengths_decremented_in_place",
        question="q4",
        description="number of known tokens obtained by subtracting the <unk> count from lengths in place (lengths -= ...): the caller's lengths tensor changes",
        kind="in_place",
        target="ClozeClassifier",
        edits=(
            (
                "        mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]",
                "        lengths -= (mask & (ids == 1)).sum(dim=1)  # <unk> не входит в среднее\n"
                "        mean = vectors.sum(dim=1) / lengths.clamp(min=1)[:, None]",
            ),
        ),
        rerun=(TRAIN_CLS,),
    ),
    Mutant(
        name="cloze_trained_on_validation_too",
        question="q4",
        description="classifier trained on cls_train + cls_val ('more data'): cls_val_accuracy is measured on training examples",
        kind="outcome",
        target="train_classifier(cls_model, cls_train)",
        edits=(
            (
                "train_classifier(cls_model, cls_train)",
                "train_classifier(cls_model, cls_train + cls_val)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="span_f1_percent",
        question="q5",
        description="precision, recall and F1 returned in percent (conlleval style) instead of fractions",
        kind="formula",
        target="span_f1",
        edits=(("return precision, recall, f1", "return 100 * precision, 100 * recall, 100 * f1"),),
        rerun=(NER_VAL,),
    ),
    Mutant(
        name="bio_span_fields_reordered",
        question="q5",
        description="spans returned as (start, end, type) instead of (type, start, end)",
        kind="formula",
        target="bio_to_spans",
        edits=(("spans.append((kind, start, i))", "spans.append((start, i, kind))"),),
    ),
    Mutant(
        name="span_f1_recall_guard_copy_paste",
        question="q5",
        description="copy-paste in the zero guard: recall guarded by 'if pred' instead of 'if true', so no true entities but some predictions raises ZeroDivisionError",
        kind="tolerance",
        target="span_f1",
        edits=(("hits / len(true) if true else 0.0", "hits / len(true) if pred else 0.0"),),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="ner_char_embedding_sized_n_words",
        question="q6",
        description="copy-paste: character embedding sized n_words instead of n_chars (IndexError whenever a char id >= n_words)",
        kind="tolerance",
        target="NerTagger",
        edits=(
            (
                "nn.Embedding(n_chars, 24, padding_idx=0)",
                "nn.Embedding(n_words, 24, padding_idx=0)",
            ),
        ),
        rerun=(TRAIN_NER, NER_VAL),
    ),
    Mutant(
        name="ner_char_conv_without_padding",
        question="q6",
        description="char convolution without padding (only full windows pooled): words shorter than 3 chars get no char features and a batch whose words all have <= 2 chars raises",
        kind="tolerance",
        target="NerTagger",
        edits=(
            ("nn.Conv1d(24, 48, kernel_size=3, padding=1)", "nn.Conv1d(24, 48, kernel_size=3)"),
            (
                "(char_ids.reshape(B * T, 1, C) == 0)",
                "(char_ids.reshape(B * T, 1, C)[:, :, 2:] == 0)",
            ),
        ),
        rerun=(TRAIN_NER, NER_VAL),
    ),
    Mutant(
        name="ner_trained_without_word_dropout",
        question="q6",
        description="tagger trained with unk_rate=0.0 (word dropout to <unk> switched off): the model can memorise training names and cities",
        kind="outcome",
        target="train_tagger(ner_model, ner_train)",
        edits=(
            (
                "train_tagger(ner_model, ner_train)",
                "train_tagger(ner_model, ner_train, unk_rate=0.0)",
            ),
        ),
        rerun=(NER_VAL,),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="attention_scores_clamped_for_stability",
        question="q7",
        description="scores clamped to [-50, 50] 'to avoid overflow': weights are wrong for large-magnitude dot products",
        kind="tolerance",
        target="attention",
        edits=(
            (
                "scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)",
                "scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2).clamp(-50.0, 50.0)",
            ),
        ),
        rerun=(TRAIN_TR, TR_VAL),
    ),
    Mutant(
        name="attention_returns_scores_not_weights",
        question="q7",
        description="wrong variable returned: the masked scores (with -inf on padding) are returned as weights; the context is right",
        kind="formula",
        target="attention",
        edits=(("return context, weights", "return context, scores"),),
    ),
    Mutant(
        name="attention_returned_weights_detached",
        question="q7",
        description="returned weights detached 'for plotting': no gradient flows through the weights output",
        kind="graph",
        target="attention",
        edits=(("return context, weights", "return context, weights.detach()"),),
    ),
    Mutant(
        name="attention_mask_fill_plus_inf",
        question="q7",
        description="sign slip: padded scores filled with +inf instead of -inf, so every row with padding becomes NaN",
        kind="formula",
        target="attention",
        edits=(('float("-inf")', 'float("inf")'),),
        rerun=(TRAIN_TR, TR_VAL),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="seq2seq_decode_step_overwrites_state_in_place",
        question="q8",
        description="decode_step writes the new state into the caller's h with h.copy_(...): the input changes and backward through forward fails",
        kind="graph",
        target="Seq2Seq",
        edits=(
            (
                "        h = self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h)",
                "        h.copy_(self.cell(torch.cat([self.tgt_emb(y_prev), context], dim=1), h))",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_loss_targets_greater_than_pad",
        question="q8",
        description="real tokens selected as targets > pad_id (pad assumed to be the smallest id): with another pad_id, targets with smaller ids are dropped from the loss",
        kind="tolerance",
        target="seq2seq_loss",
        edits=(
            ("return F.cross_entropy(", "real = targets > pad_id\n    return F.cross_entropy("),
            (
                "logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad_id",
                "logits[real], targets[real]",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_loss_masks_pad_logit_in_place",
        question="q8",
        description="loss sets the <pad> column of the caller's logits to -inf in place ('pad is never predicted'): logits change and the loss value differs",
        kind="in_place",
        target="seq2seq_loss",
        edits=(
            (
                "return F.cross_entropy(",
                'logits[..., pad_id] = float("-inf")  # <pad> не предсказываем\n    return F.cross_entropy(',
            ),
        ),
        rerun=(TRAIN_TR, TR_VAL),
    ),
    Mutant(
        name="seq2seq_encoder_in_plain_dict",
        question="q8",
        description="encoder GRU stored in a plain dict: its weights are not registered parameters, so the optimizer never trains them",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "self.encoder = nn.GRU(emb_dim, hidden, batch_first=True, bidirectional=True)",
                'self.rnns = {"encoder": nn.GRU(emb_dim, hidden, batch_first=True, bidirectional=True)}',
            ),
            ("out, h_n = self.encoder(packed)", 'out, h_n = self.rnns["encoder"](packed)'),
        ),
        rerun=(TRAIN_TR, TR_VAL),
    ),
    Mutant(
        name="seq2seq_pack_enforce_sorted_default",
        question="q8",
        description="pack_padded_sequence called without enforce_sorted=False: encode raises unless the batch is sorted by decreasing length",
        kind="tolerance",
        target="Seq2Seq",
        edits=(("batch_first=True, enforce_sorted=False", "batch_first=True"),),
    ),
    Mutant(
        name="seq2seq_packing_only_in_training",
        question="q8",
        description="packing treated as a training speed-up: in eval mode encode runs the GRU on the padded batch, so padding changes enc_out and h",
        kind="mode",
        target="Seq2Seq",
        edits=(
            (
                "        packed = nn.utils.rnn.pack_padded_sequence(",
                "        if not self.training:  # упаковка нужна только для скорости обучения\n"
                "            enc_out, h_n = self.encoder(self.src_emb(src))\n"
                "            h = torch.tanh(self.init_h(torch.cat([h_n[0], h_n[1]], dim=1)))\n"
                "            return enc_out, src != 0, h\n"
                "        packed = nn.utils.rnn.pack_padded_sequence(",
            ),
        ),
        rerun=(TRAIN_TR, TR_VAL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="greedy_max_len_default_ten",
        question="q9",
        description="signature default max_len=10 instead of the stated 12: without <eos> the default call returns 10 tokens",
        kind="loop",
        target="greedy_decode",
        edits=(("max_len=12,", "max_len=10,"),),
    ),
    Mutant(
        name="greedy_stops_on_pad_token",
        question="q9",
        description="a generated <pad> (id 0) is treated like <eos>: the sequence ends there instead of at the first <eos>",
        kind="formula",
        target="greedy_decode",
        edits=(
            ("y[row].item() != eos_id", "y[row].item() not in (eos_id, 0)"),
            ("done |= y == eos_id", "done |= (y == eos_id) | (y == 0)"),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="greedy_argmax_squeezed",
        question="q9",
        description="next tokens taken as logits.argmax(dim=1).squeeze(): a batch of one becomes a 0-d tensor and decoding fails",
        kind="tolerance",
        target="greedy_decode",
        edits=(("y = logits.argmax(dim=1)", "y = logits.argmax(dim=1).squeeze()"),),
    ),
    Mutant(
        name="greedy_filters_generated_bos",
        question="q9",
        description="'without <bos>' read as 'drop every <bos>': a <bos> generated by the model is silently removed from the output",
        kind="formula",
        target="greedy_decode",
        edits=(("y[row].item() != eos_id", "y[row].item() not in (bos_id, eos_id)"),),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="bleu_totals_distinct_ngrams",
        question="q10",
        description="precision denominator counts distinct hypothesis n-grams (len(Counter)) while matches count repeats: p_n can exceed 1",
        kind="formula",
        target="corpus_bleu",
        edits=(("totals[n - 1] += sum(hyp_ngrams.values())", "totals[n - 1] += len(hyp_ngrams)"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_skips_empty_hypotheses",
        question="q10",
        description="empty hypotheses skipped in the loop that also accumulates c and r: their reference length is missing from r, so the brevity penalty is too mild",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            (
                "    for ref, hyp in zip(references, hypotheses):\n",
                "    c = r = 0\n"
                "    for ref, hyp in zip(references, hypotheses):\n"
                "        if not hyp:\n"
                "            continue  # пустая гипотеза не даёт n-грамм\n"
                "        c += len(hyp)\n"
                "        r += len(ref)\n",
            ),
            (
                "    c = sum(len(h) for h in hypotheses)\n    r = sum(len(ref) for ref in references)\n",
                "    # c и r посчитаны в цикле\n",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_zero_check_on_totals",
        question="q10",
        description="zero check tests the n-gram totals instead of the clipped matches: an order with n-grams but no match hits math.log(0) and raises",
        kind="tolerance",
        target="corpus_bleu",
        edits=(("if min(matches) == 0:", "if min(totals) == 0:"),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_matches_assigned_not_accumulated",
        question="q10",
        description="matches[n - 1] = ... instead of += : the clipped matches of only the last pair are used while totals cover the corpus",
        kind="loop",
        target="corpus_bleu",
        edits=(("matches[n - 1] += sum(", "matches[n - 1] = sum("),),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="bleu_zero_check_per_sentence",
        question="q10",
        description="'if some p_n = 0, BLEU = 0' applied per sentence: BLEU is 0 as soon as any single pair has no matching n-gram of some order",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "matches[n - 1] += sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())",
                "clipped = sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())\n"
                "            if clipped == 0:\n"
                "                return 0.0  # хотя бы одна p_n = 0\n"
                "            matches[n - 1] += clipped",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="translator_val_bleu_batched_average",
        question="q11",
        description="translator_val_bleu is the mean of corpus_bleu over chunks of 100 pairs instead of one corpus-level BLEU",
        kind="formula",
        target=TR_VAL,
        edits=(
            (
                "translator_val_bleu = corpus_bleu([t for _, t in translator_val], [list(p) for p in _val_pred])",
                "translator_val_bleu = float(np.mean([\n"
                "    corpus_bleu([t for _, t in translator_val[i : i + 100]], [list(p) for p in _val_pred[i : i + 100]])\n"
                "    for i in range(0, len(translator_val), 100)\n"
                "]))",
            ),
        ),
    ),
    Mutant(
        name="translator_trained_one_epoch",
        question="q11",
        description="translator trained for one epoch (n_epochs=1) to save notebook time instead of the prescribed training call",
        kind="outcome",
        target="train_translator(translator, translator_train)",
        edits=(
            (
                "train_translator(translator, translator_train)",
                "train_translator(translator, translator_train, n_epochs=1)",
            ),
        ),
        rerun=(TR_VAL,),
    ),
    Mutant(
        name="translator_val_exact_int_compare",
        question="q11",
        description="exact match compared as integers (int(p) == int(target)): a prediction with leading zeros such as '0123' counts as exact for 123",
        kind="tolerance",
        target=TR_VAL,
        edits=(
            (
                '["".join(t) == p for (_, t), p in zip(translator_val, _val_pred)]',
                '[p.isdigit() and int(p) == int("".join(t)) for (_, t), p in zip(translator_val, _val_pred)]',
            ),
        ),
    ),
]

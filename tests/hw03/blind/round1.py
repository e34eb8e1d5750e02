"""Blind round 1 for hw03 (issue #26): mistakes written by a helper who read only the task
text and the reference solution (tests/mutation/blind_kit.py), never the tests; graded
by tests/mutation/blind_grade.py before any test changed. Figures: solutions/hw03/README.md."""

from mutation.harness import Mutant

MUTANTS = [
    # ---------------- q1: build_vocab ----------------
    Mutant(
        name="vocab_min_freq_strict",
        question="q1",
        description="tokens kept only if their count is strictly greater than min_freq",
        kind="tolerance",
        target="build_vocab",
        edits=(("c >= min_freq", "c > min_freq"),),
    ),
    Mutant(
        name="vocab_ties_by_first_seen",
        question="q1",
        description="equal-frequency tokens ordered by first appearance instead of alphabetically",
        kind="tolerance",
        target="build_vocab",
        edits=(("key=lambda t: (-counts[t], t)", "key=lambda t: -counts[t]"),),
    ),
    Mutant(
        name="vocab_specials_argument_ignored",
        question="q1",
        description="the specials argument is ignored: the global SPECIALS list is always used",
        kind="tolerance",
        target="build_vocab",
        edits=(("enumerate(specials)", "enumerate(SPECIALS)"),),
    ),
    # ---------------- q2: encode / pad_batch ----------------
    Mutant(
        name="encode_inserts_into_callers_tokens",
        question="q2",
        description="encode inserts <bos>/<eos> into the caller's token list in place",
        kind="in_place",
        target="encode",
        edits=(
            (
                "    ids = [vocab.get(token, unk) for token in tokens]\n"
                "    if add_bos:\n"
                "        ids = [vocab[BOS]] + ids\n"
                "    if add_eos:\n"
                "        ids = ids + [vocab[EOS]]\n"
                "    return ids\n",
                "    if add_bos:\n"
                "        tokens.insert(0, BOS)\n"
                "    if add_eos:\n"
                "        tokens.append(EOS)\n"
                "    return [vocab.get(token, unk) for token in tokens]\n",
            ),
        ),
    ),
    Mutant(
        name="encode_drops_unknown_tokens",
        question="q2",
        description="out-of-vocabulary tokens are skipped instead of mapped to <unk>",
        kind="formula",
        target="encode",
        edits=(
            (
                "ids = [vocab.get(token, unk) for token in tokens]",
                "ids = [vocab[token] for token in tokens if token in vocab]",
            ),
        ),
    ),
    Mutant(
        name="pad_batch_extends_callers_lists",
        question="q2",
        description="pad_batch pads the caller's sequences in place (list.extend) before tensorising",
        kind="in_place",
        target="pad_batch",
        edits=(
            (
                "    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)\n"
                "    for row, seq in enumerate(sequences):\n"
                "        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)\n",
                "    width = int(lengths.max())\n"
                "    for seq in sequences:\n"
                "        seq.extend([pad_id] * (width - len(seq)))\n"
                "    ids = torch.tensor(sequences, dtype=torch.long)\n",
            ),
        ),
    ),
    Mutant(
        name="pad_batch_mask_from_pad_value",
        question="q2",
        description="mask computed as ids != pad_id, so a real token equal to pad_id is masked out",
        kind="tolerance",
        target="pad_batch",
        edits=(
            (
                "mask = torch.arange(ids.shape[1])[None, :] < lengths[:, None]",
                "mask = ids != pad_id",
            ),
        ),
    ),
    # ---------------- q3: cls_vocab / embedding_matrix ----------------
    Mutant(
        name="cls_vocab_includes_validation",
        question="q3",
        description="classifier vocabulary built from training and validation texts",
        kind="outcome",
        target="cls_vocab = build_vocab",
        edits=(("for text, _ in cls_train]", "for text, _ in cls_train + cls_val]"),),
        rerun=("cls_model = ClozeClassifier",),
    ),
    Mutant(
        name="embedding_pad_row_not_zeroed",
        question="q3",
        description="<pad> row left as the navec <unk> vector instead of zeros",
        kind="formula",
        target="embedding_matrix",
        edits=(("    matrix[vocab[PAD]] = 0.0\n", ""),),
    ),
    Mutant(
        name="embedding_oov_rows_zero",
        question="q3",
        description="tokens missing from navec (and <unk>/<bos>/<eos>) get zero rows instead of navec['<unk>']",
        kind="formula",
        target="embedding_matrix",
        edits=(
            (
                "matrix = unk.repeat(len(vocab), 1)",
                "matrix = torch.zeros(len(vocab), unk.shape[0])",
            ),
        ),
    ),
    # ---------------- q4: ClozeClassifier ----------------
    Mutant(
        name="cloze_mean_over_padding",
        question="q4",
        description="average embedding divides by the padded length, so padding changes the logits",
        kind="formula",
        target="ClozeClassifier",
        edits=(
            (
                "mean = vectors.sum(dim=1) / known.sum(dim=1).clamp(min=1)[:, None]",
                "mean = vectors.mean(dim=1)",
            ),
        ),
        rerun=("cls_model = ClozeClassifier",),
    ),
    Mutant(
        name="cloze_maxpool_over_padding",
        question="q4",
        description="max-pooling of the CNN features includes padded positions",
        kind="formula",
        target="ClozeClassifier",
        edits=(("conv.masked_fill(~mask[..., None], 0.0).max(dim=1)", "conv.max(dim=1)"),),
        rerun=("cls_model = ClozeClassifier",),
    ),
    Mutant(
        name="cloze_functional_dropout_always_on",
        question="q4",
        description="F.dropout used in forward without training flag: dropout stays active in eval mode",
        kind="mode",
        target="ClozeClassifier",
        edits=(
            (
                "return self.head(torch.cat([peak, mean], dim=1))",
                "return self.head(F.dropout(torch.cat([peak, mean], dim=1), 0.3))",
            ),
        ),
        rerun=("cls_model = ClozeClassifier",),
    ),
    Mutant(
        name="cloze_embedding_dim_hardcoded",
        question="q4",
        description="embedding width hard-coded to 300 instead of embeddings.shape[1]",
        kind="tolerance",
        target="ClozeClassifier",
        edits=(("embeddings.shape[1]", "300"),),
    ),
    # ---------------- q5: bio_to_spans / span_f1 ----------------
    Mutant(
        name="bio_orphan_i_ignored",
        question="q5",
        description="an I-X that cannot continue the current entity is dropped instead of starting one",
        kind="tolerance",
        target="bio_to_spans",
        edits=(('if prefix in ("B", "I"):', 'if prefix == "B":'),),
    ),
    Mutant(
        name="bio_i_continues_other_type",
        question="q5",
        description="I-X continues the current entity even when its type differs",
        kind="tolerance",
        target="bio_to_spans",
        edits=(('if prefix == "I" and kind == label:', 'if prefix == "I" and kind is not None:'),),
    ),
    Mutant(
        name="bio_last_entity_dropped",
        question="q5",
        description="an entity running to the end of the sentence is never closed and is lost",
        kind="tolerance",
        target="bio_to_spans",
        edits=(('enumerate(list(tags) + ["O"])', "enumerate(list(tags))"),),
    ),
    Mutant(
        name="span_f1_sentence_index_dropped",
        question="q5",
        description="spans pooled without the sentence index, so equal spans in different sentences merge",
        kind="formula",
        target="span_f1",
        edits=(("{(s, *span) for", "{span for"),),
    ),
    # ---------------- q6: NerTagger / ner_val_f1 ----------------
    Mutant(
        name="ner_unidirectional_lstm",
        question="q6",
        description="tagger LSTM is unidirectional (backward direction dropped)",
        kind="outcome",
        target="NerTagger",
        edits=(
            ("bidirectional=True", "bidirectional=False"),
            ("nn.Linear(128, n_tags)", "nn.Linear(64, n_tags)"),
        ),
        rerun=("ner_model = NerTagger", "ner_val_f1 = span_f1"),
    ),
    Mutant(
        name="ner_char_features_via_data",
        question="q6",
        description="character CNN output taken via .data, so the char CNN is never trained",
        kind="graph",
        target="NerTagger",
        edits=(("char_vec.reshape(B, T, -1)", "char_vec.data.reshape(B, T, -1)"),),
        rerun=("ner_model = NerTagger", "ner_val_f1 = span_f1"),
    ),
    Mutant(
        name="ner_lstm_without_packing",
        question="q6",
        description="LSTM run on the padded batch without packing: padding enters the backward direction",
        kind="formula",
        target="NerTagger",
        edits=(
            (
                "        lengths = mask.sum(dim=1).clamp(min=1).cpu()\n"
                "        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
                "        out, _ = self.lstm(packed)\n"
                "        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)\n",
                "        out, _ = self.lstm(x)\n",
            ),
        ),
        rerun=("ner_model = NerTagger", "ner_val_f1 = span_f1"),
    ),
    Mutant(
        name="ner_val_f1_on_heldout_entities",
        question="q6",
        description="ner_val_f1 computed on freshly generated held-out-entity sentences instead of ner_val",
        kind="outcome",
        target="ner_val_f1 = span_f1",
        edits=(
            (
                "ner_val_f1 = span_f1(",
                "_ner_test = make_ner_sentences(300, seed=2, heldout=True)\nner_val_f1 = span_f1(",
            ),
            ("in ner_val]", "in _ner_test]"),
        ),
    ),
    # ---------------- q7: attention ----------------
    Mutant(
        name="attention_scaled_scores",
        question="q7",
        description="scores divided by sqrt(H) although unscaled dot products are required",
        kind="formula",
        target="attention",
        edits=(
            (
                "scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)",
                "scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2) / math.sqrt(keys.shape[-1])",
            ),
        ),
    ),
    Mutant(
        name="attention_mask_filled_with_zero",
        question="q7",
        description="padded scores filled with 0 instead of -inf, so padding gets positive weight",
        kind="formula",
        target="attention",
        edits=(('float("-inf")', "0.0"),),
    ),
    Mutant(
        name="attention_mask_after_softmax",
        question="q7",
        description="softmax over all positions, then padding weights zeroed without renormalising",
        kind="formula",
        target="attention",
        edits=(
            ('    scores = scores.masked_fill(~mask, float("-inf"))\n', ""),
            (
                "weights = torch.softmax(scores, dim=1)",
                "weights = torch.softmax(scores, dim=1) * mask",
            ),
        ),
    ),
    Mutant(
        name="attention_zeroes_callers_values",
        question="q7",
        description="padded rows of the caller's values tensor zeroed in place (masked_fill_)",
        kind="in_place",
        target="attention",
        edits=(
            (
                "    context = torch.bmm(",
                "    values.masked_fill_(~mask.unsqueeze(2), 0.0)\n    context = torch.bmm(",
            ),
        ),
    ),
    # ---------------- q8: Seq2Seq / seq2seq_loss ----------------
    Mutant(
        name="seq2seq_loss_counts_padding",
        question="q8",
        description="cross-entropy averaged over all positions including padding",
        kind="formula",
        target="seq2seq_loss",
        edits=(("targets.reshape(-1), ignore_index=pad_id", "targets.reshape(-1)"),),
    ),
    Mutant(
        name="seq2seq_forward_feeds_own_predictions",
        question="q8",
        description="forward feeds the decoder its own argmax instead of tgt_in[:, t] (no teacher forcing)",
        kind="loop",
        target="Seq2Seq",
        edits=(
            (
                "        for t in range(tgt_in.shape[1]):\n"
                "            logits, h = self.decode_step(tgt_in[:, t], h, enc_out, mask)\n"
                "            steps.append(logits)\n",
                "        y = tgt_in[:, 0]\n"
                "        for t in range(tgt_in.shape[1]):\n"
                "            logits, h = self.decode_step(y, h, enc_out, mask)\n"
                "            steps.append(logits)\n"
                "            y = logits.argmax(dim=1)\n",
            ),
        ),
    ),
    Mutant(
        name="seq2seq_decoder_state_detached",
        question="q8",
        description="decoder hidden state detached before every step (gradient not propagated through time)",
        kind="graph",
        target="Seq2Seq",
        edits=(
            (
                "self.decode_step(tgt_in[:, t], h, enc_out, mask)",
                "self.decode_step(tgt_in[:, t], h.detach(), enc_out, mask)",
            ),
        ),
        rerun=("translator = Seq2Seq(", "_val_pred = translate"),
    ),
    Mutant(
        name="seq2seq_encoder_without_packing",
        question="q8",
        description="encoder GRU run on the padded batch without pack_padded_sequence",
        kind="formula",
        target="Seq2Seq",
        edits=(
            (
                "        packed = nn.utils.rnn.pack_padded_sequence(\n"
                "            self.src_emb(src), src_lengths.cpu(), batch_first=True, enforce_sorted=False\n"
                "        )\n"
                "        out, h_n = self.encoder(packed)\n"
                "        enc_out, _ = nn.utils.rnn.pad_packed_sequence(\n"
                "            out, batch_first=True, total_length=src.shape[1]\n"
                "        )\n",
                "        enc_out, h_n = self.encoder(self.src_emb(src))\n",
            ),
        ),
        rerun=("translator = Seq2Seq(", "_val_pred = translate"),
    ),
    Mutant(
        name="seq2seq_hidden_size_hardcoded",
        question="q8",
        description="2*hidden hard-coded as 256 (only correct for the default hidden=128)",
        kind="tolerance",
        target="Seq2Seq",
        edits=(("2 * hidden", "256"),),
    ),
    # ---------------- q9: greedy_decode ----------------
    Mutant(
        name="greedy_keeps_eos",
        question="q9",
        description="the <eos> token is appended to the output",
        kind="tolerance",
        target="greedy_decode",
        edits=(("if not done[row] and y[row].item() != eos_id:", "if not done[row]:"),),
    ),
    Mutant(
        name="greedy_keeps_tokens_after_eos",
        question="q9",
        description="finished rows keep collecting tokens while other rows are still decoding",
        kind="loop",
        target="greedy_decode",
        edits=(("if not done[row] and y[row].item() != eos_id:", "if y[row].item() != eos_id:"),),
    ),
    Mutant(
        name="greedy_max_len_ignored",
        question="q9",
        description="max_len argument ignored: decoding loop hard-coded to 12 steps",
        kind="loop",
        target="greedy_decode",
        edits=(("range(max_len)", "range(12)"),),
    ),
    # ---------------- q10: corpus_bleu ----------------
    Mutant(
        name="bleu_no_clipping",
        question="q10",
        description="n-gram matches not clipped by the reference counts",
        kind="formula",
        target="corpus_bleu",
        edits=(
            (
                "sum(min(c, ref_ngrams[g]) for g, c in hyp_ngrams.items())",
                "sum(c for g, c in hyp_ngrams.items() if g in ref_ngrams)",
            ),
        ),
    ),
    Mutant(
        name="bleu_brevity_ratio_inverted",
        question="q10",
        description="brevity penalty computed as exp(1 - c/r) instead of exp(1 - r/c)",
        kind="formula",
        target="corpus_bleu",
        edits=(("math.exp(1.0 - r / c)", "math.exp(1.0 - c / r)"),),
    ),
    Mutant(
        name="bleu_ngram_window_off_by_one",
        question="q10",
        description="n-gram enumeration misses the last n-gram of each sentence",
        kind="tolerance",
        target="corpus_bleu",
        edits=(
            ("range(len(hyp) - n + 1)", "range(len(hyp) - n)"),
            ("range(len(ref) - n + 1)", "range(len(ref) - n)"),
        ),
    ),
    # ---------------- q11: translator quality ----------------
    Mutant(
        name="translator_val_bleu_whole_numbers",
        question="q11",
        description="validation BLEU computed on whole numbers as single tokens instead of digits",
        kind="formula",
        target="_val_pred = translate",
        edits=(
            (
                "corpus_bleu([t for _, t in translator_val], [list(p) for p in _val_pred])",
                'corpus_bleu([["".join(t)] for _, t in translator_val], [[p] for p in _val_pred])',
            ),
        ),
    ),
    Mutant(
        name="translator_val_metrics_on_train",
        question="q11",
        description="validation exact match and BLEU computed on training pairs",
        kind="outcome",
        target="_val_pred = translate",
        edits=(
            ("in translator_val]", "in translator_train]"),
            ("zip(translator_val,", "zip(translator_train,"),
        ),
    ),
    Mutant(
        name="translator_trained_on_validation",
        question="q11",
        description="translator trained on training plus validation pairs (validation leaks into training)",
        kind="outcome",
        target="train_translator(translator, translator_train)",
        edits=(
            (
                "train_translator(translator, translator_train)",
                "train_translator(translator, translator_train + translator_val)",
            ),
        ),
        rerun=("_val_pred = translate",),
    ),
]
